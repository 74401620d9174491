"""Nobody grants more than they hold: what a caller puts into a role or a service account, and every role they give
or withdraw, lies within their own permissions, data scopes and masks. An administrator (`*`, scope all, nothing
masked) holds everything, so nothing is refused them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth import DataScope, Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import Forbidden
from identity.roles.grants import SCOPE_ORDER, Grants, combine
from identity.roles.models import Role


def shortfall(principal: Principal, grants: Grants, alone: bool = False) -> Forbidden | None:
    """What of `grants` the caller does not hold, as the error naming its field; None when they hold it all.

    A wildcard the caller holds covers what it names (`customer:*` covers `customer:account:*`); a scope is covered
    by one at least as wide (own < unit < subtree < all). A field stays masked only where every role of a holder
    masks it (`grants.combine`), so a role must mask all the caller sees masked; a service account's grants stand
    `alone`, and must only not reach a resource with a field masked to the caller.
    """
    for permission in grants.permissions:
        if not principal.can(permission):
            return Forbidden("permission_not_held", field="permissions", permission=permission)
    for resource, scope in grants.scopes.items():
        own = principal.scope(resource)
        if SCOPE_ORDER.index(DataScope(scope)) > SCOPE_ORDER.index(own):
            return Forbidden("scope_wider_than_own", field="scopes", resource=resource, scope=own.value)
    for name in sorted(principal.masked_fields - set(grants.masked_fields)):
        if not alone:
            return Forbidden("mask_not_kept", field="maskedFields", name=name)
        if _reaches(grants.permissions, name.partition(".")[0]):
            return Forbidden("mask_not_kept", field="permissions", name=name)
    return None


def require_held(principal: Principal, grants: Grants, alone: bool = False) -> None:
    """FORBIDDEN at the field of `grants` reaching beyond the caller's own."""
    error = shortfall(principal, grants, alone)
    if error is not None:
        raise error


async def require_roles_held(uow: UnitOfWork, principal: Principal, keys: Iterable[str]) -> None:
    """The roles a caller gives someone or takes away: only those whose every grant they hold themselves."""
    roles = await uow.session.scalars(select(Role).where(col(Role.key).in_(sorted(set(keys)))).order_by(col(Role.key)))
    for role in roles.all():
        if shortfall(principal, combine([role])) is not None:
            raise Forbidden("role_not_held", field="roles", role=role.key)


def _reaches(permissions: list[str], resource: str) -> bool:
    """Whether any of the permissions acts on `resource` (`customer:contact`)."""
    service = resource.partition(":")[0]
    return any(p in ("*", f"{service}:*") or p.startswith(f"{resource}:") for p in permissions)
