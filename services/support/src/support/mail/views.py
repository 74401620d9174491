"""What the GraphQL types read of mail: an entry's attachments and its outgoing mail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import col

from crm_shared.db import UnitOfWork
from support.mail.models import Attachment, OutgoingMail


async def attachments(uow: UnitOfWork, entry_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Attachment]]:
    """The entries' files as listed (their content stays in the database until downloaded), in one statement
    for a ticket's entries."""
    rows = await uow.session.scalars(
        select(Attachment)
        .options(defer(Attachment.content, raiseload=True))  # type: ignore[arg-type]
        .where(col(Attachment.entry_id).in_(entry_ids))
        .order_by(col(Attachment.created_at))
    )
    found: dict[uuid.UUID, list[Attachment]] = {entry_id: [] for entry_id in entry_ids}
    for row in rows.all():
        found[row.entry_id].append(row)
    return found


async def outgoing(uow: UnitOfWork, entry_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OutgoingMail | None]:
    """The entries' outgoing mails (a reply to a customer without an address has none)."""
    rows = await uow.session.scalars(select(OutgoingMail).where(col(OutgoingMail.entry_id).in_(entry_ids)))
    mails = {row.entry_id: row for row in rows.all()}
    return {entry_id: mails.get(entry_id) for entry_id in entry_ids}
