"""Events identity publishes; every topic is keyed by the entity's id.

- `crm.identity.user`: user.created, user.updated, user.roles_changed, user.deactivated, user.reactivated
- `crm.identity.org_unit`: org_unit.created, org_unit.updated, org_unit.deleted
- `crm.identity.role`: role.created, role.updated
"""

from __future__ import annotations

from typing import Any

from crm_shared.events import CloudEvent, new_event
from identity.org.models import OrgUnit
from identity.users.models import User

SOURCE = "/crm/identity"
USER_TOPIC = "crm.identity.user"
ORG_TOPIC = "crm.identity.org_unit"
ROLE_TOPIC = "crm.identity.role"
TOPICS = (USER_TOPIC, ORG_TOPIC, ROLE_TOPIC)


def user_snapshot(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "displayName": user.display_name,
        "roles": list(user.roles),
        "orgUnitId": str(user.org_unit_id) if user.org_unit_id else None,
        "isActive": user.is_active,
    }


def unit_snapshot(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": str(unit.id),
        "name": unit.name,
        "kind": unit.kind,
        "parentId": str(unit.parent_id) if unit.parent_id else None,
        "managerId": str(unit.manager_id) if unit.manager_id else None,
        "path": [str(p) for p in unit.path],
    }


def user_event(type: str, user: User) -> CloudEvent:
    return new_event(SOURCE, type, user.id, user_snapshot(user))


def org_event(type: str, unit: OrgUnit) -> CloudEvent:
    return new_event(SOURCE, type, unit.id, unit_snapshot(unit))


def role_event(type: str, snapshot: dict[str, Any]) -> CloudEvent:
    return new_event(SOURCE, type, snapshot["key"], snapshot)
