"""The SLA monitor: publishes each clock's warning and breach once, and escalates on breach.

A scheduled job looks at the tickets whose `sla_next_at` has come (every change of a ticket sets it
to now; a change of its policy or calendar asks for a recheck), recomputes their clocks from history and publishes every
threshold reached and not yet noted. The note (ticket, clock, cycle, kind) is inserted in the
same transaction as the event's outbox row, so each warning and breach leaves exactly once, across
restarts and replicas. Then `sla_next_at` becomes the next instant a threshold can come due.

A run takes a batch of due tickets (locked, skipping those another replica holds) and reads what
their clocks need in a few queries: histories, messages, the breaches already published (a breach stays
one), policies and calendars (each calendar's hours expanded once per version). A changed policy or
calendar leaves a recheck (`SlaRecheck`) whose open tickets fill the room the due ones leave, in id
order, so a due warning or breach never waits behind a hundred thousand recomputations. A full batch
runs the job again at once; otherwise it wakes when the next threshold comes due.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Uuid, any_, cast, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col, select

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.org import managers_above
from crm_shared.service import RunAgain
from support.analytics import figures
from support.calendars import service as calendars
from support.calendars.service import hours_by_id
from support.events import SlaBreached, SlaWarning, TicketEscalated
from support.sla import policies
from support.sla.clocks import timelines
from support.sla.engine import Clock, compute
from support.sla.models import SlaPolicy, SlaRecheck
from support.tickets.models import Ticket, is_open
from support.tickets.service import snapshot
from support.tickets.states import OPEN_STATES, Priority, TicketStatus, TicketType

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """What the monitor reads of a due ticket (the whole row only when a notice goes out for it)."""

    id: uuid.UUID
    status: TicketStatus
    priority: Priority
    escalated_from: Priority | None
    type: TicketType
    account_id: uuid.UUID | None
    policy_id: uuid.UUID | None
    resolved_at: dt.datetime | None


COLUMNS: tuple[Any, ...] = tuple(
    col(c)
    for c in (
        Ticket.id,
        Ticket.status,
        Ticket.priority,
        Ticket.escalated_from,
        Ticket.type,
        Ticket.account_id,
        Ticket.policy_id,
        Ticket.resolved_at,
    )
)
RESCHEDULE = text(
    "UPDATE tickets t SET sla_next_at = u.next_at, policy_id = u.policy_id "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:next_at AS timestamptz[]), CAST(:policy_ids AS uuid[])) "
    "AS u(id, next_at, policy_id) WHERE t.id = u.id "
    # a recheck that moves nothing writes no new row version (nor index entries, nor work for the vacuum)
    "AND (t.sla_next_at, t.policy_id) IS DISTINCT FROM (u.next_at, u.policy_id)"
)

# the notices of a batch, bound as arrays: the ones inserted are those not published before
NOTE = text(
    "INSERT INTO sla_notices (ticket_id, clock, cycle, kind, due_at, target_minutes, published_at) "
    "SELECT u.*, CAST(:now AS timestamptz) FROM unnest(CAST(:ticket_ids AS uuid[]), CAST(:clocks AS varchar[]), "
    "CAST(:cycles AS integer[]), CAST(:kinds AS varchar[]), CAST(:due_at AS timestamptz[]), "
    "CAST(:targets AS integer[])) AS u "
    "ON CONFLICT DO NOTHING RETURNING ticket_id, clock, cycle, kind"
)
# what a notice's event carries of its ticket (`tickets.service.snapshot`)
SNAPSHOT: tuple[Any, ...] = tuple(
    col(c)
    for c in (
        Ticket.id,
        Ticket.number,
        Ticket.subject,
        Ticket.account_id,
        Ticket.contact_id,
        Ticket.type,
        Ticket.priority,
        Ticket.channel,
        Ticket.tags,
        Ticket.status,
        Ticket.team_id,
        Ticket.assignee_id,
        Ticket.policy_id,
        Ticket.created_at,
    )
)


@dataclass(frozen=True)
class Notice:
    """A threshold a clock has reached: published unless it already was."""

    ticket_id: uuid.UUID
    policy: SlaPolicy
    clock: Clock
    kind: str  # warning, breach
    at: dt.datetime

    @property
    def key(self) -> tuple[uuid.UUID, str, int, str]:
        return self.ticket_id, str(self.clock.kind), self.clock.cycle, self.kind


class SlaMonitor:
    def __init__(self, batch: int = 500, every: float = 1.0) -> None:
        self.batch = batch
        self.every = every

    async def run(self, uow: UnitOfWork) -> RunAgain:
        """One pass over a batch of due tickets, filled up from a recheck after a policy or calendar change; then
        again at once if there may be more, else when the next is due."""
        now = utcnow()
        found = await uow.session.execute(
            select(*COLUMNS)
            .where(col(Ticket.sla_next_at) <= now)
            .order_by(col(Ticket.sla_next_at))
            .limit(self.batch)
            .with_for_update(skip_locked=True)
        )
        rows = [Due(*r) for r in found]
        recheck = await self._recheck(uow, rows) if len(rows) < self.batch else None
        if recheck is not None:
            rows += recheck
        if rows:
            await self.check(uow, rows, now)
        if len(rows) >= self.batch or recheck is not None:
            return RunAgain()
        upcoming = await uow.session.scalar(
            select(func.min(col(Ticket.sla_next_at))).where(col(Ticket.sla_next_at) > now)
        )
        wait = (upcoming - now).total_seconds() if upcoming else self.every
        return RunAgain(min(max(wait, 0.0), self.every))

    async def _recheck(self, uow: UnitOfWork, due: list[Due]) -> list[Due] | None:
        """The next open tickets of the oldest recheck not finished, as many as the due ones leave room for
        (None: no recheck waits); the recheck's row moves on past them."""
        job = await uow.session.scalar(
            select(SlaRecheck)
            .where(col(SlaRecheck.finished_at).is_(None))
            .order_by(col(SlaRecheck.requested_at), col(SlaRecheck.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job is None:
            return None
        room = self.batch - len(due)
        if job.started_at is None:
            job.started_at = utcnow()
        # tickets opened since it was taken up get their first look under the new rules: not twice
        query = select(*COLUMNS).where(
            is_open(), col(Ticket.created_at) <= job.started_at, *calendars.scope(job.calendar_id)
        )
        if job.after_id is not None:
            query = query.where(col(Ticket.id) > job.after_id)
        # waits for a ticket being changed rather than skipping it: each one is recomputed once the change is in
        found = await uow.session.execute(query.order_by(col(Ticket.id)).limit(room).with_for_update())
        rows = [Due(*r) for r in found]
        job.checked += len(rows)
        job.after_id = rows[-1].id if rows else job.after_id
        if len(rows) < room:
            job.finished_at = utcnow()
            log.info("SLA recheck after a %s change: %d open tickets recomputed", job.reason, job.checked)
        taken = {t.id for t in due}
        return [t for t in rows if t.id not in taken]

    async def check(self, uow: UnitOfWork, rows: list[Due], now: dt.datetime) -> int:
        """Recompute the tickets' clocks, record their figures and publish what came due; returns the notices sent."""
        known = await policies.every(uow)
        chosen = await self._rechoose(uow, rows, [p for p in known.values() if p.active])
        hours = await hours_by_id(uow, {known[p].calendar_id for p in chosen.values() if p in known})
        lines = await timelines(uow, [t.id for t in rows if chosen[t.id] in known])
        computed: list[tuple[uuid.UUID, dt.datetime | None, list[Clock]]] = []
        upcoming: dict[uuid.UUID, dt.datetime | None] = {}
        due: list[Notice] = []
        # what each policy's clocks need, read once a batch rather than once a ticket
        plans = {
            p.id: (p, policies.targets(p), p.warn_percent / 100, hours[p.calendar_id])
            for p in known.values()
            if p.calendar_id in hours
        }
        for ticket in rows:
            policy_id = chosen[ticket.id]
            plan = plans.get(policy_id) if policy_id else None
            if plan is None:
                computed.append((ticket.id, ticket.resolved_at, []))
                upcoming[ticket.id] = None
                continue
            policy, targets, warn, calendar = plan
            changes, messages, breaches = lines[ticket.id]
            clocks = compute(changes, messages, targets, calendar, now, breaches)
            computed.append((ticket.id, ticket.resolved_at, clocks))
            later = []
            for clock in clocks:
                # the breach is the clock's due instant, computed with it
                for kind, at in (("warning", clock.reached(warn, calendar)), ("breach", clock.due_at)):
                    if at is None:
                        continue
                    if at > now:
                        later.append(at)
                    else:
                        due.append(Notice(ticket.id, policy, clock, kind, at))
            upcoming[ticket.id] = min(later, default=None)
        ids = list(upcoming)
        await uow.session.execute(
            RESCHEDULE, {"ids": ids, "next_at": [upcoming[i] for i in ids], "policy_ids": [chosen[i] for i in ids]}
        )
        await figures.record(uow, computed)  # what analytics aggregates
        return await self._publish(uow, due)

    @staticmethod
    async def _rechoose(uow: UnitOfWork, rows: list[Due], active: list[SlaPolicy]) -> dict[uuid.UUID, uuid.UUID | None]:
        """Each ticket's policy: an open one takes the policy that fits it now (a changed policy may fit it), by the
        priority a person gave it (`policies.chosen_by`)."""
        accounts = list({t.account_id for t in rows if t.account_id and t.status in OPEN_STATES})
        levels: dict[uuid.UUID, str | None] = {}
        if accounts:
            found = await uow.session.execute(
                select(col(AccountRef.id), col(AccountRef.level)).where(
                    col(AccountRef.id) == any_(cast(accounts, ARRAY(Uuid)))
                )
            )
            levels = {account_id: level for account_id, level in found}
        chosen = {}
        fits: dict[tuple[Priority, TicketType, str | None], uuid.UUID | None] = {}  # a batch has few kinds of ticket
        for ticket in rows:
            if ticket.status in OPEN_STATES:
                level = levels.get(ticket.account_id) if ticket.account_id else None
                key = (policies.chosen_by(ticket), ticket.type, level)
                if key not in fits:
                    policy = policies.best(ticket, level, active)
                    fits[key] = policy.id if policy else None
                chosen[ticket.id] = fits[key]
            else:
                chosen[ticket.id] = ticket.policy_id
        return chosen

    async def _publish(self, uow: UnitOfWork, due: list[Notice]) -> int:
        """The notices not yet published: noted in one statement, published in bulk, escalations after their breach."""
        if not due:
            return 0
        noted = await uow.session.execute(
            NOTE,
            {
                "ticket_ids": [n.ticket_id for n in due],
                "clocks": [n.key[1] for n in due],
                "cycles": [n.key[2] for n in due],
                "kinds": [n.kind for n in due],
                "due_at": [n.at for n in due],
                "targets": [n.clock.target_minutes for n in due],
                "now": utcnow(),
            },
        )
        new = {tuple(r) for r in noted}
        fresh = [n for n in due if n.key in new]
        if not fresh:
            return 0
        wanted = list({n.ticket_id for n in fresh})  # locked already: the batch's rows
        # read as plain rows: a batch's events need their columns, not a thousand tracked objects
        found = await uow.session.execute(select(*SNAPSHOT).where(col(Ticket.id) == any_(cast(wanted, ARRAY(Uuid)))))
        tickets: dict[uuid.UUID, Any] = {t.id: t for t in found.all()}
        events: list[SlaWarning | SlaBreached] = []
        for n in fresh:  # a warning found after its breach (the monitor was down) still goes out, first
            ticket = tickets[n.ticket_id]
            events.append(self._event(ticket, n))
            # a breach found after the resolution is reported, not escalated
            if n.kind == "breach" and ticket.status in OPEN_STATES and escalates(n.policy):
                await uow.publish_many(events)  # the escalation follows its breach
                events = []
                await escalate(uow, await uow.session.get_one(Ticket, n.ticket_id), n.policy, str(n.clock.kind))
        await uow.publish_many(events)
        return len(fresh)

    @staticmethod
    def _event(ticket: Any, n: Notice) -> SlaWarning | SlaBreached:
        common = {"clock": str(n.clock.kind), "cycle": n.clock.cycle, "target_minutes": n.clock.target_minutes}
        if n.kind == "warning":
            return snapshot(SlaWarning, ticket, share_percent=n.policy.warn_percent, due_at=n.at, **common)
        return snapshot(SlaBreached, ticket, due_at=n.at, **common)


def escalates(policy: SlaPolicy) -> bool:
    return policy.raise_priority or policy.escalate


async def escalate(uow: UnitOfWork, ticket: Ticket, policy: SlaPolicy, clock: str) -> None:
    """Per policy: raise the priority one step, and go one level further up the assignee's (or team's) manager chain."""
    if not escalates(policy):
        return
    before = ticket.priority
    if policy.raise_priority and before.raised() is not before:
        ticket.escalated_from = ticket.escalated_from or before  # the policy stays the one the breach was against
        ticket.priority = before.raised()
    to_user = None
    if policy.escalate:
        from crm_shared.auth.directory import DirectoryUser

        assignee = await uow.session.get(DirectoryUser, ticket.assignee_id) if ticket.assignee_id else None
        start = assignee.unit_id if assignee and assignee.unit_id else ticket.unit_id
        chain = await managers_above(uow, start, ticket.assignee_id)
        if chain:
            to_user = chain[min(ticket.escalation_level, len(chain) - 1)]
            ticket.escalation_level = min(ticket.escalation_level + 1, len(chain))
            ticket.escalated_to_id = to_user
            if policy.reassign:
                ticket.assignee_id = to_user
    ticket.updated_at = utcnow()
    await uow.flush()
    escalated = snapshot(
        TicketEscalated,
        ticket,
        level=ticket.escalation_level,
        to_user_id=to_user,
        clock=clock,
        from_priority=str(before),
    )
    await audit.published(uow, escalated, "Ticket", ticket.id, {"priority": str(before)})
