"""Roles and what they grant: the permissions, data scopes and masks that go into access tokens."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import DataScope, Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, Forbidden, NotFound
from crm_shared.validate import note, optional_text, required_text
from identity.events import RoleCreated, RoleSnapshot, RoleUpdated, UserRolesChanged, UserUpdated, user_event
from identity.roles.catalogue import CATALOGUE
from identity.roles.coverage import require_held, require_roles_held, shortfall
from identity.roles.grants import combine, permitted
from identity.roles.models import Role
from identity.users.admins import ADMIN, keep_an_admin
from identity.users.models import User
from identity.users.repository import Users
from identity.users.views import UserView

KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


@dataclass
class RoleInput:
    name: str | None = None
    name_zh: str | None = None
    description: str | None = None
    description_zh: str | None = None
    permissions: list[str] | None = None
    scopes: dict[str, str] | None = None
    masked_fields: list[str] | None = None


async def ensure_builtin(uow: UnitOfWork) -> None:
    """Add the built-in roles a database lacks; an administrator's edits to them are kept."""
    from identity.roles.builtin import BUILTIN_ROLES

    rows = [role.model_dump() for role in BUILTIN_ROLES]
    # replicas may start together: ON CONFLICT keeps it safe
    await uow.session.execute(insert(Role).values(rows).on_conflict_do_nothing())


async def list_roles(uow: UnitOfWork, principal: Principal) -> list[Role]:
    principal.require("identity:role:read")
    rows = await uow.session.scalars(select(Role).order_by(col(Role.builtin).desc(), col(Role.key)))
    return list(rows.all())


async def create(uow: UnitOfWork, principal: Principal, key: str, data: RoleInput) -> Role:
    principal.require("identity:role:create")
    if not KEY.match(key):
        raise BadInput("role_key", field="key")
    role = Role(key=key, name="", permissions=[], scopes={}, masked_fields=[])
    _apply(role, data)
    if not role.name:
        raise BadInput("required_field", field="name")
    require_held(principal, combine([role]))
    if await uow.session.get(Role, key):
        raise Conflict("role_exists", field="key")
    uow.session.add(role)
    await uow.flush()
    await audit.published(uow, RoleCreated.of(role), "Role", key)
    return role


async def update(uow: UnitOfWork, principal: Principal, key: str, data: RoleInput) -> Role:
    principal.require("identity:role:update")
    role = await uow.session.get(Role, key, with_for_update=True)
    if role is None:
        raise NotFound(entity="Role")
    if role.fixed:
        raise BadInput("builtin_admin_fixed", field="key")
    before = RoleSnapshot.of(role).data()
    granted, held = _grants(role), combine([role])
    _apply(role, data)
    changed = _grants(role) != granted
    if changed:  # its holders lose what it granted and gain what it grants: the caller must hold both
        if shortfall(principal, held) is not None:
            raise Forbidden("role_change_not_held", field="key")
        require_held(principal, combine([role]))
    role.updated_at = utcnow()
    await audit.published(uow, RoleUpdated.of(role), "Role", key, before)
    if changed:
        await _holders_changed(uow, key)
    return role


def _grants(role: Role) -> tuple[list[str], dict[str, str], list[str]]:
    """What a role's holders' tokens carry from it (its names do not count)."""
    return list(role.permissions), dict(role.scopes), list(role.masked_fields)


async def _holders_changed(uow: UnitOfWork, key: str) -> None:
    """What a role grants changed: the tokens of everyone holding it stop counting."""
    holders = await uow.session.scalars(select(User).where(col(User.roles).contains([key])).with_for_update())
    for user in holders.all():
        user.grants_changed(utcnow())
        await uow.publish(user_event(UserUpdated, user, await permitted(uow, user.roles)))


async def assign(uow: UnitOfWork, principal: Principal, user_id: uuid.UUID, keys: list[str]) -> UserView:
    principal.require("identity:role:assign")
    await check_keys(uow, keys)
    user = await Users(uow, principal).seen(user_id, lock=True)
    before, after = sorted(user.roles), sorted(set(keys))
    await require_roles_held(uow, principal, set(before) ^ set(after))
    if ADMIN not in after:
        await keep_an_admin(uow, user, "roles")
    user.roles = after
    user.updated_at = utcnow()
    if user.roles != before:
        user.grants_changed(user.updated_at)
    await uow.publish(user_event(UserRolesChanged, user, await permitted(uow, user.roles)))
    await audit.record(uow, "user.roles_changed", "User", user.id, {"roles": before}, {"roles": user.roles})
    return UserView.of(user, principal)


async def check_keys(uow: UnitOfWork, keys: list[str]) -> None:
    known = set((await uow.session.scalars(select(col(Role.key)).where(col(Role.key).in_(keys)))).all())
    for key in keys:
        if key not in known:
            raise BadInput("unknown_role", field="roles", role=key)


def _apply(role: Role, data: RoleInput) -> None:
    if data.name is not None:
        role.name = required_text(data.name, "name", 100)
    if data.name_zh is not None:
        role.name_zh = optional_text(data.name_zh, "nameZh", 100) or ""
    if data.description is not None:
        role.description = note(data.description, "description", 500)
    if data.description_zh is not None:
        role.description_zh = note(data.description_zh, "descriptionZh", 500)
    if data.permissions is not None:
        for permission in data.permissions:
            if not CATALOGUE.is_grantable(permission):
                raise BadInput("unknown_permission", field="permissions", permission=permission)
        role.permissions = sorted(set(data.permissions))
    if data.scopes is not None:
        for resource, scope in data.scopes.items():
            if resource not in CATALOGUE.resources:
                raise BadInput("unknown_resource", field="scopes", resource=resource)
            if scope not in DataScope.__members__.values():
                raise BadInput("data_scope", field="scopes", resource=resource, choices=", ".join(DataScope))
        role.scopes = dict(data.scopes)
    if data.masked_fields is not None:
        for name in data.masked_fields:
            if name not in CATALOGUE.masked_fields:
                raise BadInput("unmaskable_field", field="maskedFields", name=name)
        role.masked_fields = sorted(set(data.masked_fields))
