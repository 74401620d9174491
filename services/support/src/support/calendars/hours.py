"""Business time on one calendar, as pure functions: how much lies between two instants, and when
a given amount has passed.

A day's hours come from the weekly schedule in the calendar's zone; a holiday has none, a make-up
workday (调休) that falls on a day without hours works the first working weekday's hours, and a
closure removes its span from whatever hours it covers. Times are timezone-aware; results are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # minutes after local midnight, start inclusive, end exclusive
Interval = tuple[dt.datetime, dt.datetime]
HORIZON_DAYS = 3 * 366  # a target further than this in business time is never reached


@dataclass(frozen=True)
class BusinessHours:
    zone: ZoneInfo
    weekly: tuple[tuple[Span, ...], ...]  # Monday first, seven entries
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    closures: tuple[Interval, ...] = field(default_factory=tuple)
    # each day's intervals once computed: the SLA monitor asks for the same days for thousands of tickets
    _days: dict[dt.date, list[Interval]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def spans(self, day: dt.date) -> tuple[Span, ...]:
        """The local working spans of `day`."""
        if day in self.holidays:
            return ()
        spans = self.weekly[day.weekday()]
        if not spans and day in self.workdays:
            return next((s for s in self.weekly if s), ())
        return spans

    def day_intervals(self, day: dt.date) -> list[Interval]:
        """The day's working time as UTC intervals, closures taken out."""
        out = self._days.get(day)
        if out is None:
            out = []
            for start, end in self.spans(day):
                interval = (self._at(day, start), self._at(day, end))
                out.extend(_without(interval, self.closures))
            self._days[day] = out
        return out

    def intervals(self, start: dt.datetime, end: dt.datetime | None) -> Iterator[Interval]:
        """Working intervals within [start, end) in order; without `end`, up to the horizon."""
        day = start.astimezone(self.zone).date() - dt.timedelta(days=1)  # a span may cross midnight in UTC
        last = (end.astimezone(self.zone).date() if end else day + dt.timedelta(days=HORIZON_DAYS)) + dt.timedelta(1)
        while day <= last:
            for a, b in self.day_intervals(day):
                a, b = max(a, start), min(b, end) if end else b
                if a < b:
                    yield a, b
            day += dt.timedelta(days=1)

    def seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Business seconds in [start, end)."""
        if end <= start:
            return 0
        return sum(int((b - a).total_seconds()) for a, b in self.intervals(start, end))

    def after(self, start: dt.datetime, seconds: int, end: dt.datetime | None = None) -> dt.datetime | None:
        """The instant at which `seconds` of business time have passed since `start` (before `end`), or None."""
        left = seconds
        for a, b in self.intervals(start, end):
            length = int((b - a).total_seconds())
            if left <= length:
                return a + dt.timedelta(seconds=left)
            left -= length
        return None

    def _at(self, day: dt.date, minute: int) -> dt.datetime:
        # wall-clock arithmetic: 09:00 stays 09:00 across a daylight-saving change
        local = dt.datetime.combine(day + dt.timedelta(days=minute // 1440), _clock(minute % 1440), self.zone)
        return local.astimezone(dt.UTC)


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def _without(interval: Interval, closures: tuple[Interval, ...]) -> list[Interval]:
    """`interval` minus every closure."""
    pieces = [interval]
    for c_start, c_end in closures:
        rest: list[Interval] = []
        for a, b in pieces:
            if c_end <= a or c_start >= b:
                rest.append((a, b))
                continue
            if a < c_start:
                rest.append((a, c_start))
            if c_end < b:
                rest.append((c_end, b))
        pieces = rest
    return pieces


def compose(
    zone: str,
    weekly: dict[int, list[Span]],
    statutory: bool = True,
    holidays: frozenset[dt.date] = frozenset(),
    workdays: frozenset[dt.date] = frozenset(),
    closures: tuple[Interval, ...] = (),
) -> BusinessHours:
    """A calendar's hours: `weekly` by ISO weekday (1 = Monday); the statutory days first, then the
    administrator's own, which win where the two disagree."""
    from support.calendars.statutory import statutory as announced

    off, on = announced() if statutory else (frozenset(), frozenset())
    return BusinessHours(
        zone=ZoneInfo(zone),
        weekly=tuple(tuple(sorted(weekly.get(day, []))) for day in range(1, 8)),
        holidays=(off - workdays) | holidays,
        workdays=(on - holidays) | workdays,
        closures=tuple(sorted(closures)),
    )
