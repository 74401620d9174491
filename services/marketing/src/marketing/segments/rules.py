"""Segment rules: a small typed tree of all/any groups of conditions over a contact's profile.

A rule is validated once (`checked`, field-named errors) and compiled in one place, here, two ways
that must agree: `where` (a SQL clause over `segment_profiles`, for counts and whole evaluations) and
`predicate` (a pure function of one profile row, for re-evaluating a contact as its events arrive).
Missing values never match, except where a condition asks for their absence (`NOT_EQUALS`,
`NOT_WITHIN_LAST_DAYS`, an empty list), and both forms say so in the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, false, func, literal, or_, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text
from sqlmodel import col

from crm_shared.errors import BadInput
from crm_shared.validate import field_name, no_controls
from marketing.segments.models import Profile

MAX_DEPTH = 3  # groups within groups
MAX_CONDITIONS = 50
MAX_VALUES = 100
MAX_DAYS = 3650
MAX_TEXT = 200

Row = Mapping[str, Any]
Predicate = Callable[[Row, dt.datetime], bool]


class Match(StrEnum):
    ALL = "all"
    ANY = "any"


class Kind(StrEnum):
    TEXT = "text"
    LIST = "list"
    FLAG = "flag"
    NUMBER = "number"
    TIME = "time"


class Subject(StrEnum):
    """What a condition looks at; the value is the profile's column."""

    LEVEL = "level"
    INDUSTRY = "industry"
    PROVINCE = "province"
    LIFECYCLE_STAGE = "lifecycle_stage"
    TAGS = "tags"
    CUSTOM = "custom"  # one custom field of the account, named by `key`
    OPEN_OPPORTUNITY = "open_opportunity"
    LAST_ORDER_AT = "last_order_at"
    LOST_TO = "lost_to"  # competitors the account lost opportunities to
    OPENED_COUNT = "opened_count"
    LAST_OPENED_AT = "last_opened_at"
    CLICKED_COUNT = "clicked_count"
    LAST_CLICKED_AT = "last_clicked_at"
    RESPONDED_COUNT = "responded_count"
    LAST_RESPONDED_AT = "last_responded_at"


