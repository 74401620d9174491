"""Identity's user events: every one carries the user's whole snapshot, so a projection needs no other."""

from __future__ import annotations

import uuid

from pydantic import EmailStr

from crm_shared.events.model import Event

USER_TOPIC = "crm.identity.user"


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


USER_EVENTS: tuple[type[UserSnapshot], ...] = (
    UserCreated,
    UserUpdated,
    UserRolesChanged,
    UserDeactivated,
    UserReactivated,
)
