"""Users: create, update, move between units, deactivate and reactivate, list within the caller's scope."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crm_shared import audit, validate
from crm_shared.auth import DataScope, Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page
from crm_shared.errors import BadInput, Conflict, Forbidden
from crm_shared.masking import mask_email
from identity.auth.passwords import check_policy, hash_password
from identity.auth.sessions import revoke_sessions
from identity.events import UserCreated, UserDeactivated, UserReactivated, UserUpdated, user_event
from identity.org.models import OrgUnit
from identity.roles.coverage import require_roles_held, shortfall
from identity.roles.grants import grants_for, permitted
from identity.roles.service import check_keys
from identity.users.admins import keep_an_admin
from identity.users.models import User
from identity.users.repository import Users, filtered
from identity.users.views import UserView

RESOURCE = "identity:user"
UNSET: Any = object()


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
    org_unit_id: uuid.UUID | Any | None = UNSET


@dataclass(frozen=True)
class UserFilter:
    search: str | None = None
    role: str | None = None
    org_unit_id: uuid.UUID | None = None
    is_active: bool | None = None


def normalise_email(email: str, field: str = "email") -> str:
    """The address as stored and looked up, by the suite's one email rule; none at all is a missing field."""
    address = validate.email(email, field)
    if address is None:
        raise BadInput("required_field", field=field)
    return address


async def get(uow: UnitOfWork, principal: Principal, user_id: uuid.UUID) -> UserView:
    """A user the caller may see: themselves, or others within their identity:user scope."""
    return UserView.of(await Users(uow, principal).seen(user_id), principal)


async def cards(uow: UnitOfWork, principal: Principal, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserView]:
    """The people named on records the caller may see (owners, approvers, whoever decided), in one statement:
    their names always, their emails (masked as ever) and roles only within the caller's identity:user scope."""
    whole, everyone = Users(uow, principal), Users(uow)
    found = await everyone.get_many(user_ids)
    reads = principal.can(f"{RESOURCE}:read")
    views = {}
    for user in found.values():
        view = UserView.of(user, principal)
        if user.id != principal.user_id and not (reads and await whole.reaches(user)):
            view = dataclasses.replace(view, email=mask_email(user.email), roles=[], org_unit_id=None)
        views[user.id] = view
    return views


async def page(
    uow: UnitOfWork, principal: Principal, filter: UserFilter, first: int, after: str | None
) -> Page[UserView]:
    """Users within the caller's scope, by name."""
    principal.require(f"{RESOURCE}:read")
    users = Users(uow, principal)
    query = filtered(await users.select(), filter.search, filter.role, filter.org_unit_id, filter.is_active)
    found = await users.page(query, Order.by(User.display_name, User.id), first, after)
    return found.map(lambda u: UserView.of(u, principal))


async def find_by_email(uow: UnitOfWork, email: str) -> User | None:
    return await Users(uow).by_email(normalise_email(email))


async def create(uow: UnitOfWork, principal: Principal | None, data: NewUser) -> UserView:
    """Create a user; `principal` None is the system itself (installation and demo seeding)."""
    if principal is not None:
        principal.require(f"{RESOURCE}:create")
    email = normalise_email(data.email)
    name = validate.required_text(data.display_name, "displayName", 200)
    check_policy(data.password, email)
    await check_keys(uow, data.roles)
    if principal is not None:
        await require_roles_held(uow, principal, data.roles)
    await _check_unit(uow, principal, data.org_unit_id)
    await _check_email_free(uow, email)
    user = User(
        email=email,
        display_name=name,
        password_hash=await hash_password(data.password),
        roles=sorted(set(data.roles)),
        org_unit_id=data.org_unit_id,
    )
    uow.session.add(user)
    await uow.flush()
    await audit.published(
        uow, user_event(UserCreated, user, await permitted(uow, user.roles)), "User", user.id, actor=principal
    )
    return UserView.of(user, principal)


async def update(uow: UnitOfWork, principal: Principal, user_id: uuid.UUID, changes: UserChanges) -> UserView:
    user = await Users(uow, principal).get(user_id, "update", lock=True)
    granted = await permitted(uow, user.roles)  # roles are assign's to change, not this
    before = user_event(UserUpdated, user, granted).data()
    if changes.display_name is not None:
        user.display_name = validate.required_text(changes.display_name, "displayName", 200)
    if changes.email is not None and normalise_email(changes.email) != user.email:
        # their password resets go to it: whoever changes it must hold all the user's roles grant
        if user.id != principal.user_id and shortfall(principal, await grants_for(uow, user.roles)) is not None:
            raise Forbidden("email_of_user_not_held", field="email")
        user.email = normalise_email(changes.email)
        await _check_email_free(uow, user.email, user.id)
    if changes.org_unit_id is not UNSET and changes.org_unit_id != user.org_unit_id:
        await _check_unit(uow, principal, changes.org_unit_id)
        user.org_unit_id = changes.org_unit_id
        user.grants_changed(utcnow())  # another unit: another data scope
    user.updated_at = utcnow()
    await audit.published(uow, user_event(UserUpdated, user, granted), "User", user.id, before)
    return UserView.of(user, principal)


async def set_active(uow: UnitOfWork, principal: Principal, user_id: uuid.UUID, active: bool) -> UserView:
    """Deactivation revokes every refresh token; every service refuses the access tokens within seconds."""
    principal.require(f"{RESOURCE}:deactivate")
    if user_id == principal.user_id and not active:
        raise BadInput("cannot_deactivate_self", field="id")
    user = await Users(uow, principal).get(user_id, "deactivate", lock=True)
    if not active:
        await keep_an_admin(uow, user, "id")
    if not user.set_active(active, utcnow()):
        return UserView.of(user, principal)
    if not active:
        await revoke_sessions(uow, user.id)
    event = user_event(UserReactivated if active else UserDeactivated, user, await permitted(uow, user.roles))
    await uow.publish(event)
    await audit.record(uow, event.type, "User", user.id, {"isActive": not active}, {"isActive": active})
    return UserView.of(user, principal)


async def _check_unit(uow: UnitOfWork, principal: Principal | None, unit_id: uuid.UUID | None) -> None:
    """A user goes only into a unit within the caller's identity:user scope: whoever moved themselves to the company's
    root would reach everyone there, and a user put in no unit would be out of their creator's reach for ever."""
    if unit_id is None:
        if principal is not None and principal.scope(RESOURCE) is not DataScope.ALL:
            raise BadInput("unit_required_in_scope", field="orgUnitId")
        return
    if await uow.session.get(OrgUnit, unit_id) is None:
        raise BadInput("unknown_unit", field="orgUnitId")
    if principal is not None and not principal.may_access(RESOURCE, None, unit_id):
        raise BadInput("unit_out_of_scope", field="orgUnitId")


async def _check_email_free(uow: UnitOfWork, email: str, except_id: uuid.UUID | None = None) -> None:
    if await Users(uow).email_taken(email, except_id):
        raise Conflict("email_taken", field="email")
