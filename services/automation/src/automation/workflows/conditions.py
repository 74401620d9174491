"""Conditions and `{{ path }}` values, over a run's context: the event, the record before it, the steps' results."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from automation.workflows.definition import Condition

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
MISSING = object()
Predicate = Callable[[Mapping[str, Any]], bool]


def lookup(context: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or MISSING."""
    return _at(context, path.split("."))


def _at(context: Mapping[str, Any], parts: Sequence[str]) -> Any:
    value: Any = context
    for part in parts:
        if not (type(value) is dict or isinstance(value, Mapping)) or part not in value:  # JSON: dicts, quickly
            return MISSING
        value = value[part]
    return value


def fill(template: Any, context: Mapping[str, Any]) -> Any:
    """`{{ event.ownerId }}` alone keeps the value's type; inside text it becomes text ('' when missing)."""
    if isinstance(template, str):
        if "{{" not in template:  # most values are plain: no pattern to run
            return template
        whole = PLACEHOLDER.fullmatch(template.strip())
        if whole:
            value = lookup(context, whole.group(1))
            return None if value is MISSING else value

        def text(match: re.Match[str]) -> str:
            value = lookup(context, match.group(1))
            return "" if value is MISSING or value is None else str(value)

        return PLACEHOLDER.sub(text, template)
    if isinstance(template, Mapping):
        return {key: fill(value, context) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, context) for value in template]
    return template


@dataclass(frozen=True)
class Checked:
    """One condition as a dry run shows it: what was compared and whether it held."""

    field: str
    op: str
    actual: Any
    matched: bool


def check(condition: Condition, context: Mapping[str, Any]) -> Checked:
    actual = lookup(context, condition.field)
    matched = _judge(condition)(actual, fill(condition.value, context), context)
    return Checked(condition.field, condition.op, None if actual is MISSING else actual, matched)


def check_all(conditions: Sequence[Condition], context: Mapping[str, Any]) -> list[Checked]:
    return [check(c, context) for c in conditions]


def holds(conditions: Sequence[Condition], context: Mapping[str, Any]) -> bool:
    return predicate(conditions)(context)


def predicate(conditions: Sequence[Condition]) -> Predicate:
    """The conditions as one test, built once (a rule's version, a subscription's filters): paths split, plain
    values and operators taken up front, so that an event costs lookups and comparisons only. It stops at the first
    condition that fails: most of a topic's rules are not for most of its events."""
    tests = [_test(c) for c in conditions]
    return lambda context: all(test(context) for test in tests)


def _test(condition: Condition) -> Predicate:
    judge, parts, value = _judge(condition), condition.field.split("."), condition.value
    if _templated(value):
        return lambda context: judge(_at(context, parts), fill(value, context), context)
    return lambda context: judge(_at(context, parts), value, context)


def _templated(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, Mapping):
        return any(_templated(v) for v in value.values())
    return isinstance(value, list) and any(_templated(v) for v in value)


Judge = Callable[[Any, Any, Mapping[str, Any]], bool]  # the value found (or MISSING), the value expected, the context
# a missing field meets `ne`, `notIn` and `notExists` only
JUDGES: dict[str, Judge] = {
    "exists": lambda actual, expected, context: actual is not MISSING and actual is not None,
    "notExists": lambda actual, expected, context: actual is MISSING or actual is None,
    "eq": lambda actual, expected, context: actual is not MISSING and bool(actual == expected),
    "ne": lambda actual, expected, context: actual is MISSING or bool(actual != expected),
    "in": lambda actual, expected, context: actual is not MISSING and isinstance(expected, list) and actual in expected,
    "notIn": lambda actual, expected, context: (
        actual is MISSING or (isinstance(expected, list) and actual not in expected)
    ),
    "contains": lambda actual, expected, context: _contains(actual, expected),
    "gt": lambda actual, expected, context: actual is not MISSING and _compare(operator.gt, actual, expected),
    "gte": lambda actual, expected, context: actual is not MISSING and _compare(operator.ge, actual, expected),
    "lt": lambda actual, expected, context: actual is not MISSING and _compare(operator.lt, actual, expected),
    "lte": lambda actual, expected, context: actual is not MISSING and _compare(operator.le, actual, expected),
}


def _judge(condition: Condition) -> Judge:
    """How the condition's operator judges the value found against the value expected."""
    if condition.op == "changed":
        return _never_raising(lambda actual, expected, context: _changed(condition, actual, context))
    return _never_raising(JUDGES[condition.op])


def _never_raising(judge: Judge) -> Judge:
    """A comparison that cannot be made is false: a rule's data must never cost the suite an event (a consumer
    that raised would retry it, then dead-letter it for every rule, webhook and approval alike)."""

    def safe(actual: Any, expected: Any, context: Mapping[str, Any]) -> bool:
        try:
            return judge(actual, expected, context)
        except (TypeError, ValueError, ArithmeticError):
            return False

    return safe


def _contains(actual: Any, expected: Any) -> bool:
    """Text within text, or a value among a list's entries; anything else is no match."""
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    return isinstance(actual, list) and expected in actual


def _changed(condition: Condition, actual: Any, context: Mapping[str, Any]) -> bool:
    """The field differs from the record's previous state, from `from` (when given) to `to` (when given)."""
    path = condition.field.split(".", 1)
    before = lookup(context, f"previous.{path[1]}") if path[0] == "event" and len(path) == 2 else MISSING
    before = None if before is MISSING else before
    after = None if actual is MISSING else actual
    if before == after:
        return False
    if condition.from_ is not None and before != condition.from_:
        return False
    return condition.to is None or after == condition.to


def _compare(compare: Callable[[Any, Any], Any], actual: Any, expected: Any) -> bool:
    try:
        return bool(compare(_comparable(actual), _comparable(expected)))
    except (TypeError, ValueError):
        return False


def _comparable(value: Any) -> Any:
    """Numbers sent as decimal strings (money) compare as numbers; other text as text (ISO dates sort)."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value
