"""What the GraphQL types read of mail: an entry's attachments and its outgoing mail."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from support.mail.models import Attachment, OutgoingMail


async def attachments(uow: UnitOfWork, entry_id: uuid.UUID) -> list[Attachment]:
    rows = await uow.session.scalars(
        select(Attachment).where(col(Attachment.entry_id) == entry_id).order_by(col(Attachment.created_at))
    )
    return list(rows.all())


async def outgoing(uow: UnitOfWork, entry_id: uuid.UUID) -> OutgoingMail | None:
    return await uow.session.scalar(select(OutgoingMail).where(col(OutgoingMail.entry_id) == entry_id))
