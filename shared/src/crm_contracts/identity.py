"""Identity's user and org-unit events: every one carries the whole snapshot, so a projection needs no other."""

from __future__ import annotations

import uuid
from typing import Any, Self

from pydantic import EmailStr

from crm_shared.events.model import Event
from crm_shared.events.reconcile import Reconciled, ReconciliationFinished

USER_TOPIC = "crm.identity.user"
# the roles every installation has (identity's `roles/builtin.py` defines what they grant); administrators add others
BUILTIN_ROLES = (
    "admin",
    "sales_manager",
    "sales_rep",
    "marketing",
    "marketing_manager",
    "service_agent",
    "service_manager",
)
ORG_TOPIC = "crm.identity.org_unit"


class UserSnapshot(Event):
    topic = USER_TOPIC

    id: uuid.UUID
    email: EmailStr
    display_name: str
    roles: list[str]
    org_unit_id: uuid.UUID | None
    is_active: bool
    # rises whenever the user's grants change (roles, unit, status); tokens carry the value they were issued with
    authz_version: int = 0
    # what the user's roles permit, as their tokens carry it (a role's change re-publishes its holders); None in
    # events published before identity sent it
    permissions: list[str] | None = None


class UserCreated(UserSnapshot):
    type = "user.created"


class UserUpdated(UserSnapshot):
    type = "user.updated"


class UserRolesChanged(UserSnapshot):
    type = "user.roles_changed"


class UserDeactivated(UserSnapshot):
    type = "user.deactivated"


class UserReactivated(UserSnapshot):
    type = "user.reactivated"


class UsersReconciled(ReconciliationFinished):
    """Every user was re-published in run `run_id`; a projected user not among them is gone."""

    topic, type = USER_TOPIC, "user.reconciliation_finished"


class UserReconciled(UserSnapshot, Reconciled):
    """A user as identity holds them now, re-published by a reconciliation run (after a restore)."""

    type = "user.reconciled"
    finished = UsersReconciled


USER_EVENTS: tuple[type[UserSnapshot], ...] = (
    UserCreated,
    UserUpdated,
    UserRolesChanged,
    UserDeactivated,
    UserReactivated,
)


class ServiceAccountSnapshot(Event):
    """A service account's standing, published when its tokens stop counting: every service then refuses them as it
    does a deactivated user's (the account's id is their subject)."""

    topic = USER_TOPIC

    id: uuid.UUID
    is_active: bool
    # rises with every key of the account revoked; tokens carry the value they were issued with
    authz_version: int


class ServiceAccountKeyRevoked(ServiceAccountSnapshot):
    type = "service_account.key_revoked"


class ServiceAccountDeactivated(ServiceAccountSnapshot):
    type = "service_account.deactivated"


SERVICE_ACCOUNT_EVENTS: tuple[type[ServiceAccountSnapshot], ...] = (ServiceAccountKeyRevoked, ServiceAccountDeactivated)


class OrgUnitSnapshot(Event):
    """A unit of the organisation tree with its manager: services walk the manager chain from it."""

    topic = ORG_TOPIC

    id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    path: list[uuid.UUID]

    @classmethod
    def of(cls, unit: Any) -> Self:
        from crm_shared.rows import from_row

        return from_row(cls, unit)


class OrgUnitCreated(OrgUnitSnapshot):
    type = "org_unit.created"


class OrgUnitUpdated(OrgUnitSnapshot):
    type = "org_unit.updated"


class OrgUnitDeleted(OrgUnitSnapshot):
    type = "org_unit.deleted"
