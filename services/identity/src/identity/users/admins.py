"""The organisation keeps an active administrator: nobody takes the last one's role away or deactivates them."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlmodel import col

from crm_shared.db import UnitOfWork
from crm_shared.errors import Conflict
from identity.users.models import User

ADMIN = "admin"
# one such change at a time: two administrators taking each other's role at once must not both pass the count
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('identity:last_admin'))")


async def keep_an_admin(uow: UnitOfWork, user: User, field: str) -> None:
    """`user` is about to stop being an active administrator: CONFLICT at `field` unless another active one remains."""
    if not user.is_active or ADMIN not in user.roles:
        return
    await uow.session.execute(_LOCK)
    others = select(func.count()).where(
        col(User.roles).contains([ADMIN]), col(User.is_active).is_(True), col(User.id) != user.id
    )
    if not await uow.session.scalar(others):
        raise Conflict("last_admin", field=field)
