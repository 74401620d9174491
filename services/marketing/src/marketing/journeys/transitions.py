"""Where a contact goes from a step: pure, so every rule of the graph is tested without a database.

The runner performs a step's effect (a mail queued, a tag, a task) and then follows the move this module
computes. A wait is two visits: the first sets the timer, the second (the timer due, or the awaited event
arrived) goes on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from marketing.journeys.definition import Condition, ConditionKind, Step, StepType, holds


@dataclass(frozen=True)
class Facts:
    now: dt.datetime
    waiting: bool = False  # the contact already waits at this step: its timer is due or its event came
    event_seen: bool = False
    opened: frozenset[str] = frozenset()  # email steps whose mail this contact opened
    clicked: frozenset[str] = frozenset()
    data: dict[str, Any] = field(default_factory=dict)  # the event that enrolled the contact


@dataclass(frozen=True)
class Go:
    """On to `next` (None: the journey is finished)."""

    next: str | None
    goal: bool = False


@dataclass(frozen=True)
class Wait:
    until: dt.datetime


@dataclass(frozen=True)
class Exit:
    pass


Move = Go | Wait | Exit


def engaged(condition: Condition, facts: Facts) -> bool:
    steps = facts.opened | facts.clicked if condition.kind is ConditionKind.OPENED else facts.clicked
    return bool(steps) if condition.step is None else condition.step in steps


def move(step: Step, facts: Facts) -> Move:
    if step.type is StepType.EXIT:
        return Exit()
    if step.type is StepType.WAIT:
        return _wait(step, facts)
    if step.type is StepType.BRANCH:
        assert step.condition is not None
        if step.condition.kind is ConditionKind.FIELD:
            taken = holds(step.condition, facts.data)
        else:
            taken = engaged(step.condition, facts)
        return Go(step.yes if taken else step.no)
    return Go(step.next, goal=step.type is StepType.GOAL)


def _wait(step: Step, facts: Facts) -> Move:
    if facts.waiting:
        if step.wait_event is not None and not facts.event_seen:
            return Go(step.timeout_next or step.next)
        return Go(step.next)
    if step.wait_until is not None:
        return Wait(step.wait_until) if step.wait_until > facts.now else Go(step.next)
    assert step.wait_seconds is not None
    return Wait(facts.now + dt.timedelta(seconds=step.wait_seconds))
