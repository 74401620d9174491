"""What roles grant together: the permissions, widest data scopes and masks a user's tokens carry, and their user
events carry the permissions of."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth import DataScope
from crm_shared.db import UnitOfWork
from identity.roles.models import Role

SCOPE_ORDER = [DataScope.OWN, DataScope.UNIT, DataScope.SUBTREE, DataScope.ALL]


@dataclass(frozen=True)
class Grants:
    permissions: list[str]
    scopes: dict[str, str]
    masked_fields: list[str] = field(default_factory=list)


def combine(roles: list[Role]) -> Grants:
    """Union of permissions; the widest scope any role gives; a field stays masked only if every role masks it."""
    permissions: set[str] = set()
    scopes: dict[str, DataScope] = {}
    masks: set[str] | None = None
    for role in roles:
        permissions.update(role.permissions)
        for resource, scope in role.scopes.items():
            current = scopes.get(resource)
            if current is None or SCOPE_ORDER.index(DataScope(scope)) > SCOPE_ORDER.index(current):
                scopes[resource] = DataScope(scope)
        masks = set(role.masked_fields) if masks is None else masks & set(role.masked_fields)
    return Grants(sorted(permissions), {k: v.value for k, v in scopes.items()}, sorted(masks or ()))


async def grants_for(uow: UnitOfWork, keys: list[str]) -> Grants:
    return combine(list((await uow.session.scalars(select(Role).where(col(Role.key).in_(keys)))).all()))


async def permitted(uow: UnitOfWork, roles: list[str]) -> list[str]:
    """What the roles permit together, as a user event carries it."""
    return (await grants_for(uow, roles)).permissions
