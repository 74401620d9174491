"""Users as the caller may see them: themselves, or others within their `identity:user` scope."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.auth.revocation import Standing
from crm_shared.db.repository import Repository, contains_text
from crm_shared.errors import NotFound
from identity.auth.models import ServiceAccount
from identity.org.models import OrgUnit
from identity.users.models import User


class Users(Repository[User]):
    model = User
    resource = "identity:user"
    owner_field = "id"

    async def reaches(self, row: User) -> bool:
        """A user is scoped by their own id and unit (the directory other services keep is identity's output)."""
        return self.principal is None or self.principal.may_access(self.resource, row.id, row.org_unit_id)

    async def seen(self, user_id: uuid.UUID, *, lock: bool = False) -> User:
        """A user the caller may see: themselves, or others within their `identity:user` scope when they may read
        users; NOT_FOUND otherwise, as for a user who does not exist."""
        user = await self.session.get(User, user_id, with_for_update=lock)
        if user is None or not (user.id == getattr(self.principal, "user_id", None) or await self._reads(user)):
            raise NotFound(entity=self.entity)
        return user

    async def _reads(self, user: User) -> bool:
        return self.principal is None or (self.principal.can(f"{self.resource}:read") and await self.reaches(user))

    async def visible(self) -> ColumnElement[bool]:
        if self.principal is None:
            return true()
        return self.principal.scope_filter(self.resource, col(User.id), col(User.org_unit_id))

    async def by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(col(User.email) == email))

    async def email_taken(self, email: str, except_id: uuid.UUID | None = None) -> bool:
        query = select(func.count()).select_from(User).where(col(User.email) == email)
        if except_id is not None:
            query = query.where(col(User.id) != except_id)
        return bool(await self.session.scalar(query))

    async def in_units(self, unit_ids: list[uuid.UUID]) -> list[User]:
        """The users of the units, locked: their grants are about to change."""
        query = select(User).where(col(User.org_unit_id).in_(unit_ids)).order_by(col(User.id)).with_for_update()
        return list((await self.session.scalars(query)).all())

    async def in_unit(self, unit_id: uuid.UUID) -> int:
        return int(await self.session.scalar(select(func.count()).where(col(User.org_unit_id) == unit_id)) or 0)


def filtered(
    query: Select[tuple[User]],
    search: str | None,
    role: str | None,
    unit_id: uuid.UUID | None,
    is_active: bool | None,
) -> Select[tuple[User]]:
    """Narrow a user query: name or email contains, holds a role, in a unit's subtree, active or not."""
    if search:
        query = query.where(contains_text(search, col(User.display_name), col(User.email)))
    if role:
        query = query.where(col(User.roles).contains([role]))
    if unit_id:
        subtree = select(col(OrgUnit.id)).where(col(OrgUnit.path).contains([unit_id]))
        query = query.where(col(User.org_unit_id).in_(subtree))
    if is_active is not None:
        query = query.where(col(User.is_active) == is_active)
    return query


async def standing(session: AsyncSession, subject_id: uuid.UUID) -> Standing | None:
    """Identity checks tokens against its own users and service accounts, the source of every other service's
    directory."""
    users = select(col(User.is_active), col(User.authz_version)).where(col(User.id) == subject_id)
    accounts = select(col(ServiceAccount.is_active), col(ServiceAccount.authz_version))
    row = (await session.execute(union_all(users, accounts.where(col(ServiceAccount.id) == subject_id)))).first()
    return Standing(row[0], row[1]) if row else None
