"""Keeping agents' rosters, and who is on shift at an instant (assignment asks before picking an agent)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.directory import assignable
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import items
from support.calendars.service import check_hours, minute
from support.shifts.models import AgentShift


@dataclass
class Hours:
    start: str  # HH:MM
    end: str  # HH:MM, 24:00 for midnight


@dataclass
class WeeklyShift(Hours):
    weekday: int = 1  # 1 = Monday


@dataclass
class ShiftException:
    day: dt.date
    hours: list[Hours] = field(default_factory=list)  # none: a day off


@dataclass
class RosterInput:
    user_id: uuid.UUID
    time_zone: str = "Asia/Shanghai"
    weekly: list[WeeklyShift] = field(default_factory=list)
    exceptions: list[ShiftException] = field(default_factory=list)


async def save(uow: UnitOfWork, principal: Principal | None, data: RosterInput) -> AgentShift:
    """Replace an agent's roster; a manager keeps those of the agents in their units."""
    if principal is not None:
        principal.require("support:shift:update")
        await assignable(uow, principal, "support:team", data.user_id, "userId", reads="support:ticket")
    if data.time_zone not in available_timezones():
        raise BadInput("bad_time_zone", field="timeZone")
    weekly = items(data.weekly, "weekly", 70)
    check_hours([(w.weekday, w.start, w.end) for w in weekly], "weekly")
    exceptions = items(data.exceptions, "exceptions", 400)
    if len({e.day for e in exceptions}) != len(exceptions):
        raise BadInput("one_exception_per_day", field="exceptions")
    for i, e in enumerate(exceptions):
        check_hours([(None, h.start, h.end) for h in e.hours], f"exceptions[{i}].hours")
    row = await uow.session.get(AgentShift, data.user_id, with_for_update=True) or AgentShift(user_id=data.user_id)
    row.time_zone = data.time_zone
    row.weekly = [
        {"weekday": w.weekday, "start": w.start, "end": w.end}
        for w in sorted(weekly, key=lambda w: (w.weekday, w.start))
    ]
    row.exceptions = [
        {"day": e.day.isoformat(), "hours": [{"start": h.start, "end": h.end} for h in e.hours]}
        for e in sorted(exceptions, key=lambda e: e.day)
    ]
    row.updated_at = utcnow()
    uow.session.add(row)
    await uow.flush()
    after = {"timeZone": row.time_zone, "weekly": row.weekly, "exceptions": row.exceptions}
    await audit.record(uow, "agent_shift.saved", "AgentShift", row.user_id, None, after, actor=principal)
    return row


async def rosters(uow: UnitOfWork, principal: Principal) -> list[AgentShift]:
    principal.require("support:shift:read")
    return list((await uow.session.scalars(select(AgentShift).order_by(col(AgentShift.user_id)))).all())


def covers(row: AgentShift, at: dt.datetime) -> bool:
    """Whether the roster has the agent working at `at`: that day's exception, else the weekly pattern."""
    local = at.astimezone(ZoneInfo(row.time_zone))
    now = local.hour * 60 + local.minute
    day = local.date().isoformat()
    exception = next((e for e in row.exceptions if e["day"] == day), None)
    spans: list[dict[str, str]] = list(exception["hours"]) if exception else []  # type: ignore[call-overload]
    if exception is None:
        spans = [
            {"start": str(w["start"]), "end": str(w["end"])} for w in row.weekly if w["weekday"] == local.isoweekday()
        ]
    return any(minute(s["start"]) <= now < minute(s["end"]) for s in spans)


async def on_shift(uow: UnitOfWork, user_ids: list[uuid.UUID], at: dt.datetime) -> set[uuid.UUID]:
    """Of `user_ids`, those working at `at`; an agent without a roster always is."""
    rows = {
        r.user_id: r
        for r in (await uow.session.scalars(select(AgentShift).where(col(AgentShift.user_id).in_(user_ids)))).all()
    }
    return {u for u in user_ids if u not in rows or covers(rows[u], at)}
