"""Conditions and `{{ path }}` values, over a run's context: the event, the record before it, the steps' results."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from automation.workflows.definition import Condition

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
MISSING = object()


def lookup(context: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or MISSING."""
    value: Any = context
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
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
    shown = None if actual is MISSING else actual
    return Checked(condition.field, condition.op, shown, _holds(condition, actual, context))


def check_all(conditions: Sequence[Condition], context: Mapping[str, Any]) -> list[Checked]:
    return [check(c, context) for c in conditions]


def holds(conditions: Sequence[Condition], context: Mapping[str, Any]) -> bool:
    """Stops at the first that fails: most of a topic's rules are not for most of its events."""
    return all(_holds(c, lookup(context, c.field), context) for c in conditions)


def _holds(condition: Condition, actual: Any, context: Mapping[str, Any]) -> bool:
    op, expected = condition.op, fill(condition.value, context)
    if op == "exists":
        return actual is not MISSING and actual is not None
    if op == "notExists":
        return actual is MISSING or actual is None
    if op == "changed":
        return _changed(condition, actual, context)
    if actual is MISSING:
        return op in ("ne", "notIn")
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return isinstance(expected, list) and actual in expected
    if op == "notIn":
        return isinstance(expected, list) and actual not in expected
    if op == "contains":
        return isinstance(actual, str | list) and expected in actual
    return _compare(op, actual, expected)


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


def _compare(op: str, actual: Any, expected: Any) -> bool:
    try:
        left, right = _comparable(actual), _comparable(expected)
        return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]
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
