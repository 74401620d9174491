"""Users: create, update, move between units, deactivate and reactivate, list within the caller's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, or_, select, update

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.graphql.connection import check_page_size, decode_cursor
from identity.auth.models import RefreshToken
from identity.auth.passwords import check_policy, hash_password
from identity.events import USER_TOPIC, user_event, user_snapshot
from identity.org.models import OrgUnit
from identity.roles.service import RoleService
from identity.users.models import User

RESOURCE = "identity:user"
_UNSET: Any = object()


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    password: str
    roles: list[str]
    org_unit_id: uuid.UUID | None = None


@dataclass
class UserChanges:
    display_name: str | None = None
    email: str | None = None
    org_unit_id: uuid.UUID | Any | None = _UNSET


@dataclass(frozen=True)
class UserFilter:
    search: str | None = None
    role: str | None = None
    org_unit_id: uuid.UUID | None = None
    is_active: bool | None = None


def normalise_email(email: str, field: str = "email") -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise BadInput(field=field, reason=str(exc)) from exc


def _display_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise BadInput(field="displayName", reason="1-200 characters")
    return name


class UserService:
    def __init__(self, db: Database, roles: RoleService) -> None:
        self.db = db
        self.roles = roles

    async def get(self, principal: Principal, user_id: uuid.UUID) -> User:
        """A user the caller may see: themselves, or others within their identity:user scope."""
        async with self.db.read() as session:
            user = await session.get(User, user_id)
        if user is None or (user.id != principal.user_id and not self._visible(principal, user)):
            raise NotFound(entity="User")
        return user

    def _visible(self, principal: Principal, user: User) -> bool:
        return principal.can(f"{RESOURCE}:read") and principal.may_access(RESOURCE, user.id, user.org_unit_id)

    async def page(
        self, principal: Principal, filter: UserFilter, first: int, after: str | None
    ) -> tuple[list[User], int]:
        principal.require(f"{RESOURCE}:read")
        check_page_size(first)
        query = select(User).where(principal.scope_filter(RESOURCE, User.id, User.org_unit_id))
        query = _filtered(query, filter)
        async with self.db.read() as session:
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            if after:
                name, last_id = decode_cursor(after, 2)
                query = query.where(
                    or_(User.display_name > name, (User.display_name == name) & (User.id > uuid.UUID(last_id)))
                )
            rows = await session.scalars(query.order_by(User.display_name, User.id).limit(first + 1))
            return list(rows.all()), int(total or 0)

    async def find_by_email(self, email: str) -> User | None:
        async with self.db.read() as session:
            return await session.scalar(select(User).where(User.email == normalise_email(email)))

    async def create(self, principal: Principal | None, data: NewUser) -> User:
        """Create a user; `principal` None is the system itself (installation and demo seeding)."""
        if principal is not None:
            principal.require(f"{RESOURCE}:create")
        email = normalise_email(data.email)
        name = _display_name(data.display_name)
        check_policy(data.password, email)
        password_hash = await hash_password(data.password)
        async with self.db.unit_of_work() as uow:
            await self.roles.check_keys(uow, data.roles)
            await _check_unit(uow, data.org_unit_id)
            await _check_email_free(uow, email)
            user = User(
                email=email,
                display_name=name,
                password_hash=password_hash,
                roles=sorted(set(data.roles)),
                org_unit_id=data.org_unit_id,
            )
            uow.session.add(user)
            await uow.flush()
            await uow.emit(USER_TOPIC, user_event("user.created", user))
            await audit.record(uow, "user.created", "User", user.id, None, user_snapshot(user), actor=principal)
        return user

    async def update(self, principal: Principal, user_id: uuid.UUID, changes: UserChanges) -> User:
        principal.require(f"{RESOURCE}:update")
        async with self.db.unit_of_work() as uow:
            user = await self._locked(uow, principal, user_id)
            before = user_snapshot(user)
            if changes.display_name is not None:
                user.display_name = _display_name(changes.display_name)
            if changes.email is not None and normalise_email(changes.email) != user.email:
                user.email = normalise_email(changes.email)
                await _check_email_free(uow, user.email, user.id)
            if changes.org_unit_id is not _UNSET:
                await _check_unit(uow, changes.org_unit_id)
                user.org_unit_id = changes.org_unit_id
            user.updated_at = utcnow()
            await uow.emit(USER_TOPIC, user_event("user.updated", user))
            await audit.record(uow, "user.updated", "User", user.id, before, user_snapshot(user))
        return user

    async def set_active(self, principal: Principal, user_id: uuid.UUID, active: bool) -> User:
        """Deactivation revokes every refresh token; access tokens lapse within their 15 minutes."""
        principal.require(f"{RESOURCE}:deactivate")
        if user_id == principal.user_id and not active:
            raise BadInput("cannot_deactivate_self", field="id")
        async with self.db.unit_of_work() as uow:
            user = await self._locked(uow, principal, user_id)
            if user.is_active == active:
                return user
            user.is_active = active
            user.deactivated_at = None if active else utcnow()
            user.updated_at = utcnow()
            if not active:
                await uow.session.execute(
                    update(RefreshToken)
                    .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr]
                    .values(revoked_at=utcnow())
                )
            action = "user.reactivated" if active else "user.deactivated"
            await uow.emit(USER_TOPIC, user_event(action, user))
            await audit.record(uow, action, "User", user.id, {"isActive": not active}, {"isActive": active})
        return user

    async def _locked(self, uow: UnitOfWork, principal: Principal, user_id: uuid.UUID) -> User:
        user = await uow.session.get(User, user_id, with_for_update=True)
        if user is None or not principal.may_access(RESOURCE, user.id, user.org_unit_id):
            raise NotFound(entity="User")
        return user


def _filtered(query: Select[tuple[User]], filter: UserFilter) -> Select[tuple[User]]:
    if filter.search:
        pattern = f"%{filter.search.strip()}%"
        query = query.where(or_(User.display_name.ilike(pattern), User.email.ilike(pattern)))  # type: ignore[attr-defined]
    if filter.role:
        query = query.where(User.roles.contains([filter.role]))  # type: ignore[attr-defined]
    if filter.org_unit_id:
        subtree = select(OrgUnit.id).where(OrgUnit.path.contains([filter.org_unit_id]))  # type: ignore[attr-defined]
        query = query.where(User.org_unit_id.in_(subtree))  # type: ignore[union-attr]
    if filter.is_active is not None:
        query = query.where(User.is_active == filter.is_active)
    return query


async def _check_unit(uow: UnitOfWork, unit_id: uuid.UUID | None) -> None:
    if unit_id is not None and await uow.session.get(OrgUnit, unit_id) is None:
        raise BadInput("unknown_unit", field="orgUnitId")


async def _check_email_free(uow: UnitOfWork, email: str, except_id: uuid.UUID | None = None) -> None:
    query = select(func.count()).select_from(User).where(User.email == email)
    if except_id is not None:
        query = query.where(User.id != except_id)
    if await uow.session.scalar(query):
        raise Conflict("email_taken", field="email")
