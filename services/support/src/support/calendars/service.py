"""Administrators keep business calendars; clocks read them as `BusinessHours`."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import ColumnElement, delete, func, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import field_name, items, note, required_text
from support.calendars.hours import BusinessHours, Span, compose
from support.calendars.models import BusinessCalendar
from support.sla.models import SlaPolicy, SlaRecheck
from support.tickets.models import Ticket, is_open

TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


@dataclass
class HoursInput:
    weekday: int  # 1 = Monday
    start: str
    end: str


@dataclass
class ClosureInput:
    start: dt.datetime
    end: dt.datetime
    reason: str | None = None


@dataclass
class CalendarInput:
    name: str
    time_zone: str = "Asia/Shanghai"
    weekly: list[HoursInput] = field(default_factory=list)
    statutory: bool = True
    holidays: list[dt.date] = field(default_factory=list)
    workdays: list[dt.date] = field(default_factory=list)
    closures: list[ClosureInput] = field(default_factory=list)


def minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def weekly_spans(rows: list[dict[str, object]]) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = {}
    for row in rows:
        spans.setdefault(int(str(row["weekday"])), []).append((minute(str(row["start"])), minute(str(row["end"]))))
    return spans


def check_hours(hours: Sequence[tuple[int | None, str, str]], name: str) -> None:
    """Each entry (weekday or None, start, end) has a weekday 1–7, HH:MM times with the start first, and overlaps
    no earlier entry of its day: else refused at the entry's field, as `weekly[2].end`."""
    taken: dict[int | None, list[Span]] = {}
    for i, (day, start, end) in enumerate(hours):
        if day is not None and not 1 <= day <= 7:
            raise BadInput("bad_hours", field=field_name([name, i, "weekday"]))
        for part, text in (("start", start), ("end", end)):
            if not TIME.match(text):
                raise BadInput("bad_hours", field=field_name([name, i, part]))
        span = (minute(start), minute(end))
        if span[0] >= span[1]:
            raise BadInput("bad_hours", field=field_name([name, i, "end"]))
        if any(a < span[1] and span[0] < b for a, b in taken.setdefault(day, [])):
            raise BadInput("bad_hours", field=field_name([name, i, "start"]))
        taken[day].append(span)


def _checked_weekly(weekly: list[HoursInput]) -> list[dict[str, object]]:
    check_hours([(h.weekday, h.start, h.end) for h in items(weekly, "weekly", 70)], "weekly")
    return [
        {"weekday": h.weekday, "start": h.start, "end": h.end}
        for h in sorted(weekly, key=lambda h: (h.weekday, h.start))
    ]


def _checked_closures(closures: list[ClosureInput]) -> list[dict[str, str]]:
    out = []
    for i, c in enumerate(items(closures, "closures", 500)):
        for name, instant in (("start", c.start), ("end", c.end)):
            if instant.tzinfo is None:  # an instant without its offset could be any of 24 hours
                raise BadInput("needs_time_zone", field=f"closures[{i}].{name}")
        if c.end <= c.start:
            raise BadInput("bad_period", field=f"closures[{i}].end")
        reason = note(c.reason, f"closures[{i}].reason", 200)
        out.append(
            {
                "start": c.start.astimezone(dt.UTC).isoformat(),
                "end": c.end.astimezone(dt.UTC).isoformat(),
                "reason": reason,
            }
        )
    return out


# each calendar's hours as last expanded, with what they were expanded from
_expanded: dict[uuid.UUID, tuple[tuple[object, ...], BusinessHours]] = {}


def hours_of(calendar: BusinessCalendar) -> BusinessHours:
    """The calendar's hours, expanded once per version of it: clocks of many tickets share them (and
    their memo of each day's intervals). The version is the calendar's content, so no change is missed."""
    version = (
        calendar.time_zone,
        json.dumps(calendar.weekly, sort_keys=True),
        calendar.statutory,
        tuple(calendar.holidays),
        tuple(calendar.workdays),
        json.dumps(calendar.closures, sort_keys=True),
    )
    known = _expanded.get(calendar.id)
    if known is not None and known[0] == version:
        return known[1]
    closures = tuple(
        (dt.datetime.fromisoformat(c["start"]), dt.datetime.fromisoformat(c["end"])) for c in calendar.closures
    )
    hours = compose(
        calendar.time_zone,
        weekly_spans(calendar.weekly),
        calendar.statutory,
        frozenset(calendar.holidays),
        frozenset(calendar.workdays),
        closures,
    )
    _expanded[calendar.id] = (version, hours)
    return hours


