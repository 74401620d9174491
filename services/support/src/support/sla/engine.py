"""SLA clocks as a pure function of a ticket's history, its targets and its business hours.

Nothing about a clock is stored: its elapsed business time is the working time that passed while
the ticket was new or open, so a restart, an event arriving late or a changed policy gives the
same answer from the same history. A clock pauses while the ticket waits on the customer or is on
hold and stops when the ticket is resolved (or closed).

- first response: from creation to the first public reply (or resolution);
- next response: from each customer answer after a reply (the ticket leaving "pending customer",
  or a customer's message) to the next public reply; one cycle per answer;
- resolution: from creation while the ticket is not resolved; a reopened ticket's clock resumes
  where it stopped.

A clock reaching its target exactly when it stops is met; it is breached once its running time
passes the target before it stops. A breach the monitor published is part of the history too: that
clock stays breached against the target it passed, whatever policy or calendar the ticket has since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from support.calendars.hours import BusinessHours
from support.tickets.states import DONE, RUNNING, TicketStatus

Segment = tuple[dt.datetime, dt.datetime | None]


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True)
class Change:
    """The ticket entered `status` at `at` (the first change is its creation)."""

    at: dt.datetime
    status: TicketStatus


@dataclass(frozen=True)
class Message:
    """A public message on the ticket: a reply by an agent, or the customer writing."""

    at: dt.datetime
    from_customer: bool = False


@dataclass(frozen=True)
class Breach:
    """A breach the monitor published (`target_minutes` None: noted before targets were kept with it)."""

    kind: ClockKind
    cycle: int
    due_at: dt.datetime
    target_minutes: int | None = None


@dataclass(frozen=True)
class Targets:
    """Minutes of business time; None: no such clock."""

    first_response: int | None = None
    next_response: int | None = None
    resolution: int | None = None

    def of(self, kind: ClockKind) -> int | None:
        value: int | None = getattr(self, kind.value)
        return value


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    cycle: int  # 0, or the next-response cycle (1, 2, ...)
    target_minutes: int
    elapsed_seconds: int
    state: ClockState
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    due_at: dt.datetime | None  # when the target is (or was) reached if the ticket keeps its current status
    segments: tuple[Segment, ...]  # running time; the last may be open

    @property
    def elapsed_minutes(self) -> int:
        return self.elapsed_seconds // 60

    @property
    def remaining_minutes(self) -> int:
        """Negative once breached: how far past the target."""
        return self.target_minutes - self.elapsed_minutes

    def reached(self, share: float, hours: BusinessHours) -> dt.datetime | None:
        """When `share` of the target was or will be reached along this clock's running time, if it is."""
        left = round(self.target_minutes * 60 * share)
        for start, end in self.segments:
            length = None if end is None else hours.seconds_between(start, end)
            if length is None or left <= length:
                found = hours.after(start, left, end)
                if found is not None and (self.stopped_at is None or found < self.stopped_at):
                    return found
                return None
            left -= length
        return None


def running_segments(history: Sequence[Change], start: dt.datetime, stop: dt.datetime | None) -> list[Segment]:
    """The spans within [start, stop) during which the ticket was new or open; the last is open when it still is."""
    out: list[Segment] = []
    for i, change in enumerate(history):
        if change.status not in RUNNING:
            continue
        end = history[i + 1].at if i + 1 < len(history) else None
        a = max(change.at, start)
        b = end if stop is None else (stop if end is None else min(end, stop))
        if b is None or a < b:
            out.append((a, b))
    return out


def compute(
    history: Sequence[Change],
    messages: Sequence[Message],
    targets: Targets,
    hours: BusinessHours,
    now: dt.datetime,
    breaches: Sequence[Breach] = (),
) -> list[Clock]:
    """Every clock of the ticket at `now`, next-response cycles in order; a clock of `breaches` keeps its breach."""
    if not history:
        return []
    created = history[0].at
    done_at = next((c.at for c in history if c.status in DONE), None)
    replies = sorted(m.at for m in messages if not m.from_customer)
    first_stop = min((t for t in (replies[0] if replies else None, done_at) if t is not None), default=None)
    spans = [(ClockKind.FIRST_RESPONSE, 0, created, first_stop)]
    noted = {(b.kind, b.cycle): b for b in breaches}
    if replies and (targets.next_response is not None or any(k is ClockKind.NEXT_RESPONSE for k, _ in noted)):
        answers = enumerate(_answers(history, messages, replies[0]), start=1)
        spans += [(ClockKind.NEXT_RESPONSE, cycle, start, stop) for cycle, (start, stop) in answers]
    spans.append((ClockKind.RESOLUTION, 0, created, history[-1].at if history[-1].status in DONE else None))
    clocks: list[Clock] = []
    for kind, cycle, start, stop in spans:
        breach = noted.get((kind, cycle))
        target = breach.target_minutes if breach and breach.target_minutes else targets.of(kind)
        if target is not None:
            clocks.append(_clock(kind, cycle, target, history, start, stop, hours, now, breach))
    return clocks


def _answers(
    history: Sequence[Change], messages: Sequence[Message], first_reply: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Each customer answer after the first reply that waits for a reply: (answer, next reply or resolution)."""
    answers = sorted(
        {m.at for m in messages if m.from_customer and m.at > first_reply}
        | {
            c.at
            for prev, c in pairwise(history)
            if prev.status is TicketStatus.PENDING_CUSTOMER and c.status in RUNNING and c.at > first_reply
        }
    )
    ends = sorted([m.at for m in messages if not m.from_customer] + [c.at for c in history if c.status in DONE])
    cycles: list[tuple[dt.datetime, dt.datetime | None]] = []
    for at in answers:
        if cycles and (cycles[-1][1] is None or cycles[-1][1] > at):
            continue  # still waiting for the reply to an earlier answer
        cycles.append((at, next((e for e in ends if e > at), None)))
    return cycles


def _clock(
    kind: ClockKind,
    cycle: int,
    target: int,
    history: Sequence[Change],
    start: dt.datetime,
    stop: dt.datetime | None,
    hours: BusinessHours,
    now: dt.datetime,
    breach: Breach | None = None,
) -> Clock:
    segments = running_segments(history, start, stop)
    elapsed = sum(hours.seconds_between(a, min(b, now) if b else now) for a, b in segments if a < now)
    clock = Clock(kind, cycle, target, elapsed, ClockState.RUNNING, start, stop, None, tuple(segments))
    due = breach.due_at if breach else clock.reached(1.0, hours)  # a published breach stands as it was told
    if due is not None and due <= now:
        state = ClockState.BREACHED
    elif stop is not None and stop <= now:
        state = ClockState.MET
    elif history[-1].status not in RUNNING:
        state = ClockState.PAUSED
    else:
        state = ClockState.RUNNING
    return Clock(kind, cycle, target, elapsed, state, start, stop, due, tuple(segments))
