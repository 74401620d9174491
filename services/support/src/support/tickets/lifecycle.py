"""A ticket's conversation and its way through the statuses; a complaint's review by a service manager."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import optional_text, required_text
from support.events import (
    TicketCustomerMessage,
    TicketReopened,
    TicketReplied,
    TicketResolved,
    TicketStatusChanged,
)
from support.macros import service as macros
from support.mail import outbound
from support.mail.outbound import Upload
from support.settings import SupportSettings
from support.tickets.models import Entry, StatusChange, Ticket
from support.tickets.repository import Tickets
from support.tickets.service import snapshot
from support.tickets.states import DONE, Review, TicketStatus, TicketType, allowed, shown


async def reply(
    uow: UnitOfWork,
    principal: Principal,
    ticket_id: uuid.UUID,
    body: str | None,
    attachments: Sequence[Upload] = (),
    mail: SupportSettings | None = None,
    macro_id: uuid.UUID | None = None,
) -> Entry:
    """A public reply to the customer; the first one opens a new ticket and meets its first-response clock.

    The text is `body`, else the canned response `macro_id` filled in for the ticket. With `mail`, it is also
    mailed to the customer: queued in the same transaction, sent by the mail sender.
    """
    if body is None and macro_id is not None:
        body = await macros.render(uow, principal, macro_id, ticket_id)
    if body is None:
        raise BadInput("required_field", field="body")
    ticket = await Tickets(uow, principal).get(ticket_id, "update", lock=True)
    if ticket.status in DONE:
        raise Conflict("ticket_done")
    entry = Entry(
        ticket_id=ticket.id,
        public=True,
        body=required_text(body, "body", 20000, multiline=True),
        author_id=principal.user_id,
    )
    uow.session.add(entry)
    await uow.flush()
    if mail is not None:
        await outbound.attach(uow, entry, attachments, mail)
        await outbound.queue(uow, ticket, entry, mail)
    if ticket.status is TicketStatus.NEW:
        await move(uow, principal, ticket, TicketStatus.OPEN, None)
    ticket.updated_at = ticket.sla_next_at = utcnow()
    await uow.flush()
    replied = snapshot(TicketReplied, ticket, entry_id=entry.id, author_id=principal.user_id)
    await audit.published(uow, replied, "Ticket", ticket.id)
    return entry


async def customer_message(uow: UnitOfWork, ticket: Ticket, body: str, message_id: str | None) -> Entry:
    """The customer wrote: a ticket waiting on them, or resolved (the caller checked the reopen window), is open
    again, which starts a next-response clock after a reply."""
    entry = Entry(ticket_id=ticket.id, public=True, from_customer=True, body=body, message_id=message_id)
    uow.session.add(entry)
    reopened = ticket.status in DONE
    if ticket.status is TicketStatus.PENDING_CUSTOMER or reopened:
        await move(uow, None, ticket, TicketStatus.OPEN, "customer_replied")
    ticket.updated_at = ticket.sla_next_at = utcnow()
    await uow.flush()
    await uow.publish(snapshot(TicketCustomerMessage, ticket, entry_id=entry.id, reopened=reopened))
    return entry


def reopenable(ticket: Ticket, reopen_days: int) -> bool:
    """Still open, or resolved recently enough to take up again."""
    if ticket.status not in DONE:
        return True
    return ticket.resolved_at is None or utcnow() - ticket.resolved_at <= dt.timedelta(days=reopen_days)


async def add_note(uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, body: str) -> Entry:
    """An internal note: agents see it, the customer never does, and no clock moves."""
    ticket = await Tickets(uow, principal).get(ticket_id, "update")
    entry = Entry(
        ticket_id=ticket.id,
        public=False,
        body=required_text(body, "body", 20000, multiline=True),
        author_id=principal.user_id,
    )
    uow.session.add(entry)
    await uow.flush()
    await audit.record(uow, "ticket.note_added", "Ticket", ticket.id, None, {"entryId": str(entry.id)})
    return entry


async def change_status(
    uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, to: TicketStatus, reason: str | None, reopen_days: int
) -> Ticket:
    ticket = await Tickets(uow, principal).get(ticket_id, "update", lock=True)
    if not allowed(ticket.status, to):
        raise Conflict("ticket_transition", from_status=shown(ticket.status), to_status=shown(to))
    reason = optional_text(reason, "reason", 500, multiline=True)
    if to is TicketStatus.OPEN and not reopenable(ticket, reopen_days):
        raise Conflict("reopen_window", days=reopen_days)
    if (
        ticket.type is TicketType.COMPLAINT
        and to is TicketStatus.RESOLVED
        and not (ticket.root_cause and ticket.resolution)
    ):
        raise BadInput("complaint_needs_cause", field="rootCause" if not ticket.root_cause else "resolution")
    pending = ticket.type is TicketType.COMPLAINT or ticket.review is Review.PENDING
    if to is TicketStatus.CLOSED and pending and ticket.review is not Review.APPROVED:
        raise Conflict("complaint_needs_review")
    await move(uow, principal, ticket, to, reason)
    return ticket


async def move(
    uow: UnitOfWork, principal: Principal | None, ticket: Ticket, to: TicketStatus, reason: str | None
) -> None:
    previous = ticket.status
    now = utcnow()
    ticket.status, ticket.updated_at, ticket.sla_next_at = to, now, now
    actor = principal.user_id if principal else None
    uow.session.add(
        StatusChange(ticket_id=ticket.id, from_status=previous, to_status=to, reason=reason, actor_id=actor, at=now)
    )
    if to is TicketStatus.RESOLVED:
        ticket.resolved_at = now
        if ticket.type is TicketType.COMPLAINT:
            ticket.review, ticket.reviewed_by, ticket.review_comment = Review.PENDING, None, None
    await uow.flush()
    changed = snapshot(TicketStatusChanged, ticket, from_status=str(previous), reason=reason)
    await audit.published(uow, changed, "Ticket", ticket.id, {"status": str(previous)})
    if to is TicketStatus.RESOLVED:
        await uow.publish(snapshot(TicketResolved, ticket, resolution=ticket.resolution, root_cause=ticket.root_cause))
    if previous in DONE and to is TicketStatus.OPEN:
        ticket.review = Review.NONE  # whatever its type now: a review read before the reopening is void
        await uow.publish(snapshot(TicketReopened, ticket, reason=reason))


async def resolver(uow: UnitOfWork, ticket_id: uuid.UUID) -> uuid.UUID | None:
    """Who resolved the ticket last: their own resolution is not theirs to approve."""
    return await uow.session.scalar(
        select(col(StatusChange.actor_id))
        .where(col(StatusChange.ticket_id) == ticket_id, col(StatusChange.to_status) == TicketStatus.RESOLVED)
        .order_by(col(StatusChange.at).desc(), col(StatusChange.seq).desc())
        .limit(1)
    )


async def review_complaint(
    uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, approve: bool, comment: str | None
) -> Ticket:
    """A service manager approves a resolved complaint's root cause and resolution, or sends it back to work."""
    ticket = await Tickets(uow, principal).get(ticket_id, "review", lock=True)
    if ticket.type is not TicketType.COMPLAINT:
        raise BadInput("not_a_complaint", field="id")
    if ticket.review is not Review.PENDING or ticket.status is not TicketStatus.RESOLVED:
        raise Conflict("complaint_not_pending")
    principal.require_independent(ticket.assignee_id, await resolver(uow, ticket.id))
    ticket.reviewed_by, ticket.review_comment = (
        principal.user_id,
        optional_text(comment, "comment", 1000, multiline=True),
    )
    if approve:
        ticket.review = Review.APPROVED
    else:
        await move(uow, principal, ticket, TicketStatus.OPEN, ticket.review_comment)
        ticket.review = Review.REJECTED
    ticket.updated_at = utcnow()
    await uow.flush()
    await audit.record(
        uow, "ticket.complaint_reviewed", "Ticket", ticket.id, {"review": "pending"}, {"review": str(ticket.review)}
    )
    return ticket
