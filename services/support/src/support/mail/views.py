"""What the GraphQL types read of mail: an entry's attachments and its outgoing mail."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import col

from crm_shared.db import UnitOfWork
from support.mail.models import Attachment, OutgoingMail


async def attachments(uow: UnitOfWork, entry_id: uuid.UUID) -> list[Attachment]:
    """An entry's files as listed (their content stays in the database until downloaded)."""
    rows = await uow.session.scalars(
        select(Attachment)
        .options(defer(Attachment.content, raiseload=True))  # type: ignore[arg-type]
        .where(col(Attachment.entry_id) == entry_id)
        .order_by(col(Attachment.created_at))
    )
    return list(rows.all())


async def outgoing(uow: UnitOfWork, entry_id: uuid.UUID) -> OutgoingMail | None:
    return await uow.session.scalar(select(OutgoingMail).where(col(OutgoingMail.entry_id) == entry_id))
