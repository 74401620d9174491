"""Events identity publishes; every topic is keyed by the entity's id (a role's by its key).

- `crm.identity.user`: user.created, user.updated, user.roles_changed, user.deactivated, user.reactivated, and
  service_account.key_revoked, service_account.deactivated (whose tokens every service then refuses)
- `crm.identity.org_unit`: org_unit.created, org_unit.updated, org_unit.deleted
- `crm.identity.role`: role.created, role.updated

It consumes `audit.recorded` on `crm.audit` from every service, into its hash-chained audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any, Self, TypeVar

from sqlmodel import col, select

from crm_contracts.identity import (
    ORG_TOPIC,
    USER_TOPIC,
    OrgUnitCreated,
    OrgUnitDeleted,
    OrgUnitSnapshot,
    OrgUnitUpdated,
    ServiceAccountDeactivated,
    ServiceAccountKeyRevoked,
    ServiceAccountSnapshot,
    UserCreated,
    UserDeactivated,
    UserReactivated,
    UserReconciled,
    UserRolesChanged,
    UserSnapshot,
    UsersReconciled,
    UserUpdated,
)
from crm_shared.audit import AUDIT_TOPIC
from crm_shared.db.engine import UnitOfWork
from crm_shared.events.handlers import Handlers
from crm_shared.events.model import Event
from crm_shared.rows import from_row
from identity.audit import chain
from identity.roles.grants import combine
from identity.roles.models import Role
from identity.users.models import User

ROLE_TOPIC = "crm.identity.role"
TOPICS = (USER_TOPIC, ORG_TOPIC, ROLE_TOPIC)

S = TypeVar("S", bound=UserSnapshot)

HANDLERS = Handlers()
HANDLERS.add_many(AUDIT_TOPIC, chain.append)  # the chain stores each envelope whole, a fetched batch at once

__all__ = [
    "HANDLERS",
    "ORG_TOPIC",
    "ROLE_TOPIC",
    "TOPICS",
    "USER_TOPIC",
    "OrgUnitCreated",
    "OrgUnitDeleted",
    "OrgUnitSnapshot",
    "OrgUnitUpdated",
    "RoleCreated",
    "RoleSnapshot",
    "RoleUpdated",
    "ServiceAccountDeactivated",
    "ServiceAccountKeyRevoked",
    "ServiceAccountSnapshot",
    "UserCreated",
    "UserDeactivated",
    "UserReactivated",
    "UserReconciled",
    "UserRolesChanged",
    "UserSnapshot",
    "UserUpdated",
    "UsersReconciled",
    "user_event",
]


def user_event(kind: type[S], user: User, permissions: list[str], **extra: Any) -> S:
    """A user event carrying the user's whole snapshot with what their roles permit (`grants.permitted`), never the
    password hash."""
    return from_row(kind, user, permissions=permissions, **extra)


async def reconciliation_snapshots(uow: UnitOfWork, run_id: uuid.UUID) -> AsyncIterator[UserReconciled]:
    """Every user, active or not, for a reconciliation run after a restore (the directories project them all)."""
    roles = {role.key: role for role in (await uow.session.scalars(select(Role))).all()}
    users = select(User).order_by(col(User.id)).execution_options(yield_per=1000)
    async for user in await uow.session.stream_scalars(users):
        granted = combine([roles[key] for key in user.roles if key in roles])
        yield user_event(UserReconciled, user, granted.permissions, run_id=run_id)


class RoleSnapshot(Event):
    topic = ROLE_TOPIC
    subject_field = "key"

    key: str
    name: str
    name_zh: str
    builtin: bool
    permissions: list[str]
    scopes: dict[str, Any]
    masked_fields: list[str]

    @classmethod
    def of(cls, role: Role) -> Self:
        return from_row(cls, role)


class RoleCreated(RoleSnapshot):
    type = "role.created"


class RoleUpdated(RoleSnapshot):
    type = "role.updated"
