"""A file of a ticket's conversation, for those who read the message it came with."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import NotFound
from support.mail.models import Attachment
from support.tickets.models import Entry
from support.tickets.repository import Tickets


def path(ticket_id: uuid.UUID, attachment_id: uuid.UUID) -> str:
    """Where the file downloads: support's REST route, which the Ingress (and `make run`'s console) serve."""
    return f"/api/v1/tickets/{ticket_id}/attachments/{attachment_id}"


async def get(uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, attachment_id: uuid.UUID) -> Attachment:
    """The file if the caller reads its ticket and its message (an internal note's only for those who work on
    the ticket); NOT_FOUND otherwise, as for a ticket they do not reach."""
    repo = Tickets(uow, principal)
    ticket = await repo.get(ticket_id)
    found = await uow.session.execute(
        select(Attachment, col(Entry.public))
        .join(Entry, col(Entry.id) == col(Attachment.entry_id))
        .where(col(Attachment.id) == attachment_id, col(Entry.ticket_id) == ticket.id)
    )
    row = found.first()
    if row is None or not (row[1] or await repo.works_on(ticket)):
        raise NotFound(entity="Attachment")
    return row[0]
