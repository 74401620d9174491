"""Refresh-token sessions: finding one by its secret, ending one family or every session of a user."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlmodel import col

from crm_shared.db import UnitOfWork, utcnow
from identity.auth.models import PasswordReset, RefreshToken
from identity.auth.tokens import hash_secret


async def by_secret(uow: UnitOfWork, token: str, lock: bool = False) -> RefreshToken | None:
    query = select(RefreshToken).where(col(RefreshToken.token_hash) == hash_secret(token))
    return await uow.session.scalar(query.with_for_update() if lock else query)


async def revoke_family(uow: UnitOfWork, family_id: uuid.UUID, keep: uuid.UUID | None = None) -> None:
    """Revoke a session's every token (but `keep`, a row the caller's own transaction holds locked)."""
    query = update(RefreshToken).where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
    if keep is not None:
        query = query.where(col(RefreshToken.id) != keep)
    await uow.session.execute(query.values(revoked_at=utcnow()))


async def revoke_sessions(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    await uow.session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


async def void_reset_links(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    """Once the password changed, no reset link mailed before may change it again."""
    await uow.session.execute(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user_id, col(PasswordReset.used_at).is_(None))
        .values(used_at=utcnow())
    )
