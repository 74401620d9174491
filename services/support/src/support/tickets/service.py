"""Ticket operations: the only place that changes a ticket. Each records its history and publishes its event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef, require_account
from crm_shared.auth.directory import assignable, unit_of
from crm_shared.auth.principal import Principal
from crm_shared.contacts import require_contact
from crm_shared.crypto import encrypt
from crm_shared.db import UnitOfWork, effects, utcnow
from crm_shared.db.pages import Order, Page
from crm_shared.db.repository import contains_text
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import items, note, optional_text, required_text
from support.assignment import service as assignment
from support.assignment.models import Team
from support.events import (
    TicketAssigned,
    TicketCreated,
    TicketSnapshot,
)
from support.installed.service import require_installed
from support.sla import policies
from support.sla.models import SlaPolicy
from support.sla.risk import SlaRisk
from support.sla.risk import at as sla_at
from support.tickets.models import Entry, StatusChange, Ticket, is_open
from support.tickets.repository import Tickets
from support.tickets.states import DONE, Channel, Priority, Review, TicketStatus, TicketType

UNKNOWN_ACCOUNT = "support_unknown_account"
SORTS = {"created": "created_at", "updated": "updated_at", "priority": "priority"}


@dataclass
class TicketInput:
    subject: str
    account_id: uuid.UUID | None  # required of callers; a mail from an unknown address opens one without
    description: str | None = None
    contact_id: uuid.UUID | None = None
    type: TicketType = TicketType.INQUIRY
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.PHONE
    tags: list[str] = field(default_factory=list)
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None  # one installed at the account
    requester_email: str | None = None  # the address a mail came from: replies go there


@dataclass
class TicketChanges:
    account_id: uuid.UUID | None = None  # only for a ticket without one (opened by an unknown sender)
    subject: str | None = None
    description: str | None = None
    contact_id: uuid.UUID | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    channel: Channel | None = None
    tags: list[str] | None = None
    root_cause: str | None = None
    resolution: str | None = None


@dataclass
class TicketFilter:
    status: list[TicketStatus] | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    account_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool | None = None
    open: bool | None = None
    tag: str | None = None
    search: str | None = None  # the subject or the number, literally
    sla: SlaRisk | None = None
    order_by: str = "created"
    descending: bool = True


def snapshot(kind: type[TicketSnapshot], t: Ticket, **extra: Any) -> Any:
    return kind(
        id=t.id,
        number=t.number,
        title=t.subject,
        account_id=t.account_id,
        contact_id=t.contact_id,
        ticket_type=str(t.type),
        priority=str(t.priority),
        channel=str(t.channel),
        tags=list(t.tags),
        status=str(t.status),
        team_id=t.team_id,
        assignee_id=t.assignee_id,
        policy_id=t.policy_id,
        created_at=t.created_at,
        **extra,
    )


def _tags(values: list[str]) -> list[str]:
    return sorted({required_text(v, "tags", 50) for v in items(values, "tags", 50)})


async def get(uow: UnitOfWork, principal: Principal | None, ticket_id: uuid.UUID) -> Ticket:
    return await Tickets(uow, principal).get(ticket_id)


async def page(uow: UnitOfWork, principal: Principal, f: TicketFilter, first: int, after: str | None) -> Page[Ticket]:
    repo = Tickets(uow, principal)
    where: list[Any] = []
    if f.status:
        where.append(col(Ticket.status).in_([str(s) for s in f.status]))
    if f.open is not None:
        where.append(is_open() if f.open else col(Ticket.status).in_(sorted(str(s) for s in DONE)))
    for name in ("type", "priority", "account_id", "team_id", "assignee_id"):
        if (value := getattr(f, name)) is not None:
            where.append(getattr(Ticket, name) == value)
    if f.unassigned is not None:
        where.append(col(Ticket.assignee_id).is_(None) if f.unassigned else col(Ticket.assignee_id).is_not(None))
    if f.tag:
        where.append(col(Ticket.tags).contains([f.tag]))
    if f.search and f.search.strip():
        where.append(contains_text(f.search, col(Ticket.subject), col(Ticket.number), inline=True))
    if f.sla is not None:
        where.append(sla_at(f.sla))
    column = getattr(Ticket, SORTS.get(f.order_by, "created_at"))
    query = await repo.select(*where)
    return await repo.page(query, Order.by(column, Ticket.id, descending=f.descending), first, after)


async def _number(uow: UnitOfWork) -> str:
    value = await uow.session.scalar(text("SELECT nextval('ticket_number_seq')"))
    return f"TK{int(value or 0):07d}"


async def create(uow: UnitOfWork, principal: Principal | None, data: TicketInput) -> Ticket:
    """Open a ticket for an account the caller may see; routing rules pick its team and the team its agent
    unless the caller names them."""
    account = await _account(uow, principal, data.account_id)
    step = await effects.step(uow, "Ticket")
    if step.done is not None:  # this request ran before and made it; its answer was lost
        return await get(uow, principal, step.done)
    if data.contact_id is not None:
        if account is None:
            raise BadInput("required_field", field="accountId")
        await require_contact(uow, account.id, data.contact_id)
    if data.product_id is not None:
        if account is None:
            raise BadInput("required_field", field="accountId")
        await require_installed(uow, account.id, data.product_id)
    subject = required_text(data.subject, "subject", 200)
    description = note(data.description, "description", 10000)
    tags = _tags(data.tags)
    team = await _assignment(uow, principal, None, data.team_id, data.assignee_id)
    now = utcnow()
    ticket = Ticket(
        number=await _number(uow),  # only once the input is accepted: refused input leaves no gap in the numbers
        subject=subject,
        description=description,
        account_id=account.id if account else None,
        contact_id=data.contact_id,
        product_id=data.product_id,
        unknown_sender=account is None,
        requester_email_enc=encrypt(data.requester_email),
        type=data.type,
        priority=data.priority,
        channel=data.channel,
        tags=tags,
        created_by=principal.user_id if principal else None,
        created_at=now,
        updated_at=now,
        sla_next_at=now,
    )
    policy = await policies.choose(uow, ticket, account.level if account else None)
    ticket.policy_id = policy.id if policy else None
    uow.session.add(ticket)
    await uow.flush()  # the history row refers to it
    uow.session.add(StatusChange(ticket_id=ticket.id, to_status=TicketStatus.NEW, actor_id=ticket.created_by, at=now))
    await uow.flush()
    await audit.published(uow, snapshot(TicketCreated, ticket), "Ticket", ticket.id)
    rule = None
    if team is None and data.assignee_id is None:
        rule = await assignment.route(uow, ticket, account)
        team = await assignment.team(uow, rule.team_id) if rule else None
    if team is not None or data.assignee_id is not None:
        await _assign(uow, ticket, team, data.assignee_id, rule.id if rule else None)
    step.made(ticket.id)
    return ticket


async def _account(uow: UnitOfWork, principal: Principal | None, account_id: uuid.UUID | None) -> AccountRef | None:
    """The ticket's account: one the caller may see; for the service itself (mail), a known one or none."""
    if principal is not None:
        principal.require("support:ticket:create")
        if account_id is None:
            raise BadInput("required_field", field="accountId")
        return await require_account(uow, principal, account_id, message=UNKNOWN_ACCOUNT)
    if account_id is None:
        return None
    found = await uow.session.get(AccountRef, account_id)
    if found is None or found.deleted:
        raise BadInput(UNKNOWN_ACCOUNT, field="accountId")
    return found