async def hours_by_id(uow: UnitOfWork, calendar_ids: set[uuid.UUID]) -> dict[uuid.UUID, BusinessHours]:
    """Several calendars' hours in one query."""
    if not calendar_ids:
        return {}
    rows = await uow.session.scalars(select(BusinessCalendar).where(col(BusinessCalendar.id).in_(calendar_ids)))
    return {c.id: hours_of(c) for c in rows.all()}


async def calendars(uow: UnitOfWork, principal: Principal) -> list[BusinessCalendar]:
    principal.require("support:calendar:read")
    return list((await uow.session.scalars(select(BusinessCalendar).order_by(col(BusinessCalendar.name)))).all())


async def save(
    uow: UnitOfWork, principal: Principal | None, calendar_id: uuid.UUID | None, data: CalendarInput
) -> BusinessCalendar:
    """Create or replace a calendar; the open tickets whose policies use it have their clocks recomputed."""
    if principal is not None:
        principal.require_governs(f"support:calendar:{'update' if calendar_id else 'create'}", None)
    if data.time_zone not in available_timezones():
        raise BadInput("bad_time_zone", field="timeZone")
    name = required_text(data.name, "name", 100)
    if await uow.session.scalar(
        select(col(BusinessCalendar.id)).where(
            col(BusinessCalendar.name) == name, col(BusinessCalendar.id) != calendar_id
        )
    ):
        raise Conflict("calendar_name_taken", field="name")
    calendar = await get(uow, calendar_id, lock=True) if calendar_id else BusinessCalendar(name=name)
    before = _state(calendar) if calendar_id else None
    calendar.name, calendar.time_zone, calendar.statutory = name, data.time_zone, data.statutory
    calendar.weekly = _checked_weekly(data.weekly)
    calendar.holidays = sorted(set(items(data.holidays, "holidays", 1000)))
    calendar.workdays = sorted(set(items(data.workdays, "workdays", 1000)))
    if set(calendar.holidays) & set(calendar.workdays):
        raise BadInput("holiday_or_workday", field="workdays")
    calendar.closures = _checked_closures(data.closures)
    calendar.updated_at = utcnow()
    uow.session.add(calendar)
    await uow.flush()
    after = _state(calendar)
    await audit.record(uow, "business_calendar.saved", "BusinessCalendar", calendar.id, before, after, actor=principal)
    await recheck(uow, calendar.id)
    return calendar


def _state(calendar: BusinessCalendar) -> dict[str, Any]:
    """A calendar as its audit record shows it, before and after a change."""
    state: dict[str, Any] = {"name": calendar.name, "timeZone": calendar.time_zone, "weekly": calendar.weekly}
    state |= {"statutory": calendar.statutory, "holidays": calendar.holidays, "workdays": calendar.workdays}
    return state | {"closures": calendar.closures}


def scope(calendar_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
    """The tickets a change of this calendar concerns (those whose policies use it); none: every ticket."""
    if calendar_id is None:
        return []
    return [col(Ticket.policy_id).in_(select(col(SlaPolicy.id)).where(col(SlaPolicy.calendar_id) == calendar_id))]


async def recheck(uow: UnitOfWork, calendar_id: uuid.UUID | None = None) -> SlaRecheck:
    """The SLA monitor recomputes the clocks of these open tickets a batch at a time (marking them all in one
    statement outlasted the statement timeout at 100,000); a recheck of the same tickets not finished yet is
    replaced, as the new one covers it."""
    unfinished = delete(SlaRecheck).where(col(SlaRecheck.finished_at).is_(None))
    if calendar_id is not None:
        unfinished = unfinished.where(col(SlaRecheck.calendar_id) == calendar_id)
    await uow.session.execute(unfinished)
    total = await uow.session.scalar(select(func.count()).select_from(Ticket).where(is_open(), *scope(calendar_id)))
    job = SlaRecheck(calendar_id=calendar_id, reason="calendar" if calendar_id else "policy", total=total or 0)
    uow.session.add(job)
    await uow.flush()
    return job


async def get(uow: UnitOfWork, calendar_id: uuid.UUID, field: str = "id", lock: bool = False) -> BusinessCalendar:
    calendar = await uow.session.get(BusinessCalendar, calendar_id, with_for_update=lock)
    if calendar is None:
        raise BadInput("unknown_calendar", field=field)
    return calendar