class Operator(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    CONTAINS = "contains"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BEFORE = "before"
    AFTER = "after"
    WITHIN_LAST_DAYS = "within_last_days"
    NOT_WITHIN_LAST_DAYS = "not_within_last_days"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"


KINDS: dict[Subject, Kind] = {
    Subject.LEVEL: Kind.TEXT,
    Subject.INDUSTRY: Kind.TEXT,
    Subject.PROVINCE: Kind.TEXT,
    Subject.LIFECYCLE_STAGE: Kind.TEXT,
    Subject.CUSTOM: Kind.TEXT,
    Subject.TAGS: Kind.LIST,
    Subject.LOST_TO: Kind.LIST,
    Subject.OPEN_OPPORTUNITY: Kind.FLAG,
    Subject.OPENED_COUNT: Kind.NUMBER,
    Subject.CLICKED_COUNT: Kind.NUMBER,
    Subject.RESPONDED_COUNT: Kind.NUMBER,
    Subject.LAST_ORDER_AT: Kind.TIME,
    Subject.LAST_OPENED_AT: Kind.TIME,
    Subject.LAST_CLICKED_AT: Kind.TIME,
    Subject.LAST_RESPONDED_AT: Kind.TIME,
}
Op = Operator
OPERATORS: dict[Kind, tuple[Operator, ...]] = {
    Kind.TEXT: (Op.EQUALS, Op.NOT_EQUALS, Op.IN),
    Kind.LIST: (Op.CONTAINS, Op.IN, Op.IS_TRUE, Op.IS_FALSE),
    Kind.FLAG: (Op.IS_TRUE, Op.IS_FALSE),
    Kind.NUMBER: (Op.EQUALS, Op.AT_LEAST, Op.AT_MOST),
    Kind.TIME: (Op.BEFORE, Op.AFTER, Op.WITHIN_LAST_DAYS, Op.NOT_WITHIN_LAST_DAYS),
}
WINDOWS = (Op.WITHIN_LAST_DAYS, Op.NOT_WITHIN_LAST_DAYS)


class Condition(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: Subject
    operator: Operator
    value: str | None = None
    values: tuple[str, ...] = ()
    days: int | None = None
    key: str | None = None  # the custom field's name


class Group(BaseModel):
    model_config = ConfigDict(frozen=True)

    match: Match = Match.ALL
    conditions: tuple[Condition, ...] = ()
    groups: tuple[Group, ...] = ()


# ---- validation -------------------------------------------------------------------------------------


def checked(group: Group, field: str = "rules") -> Group:
    """The rule tree as given, or BAD_USER_INPUT naming the first part that cannot be evaluated."""
    total = _check_group(group, [field], 1)
    if total == 0:
        raise BadInput("segment_rules_empty", field=field)
    if total > MAX_CONDITIONS:
        raise BadInput("too_many_items", field=field, maximum=MAX_CONDITIONS)
    return group


def _check_group(group: Group, path: list[str | int], depth: int) -> int:
    if depth > MAX_DEPTH:
        raise BadInput("segment_rules_depth", field=field_name(path), maximum=MAX_DEPTH)
    if not group.conditions and not group.groups:
        raise BadInput("segment_rules_empty", field=field_name(path))
    for i, condition in enumerate(group.conditions):
        _check_condition(condition, [*path, "conditions", i])
    return len(group.conditions) + sum(
        _check_group(g, [*path, "groups", i], depth + 1) for i, g in enumerate(group.groups)
    )


def _check_condition(c: Condition, path: list[str | int]) -> None:
    def at(name: str) -> str:
        return field_name([*path, name])

    kind = KINDS[c.subject]
    if c.operator not in OPERATORS[kind]:
        raise BadInput("segment_operator_unfit", field=at("operator"), operator=c.operator.name, subject=c.subject.name)
    if c.subject is Subject.CUSTOM:
        _text(c.key, at("key"))
    if c.operator in (Op.EQUALS, Op.NOT_EQUALS, Op.CONTAINS, Op.AT_LEAST, Op.AT_MOST, Op.BEFORE, Op.AFTER):
        _text(c.value, at("value"))
    if c.operator is Op.IN:
        if not c.values:
            raise BadInput("required_field", field=at("values"))
        if len(c.values) > MAX_VALUES:
            raise BadInput("too_many_items", field=at("values"), maximum=MAX_VALUES)
        for i, value in enumerate(c.values):
            _text(value, field_name([*path, "values", i]))
    if kind is Kind.NUMBER:
        _number(c.value, at("value"))
    if c.operator in (Op.BEFORE, Op.AFTER):
        _date(c.value, at("value"))
    if c.operator in WINDOWS and (c.days is None or not 1 <= c.days <= MAX_DAYS):
        raise BadInput("segment_days", field=at("days"), maximum=MAX_DAYS)


def _text(value: str | None, field: str) -> str:
    if value is None or not value.strip():
        raise BadInput("required_field", field=field)
    if len(value) > MAX_TEXT:
        raise BadInput("too_long", field=field, maximum=MAX_TEXT)
    return no_controls(value, field, multiline=False)


def _number(value: str | None, field: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise BadInput("segment_number", field=field) from None
    if not 0 <= number <= 1_000_000:
        raise BadInput("segment_number", field=field)
    return number


def _date(value: str | None, field: str) -> dt.datetime:
    """The start of the day (UTC) the value names."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInput("invalid_date", field=field) from None
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _day_after(value: str | None) -> dt.datetime | None:
    """The start of the day after the value's, where AFTER begins; None after 9999-12-31, when nothing happens."""
    day = _date(value, "value")
    return None if day.date() == dt.date.max else day + dt.timedelta(days=1)


def windows(group: Group) -> list[tuple[Subject, int]]:
    """The (time field, days) of every relative-time condition: they change as time passes."""
    found = [(c.subject, c.days) for c in group.conditions if c.operator in WINDOWS and c.days]
    return found + [w for g in group.groups for w in windows(g)]


# ---- SQL ------------------------------------------------------------------------------------------------


def where(group: Group, now: dt.datetime) -> ColumnElement[bool]:
    """The rule as a WHERE clause over `segment_profiles` (active contacts are the caller's to add)."""
    parts = [_sql(c, now) for c in group.conditions] + [where(g, now) for g in group.groups]
    if group.match is Match.ALL:
        return and_(true(), *parts)
    return or_(false(), *parts)


def _sql(c: Condition, now: dt.datetime) -> ColumnElement[bool]:
    column: Any = getattr(Profile, c.subject.value)
    column = col(column)
    if c.subject is Subject.CUSTOM:
        column = column.op("->>")(literal(c.key, Text))
    kind, op = KINDS[c.subject], c.operator
    if kind is Kind.LIST:
        values = [c.value] if op is Op.CONTAINS else list(c.values)
        array = literal(values, ARRAY(Text()))
        return {
            Op.CONTAINS: lambda: column.contains(array),
            Op.IN: lambda: column.overlap(array),
            Op.IS_TRUE: lambda: func.cardinality(column) > 0,
            Op.IS_FALSE: lambda: func.cardinality(column) == 0,
        }[op]()
    if kind is Kind.FLAG:
        return column.is_(op is Op.IS_TRUE)
    if kind is Kind.NUMBER:
        number = int(str(c.value))
        return {Op.EQUALS: column == number, Op.AT_LEAST: column >= number, Op.AT_MOST: column <= number}[op]
    if kind is Kind.TIME:
        if op in WINDOWS:
            cutoff = now - dt.timedelta(days=c.days or 0)
            return column >= cutoff if op is Op.WITHIN_LAST_DAYS else or_(column.is_(None), column < cutoff)
        if op is Op.BEFORE:
            return column < _date(c.value, "value")
        after = _day_after(c.value)
        return false() if after is None else column >= after
    return {
        Op.EQUALS: lambda: column == c.value,
        Op.NOT_EQUALS: lambda: column.is_distinct_from(c.value),
        Op.IN: lambda: column.in_(list(c.values)),
    }[op]()


# ---- Python ----------------------------------------------------------------------------------------------


def predicate(group: Group) -> Predicate:
    """The rule as a function of one profile row (column name → value) and the time it is evaluated at."""
    parts = [_python(c) for c in group.conditions] + [predicate(g) for g in group.groups]
    if group.match is Match.ALL:
        return lambda row, now: all(p(row, now) for p in parts)
    return lambda row, now: any(p(row, now) for p in parts)


def _json_text(value: Any) -> str | None:
    """A custom field's value as PostgreSQL's `->>` renders it."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _python(c: Condition) -> Predicate:
    kind, op, name = KINDS[c.subject], c.operator, c.subject.value

    def value(row: Row) -> Any:
        found = row.get(name)
        return _json_text((found or {}).get(c.key or "")) if c.subject is Subject.CUSTOM else found

    if kind is Kind.LIST:
        wanted = {c.value} if op is Op.CONTAINS else set(c.values)
        return {
            Op.CONTAINS: lambda row, now: wanted <= set(value(row) or ()),
            Op.IN: lambda row, now: bool(wanted & set(value(row) or ())),
            Op.IS_TRUE: lambda row, now: bool(value(row)),
            Op.IS_FALSE: lambda row, now: not value(row),
        }[op]
    if kind is Kind.FLAG:
        return lambda row, now: bool(value(row)) is (op is Op.IS_TRUE)
    if kind is Kind.NUMBER:
        number = int(str(c.value))
        return {
            Op.EQUALS: lambda row, now: (value(row) or 0) == number,
            Op.AT_LEAST: lambda row, now: (value(row) or 0) >= number,
            Op.AT_MOST: lambda row, now: (value(row) or 0) <= number,
        }[op]
    if kind is Kind.TIME:
        if op in WINDOWS:
            days = dt.timedelta(days=c.days or 0)
            if op is Op.WITHIN_LAST_DAYS:
                return lambda row, now: value(row) is not None and value(row) >= now - days
            return lambda row, now: value(row) is None or value(row) < now - days
        if op is Op.BEFORE:
            day = _date(c.value, "value")
            return lambda row, now: value(row) is not None and value(row) < day
        after = _day_after(c.value)
        return lambda row, now: value(row) is not None and after is not None and value(row) >= after
    return {
        Op.EQUALS: lambda row, now: value(row) == c.value,
        Op.NOT_EQUALS: lambda row, now: value(row) != c.value,
        Op.IN: lambda row, now: value(row) in c.values,
    }[op]