async def _assignment(
    uow: UnitOfWork,
    principal: Principal | None,
    current_team_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None,
) -> Team | None:
    """The team named (checked), and the agent checked: one the caller may assign, in the team the ticket goes to."""
    team = await assignment.team(uow, team_id) if team_id is not None else None
    if assignee_id is not None:
        if principal is not None:
            await assignable(uow, principal, "support:ticket", assignee_id, "assigneeId")
        in_team = team.id if team is not None else current_team_id
        if in_team is not None and not await assignment.is_member(uow, in_team, assignee_id):
            raise BadInput("not_team_member", field="assigneeId")
    return team


async def _assign(
    uow: UnitOfWork,
    ticket: Ticket,
    team: Team | None,
    assignee_id: uuid.UUID | None,
    rule_id: uuid.UUID | None = None,
) -> None:
    """Give the ticket to a team and agent `_assignment` checked; a team alone picks its agent."""
    previous = ticket.assignee_id
    if team is not None:
        ticket.team_id, ticket.unit_id = team.id, team.unit_id
    if assignee_id is not None:
        ticket.assignee_id = assignee_id
        if ticket.team_id is None:  # given to an agent outside any team: their unit's managers and peers reach it
            ticket.unit_id = await unit_of(uow, assignee_id)
    elif team is not None:
        ticket.assignee_id = await assignment.pick(uow, team.id)
    ticket.updated_at = utcnow()
    await uow.flush()
    assigned = snapshot(TicketAssigned, ticket, previous_assignee_id=previous, by_rule_id=rule_id)
    await audit.published(uow, assigned, "Ticket", ticket.id, {"assigneeId": str(previous) if previous else None})


async def assign(
    uow: UnitOfWork,
    principal: Principal,
    ticket_id: uuid.UUID,
    team_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None,
) -> Ticket:
    """Move a ticket to another team (its agent picked there) or agent; the agent must be in the ticket's team."""
    ticket = await Tickets(uow, principal).get(ticket_id, "assign", lock=True)
    if team_id is None and assignee_id is None:
        raise BadInput("required_field", field="assigneeId")
    if ticket.status in DONE:
        raise Conflict("ticket_done")
    team = await _assignment(uow, principal, ticket.team_id, team_id, assignee_id)
    await _assign(uow, ticket, team, assignee_id)
    return ticket


EDITABLE = (
    "account_id",
    "subject",
    "description",
    "contact_id",
    "type",
    "priority",
    "channel",
    "tags",
    "root_cause",
    "resolution",
)


def _editable(ticket: Ticket) -> dict[str, Any]:
    return {name: getattr(ticket, name) for name in EDITABLE}


async def update(uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, data: TicketChanges) -> Ticket:
    ticket = await Tickets(uow, principal).get(ticket_id, "update", lock=True)
    # resolved as what it was: a complaint resolved otherwise would lack its root cause and review
    if data.type is not None and data.type is not ticket.type and ticket.status in DONE:
        raise Conflict("ticket_type_fixed", field="type")
    if ticket.status is TicketStatus.CLOSED:
        raise Conflict("ticket_done")
    before = _editable(ticket)
    given_account = data.account_id is not None and data.account_id != ticket.account_id
    if data.account_id is not None and given_account:
        if ticket.account_id is not None:
            raise BadInput("account_fixed", field="accountId")
        ticket.account_id = (await require_account(uow, principal, data.account_id, message=UNKNOWN_ACCOUNT)).id
        ticket.unknown_sender = False
    if data.subject is not None:
        ticket.subject = required_text(data.subject, "subject", 200)
    if data.description is not None:
        ticket.description = note(data.description, "description", 10000)
    if data.tags is not None:
        ticket.tags = _tags(data.tags)
    for name, named in (("root_cause", "rootCause"), ("resolution", "resolution")):
        if (value := getattr(data, name)) is not None:
            written = optional_text(value, named, 2000, multiline=True)
            _review_text(ticket, named, getattr(ticket, name), written)
            setattr(ticket, name, written)
    if data.contact_id is not None:
        if ticket.account_id is None:
            raise BadInput("required_field", field="accountId")
        await require_contact(uow, ticket.account_id, data.contact_id)
    if data.priority is not None and data.priority is not ticket.priority:
        ticket.escalated_from = None  # a person's priority: the policy follows it again
    for name in ("contact_id", "type", "priority", "channel"):
        if (value := getattr(data, name)) is not None:
            setattr(ticket, name, value)
    if data.type is not None or data.priority is not None or given_account:  # the account brings its level
        await rechoose_policy(uow, ticket)
    ticket.updated_at = utcnow()
    await uow.flush()
    await audit.record(uow, "ticket.updated", "Ticket", ticket.id, before, _editable(ticket))
    return ticket


def _review_text(ticket: Ticket, field: str, before: str | None, after: str | None) -> None:
    """What a service manager reviews, or approved, stays as they read it: reopening the complaint sends it back to
    work, where its root cause and resolution change again."""
    if after != before and ticket.review in (Review.PENDING, Review.APPROVED):
        raise Conflict("complaint_in_review", field=field)


async def rechoose_policy(uow: UnitOfWork, ticket: Ticket, active: list[SlaPolicy] | None = None) -> None:
    """The policy that fits the ticket now (of `active`, when the caller has read them); its clocks are
    recomputed with it."""
    account = await uow.session.get(AccountRef, ticket.account_id) if ticket.account_id else None
    policy = await policies.choose(uow, ticket, account.level if account else None, active)
    ticket.policy_id = policy.id if policy else None
    ticket.sla_next_at = utcnow()


async def history(uow: UnitOfWork, ticket_id: uuid.UUID) -> list[StatusChange]:
    rows = await uow.session.scalars(
        select(StatusChange)
        .where(col(StatusChange.ticket_id) == ticket_id)
        .order_by(col(StatusChange.at), col(StatusChange.seq))
    )
    return list(rows.all())


async def shown_history(uow: UnitOfWork, principal: Principal | None, ticket: Ticket) -> list[StatusChange]:
    """The history as the caller sees it: the reasons (a manager's review comment, say) only for those who work
    on the ticket; an account's owner sees the way, not the words."""
    rows = await history(uow, ticket.id)
    if await Tickets(uow, principal).works_on(ticket):
        return rows
    return [  # copies, never added to the session: the stored reasons stay
        StatusChange(
            ticket_id=r.ticket_id, from_status=r.from_status, to_status=r.to_status, actor_id=r.actor_id, at=r.at
        )
        for r in rows
    ]


async def entries(uow: UnitOfWork, principal: Principal | None, ticket: Ticket) -> list[Entry]:
    """The conversation, oldest first; internal notes only for those who work on the ticket."""
    query = select(Entry).where(col(Entry.ticket_id) == ticket.id)
    if not await Tickets(uow, principal).works_on(ticket):
        query = query.where(col(Entry.public))
    return list((await uow.session.scalars(query.order_by(col(Entry.at), col(Entry.id)))).all())
