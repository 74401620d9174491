"""The authenticated caller: who they are, what they may do, and over which records."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from crm_shared.errors import Forbidden, NotFound


class DataScope(StrEnum):
    """How far a role reaches over one kind of record."""

    OWN = "own"
    UNIT = "unit"
    SUBTREE = "subtree"
    ALL = "all"


def granted(permissions: Collection[str], permission: str) -> bool:
    """`customer:account:update` is granted by itself or by `customer:account:*`, `customer:*` or `*`."""
    if permission in permissions or "*" in permissions:
        return True
    service, _, rest = permission.partition(":")
    resource = rest.rpartition(":")[0]
    return f"{service}:{resource}:*" in permissions or f"{service}:*" in permissions


@dataclass(frozen=True)
class Principal:
    """Built from a verified access token; every service checks it on each read and write."""

    user_id: uuid.UUID
    email: str = ""
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    scopes: dict[str, DataScope] = field(default_factory=dict)
    unit_id: uuid.UUID | None = None
    # the caller's own unit and, for managers, every unit below the ones they manage
    subtree_unit_ids: frozenset[uuid.UUID] = frozenset()
    token_id: str | None = None
    masked_fields: frozenset[str] = frozenset()
    on_behalf_of: str | None = None  # the user a service account or support session acts for
    # the user's grants version at issue time; the directory refuses tokens older than the current one
    authz_version: int = 0

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        unit = claims.get("unit")
        return cls(
            user_id=uuid.UUID(claims["sub"]),
            email=claims.get("email", ""),
            roles=frozenset(claims.get("roles", [])),
            permissions=frozenset(claims.get("perms", [])),
            scopes={k: DataScope(v) for k, v in claims.get("scopes", {}).items()},
            unit_id=uuid.UUID(unit) if unit else None,
            subtree_unit_ids=frozenset(uuid.UUID(u) for u in claims.get("units", [])),
            token_id=claims.get("jti"),
            masked_fields=frozenset(claims.get("masks", [])),
            on_behalf_of=claims.get("obo"),
            authz_version=int(claims.get("ver", 0)),
        )

    def masks(self, field: str) -> bool:
        """Whether `<service>:<resource>.<field>` is shown masked to this caller."""
        return field in self.masked_fields

    def can(self, permission: str) -> bool:
        return granted(self.permissions, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(permission=permission)

    def scope(self, resource: str) -> DataScope:
        return self.scopes.get(resource, DataScope.ALL if "*" in self.permissions else DataScope.OWN)

    def may_access(self, resource: str, owner_id: uuid.UUID | None, unit_id: uuid.UUID | None) -> bool:
        scope = self.scope(resource)
        if scope is DataScope.ALL:
            return True
        if owner_id == self.user_id:
            return True
        if scope is DataScope.UNIT:
            return unit_id is not None and unit_id == self.unit_id
        if scope is DataScope.SUBTREE:
            return unit_id is not None and (unit_id == self.unit_id or unit_id in self.subtree_unit_ids)
        return False

    def check_access(self, resource: str, owner_id: uuid.UUID | None, unit_id: uuid.UUID | None, entity: str) -> None:
        """Object-level check: an object outside the caller's scope does not exist for them."""
        if not self.may_access(resource, owner_id, unit_id):
            raise NotFound(entity=entity)

    def governs(self, resource: str, unit_id: uuid.UUID | None) -> bool:
        """Whether the caller may shape a rule-like object (a rule, a pipeline, a price) owned by `unit_id`.

        A manager shapes those of their own unit and the units below it; a company-wide object
        (`unit_id` None) needs scope `all` on the resource, which only administrator-level roles grant.
        """
        scope = self.scope(resource)
        if scope is DataScope.ALL:
            return True
        if unit_id is None or scope is DataScope.OWN:
            return False
        if scope is DataScope.UNIT:
            return unit_id == self.unit_id
        return unit_id == self.unit_id or unit_id in self.subtree_unit_ids

    def require_governs(self, permission: str, unit_id: uuid.UUID | None) -> None:
        """`permission` over an object owned by `unit_id`; FORBIDDEN outside the caller's units."""
        self.require(permission)
        if not self.governs(permission.rpartition(":")[0], unit_id):
            raise Forbidden("outside_rule_scope" if unit_id else "company_wide", permission=permission)

    def require_independent(self, *parties: uuid.UUID | None) -> None:
        """Four eyes: whoever owns, created or submitted an item never approves or rejects it."""
        if self.user_id in parties:
            raise Forbidden("own_approval")

    def scope_filter(self, resource: str, owner_col: Any, unit_col: Any | None = None) -> ColumnElement[bool]:
        """The same rule as a WHERE clause, so lists and counts never include what the caller can't see."""
        scope = self.scope(resource)
        if scope is DataScope.ALL:
            return true()
        clauses = [owner_col == self.user_id]
        if unit_col is not None and scope is DataScope.UNIT and self.unit_id:
            clauses.append(unit_col == self.unit_id)
        if unit_col is not None and scope is DataScope.SUBTREE:
            units = {*self.subtree_unit_ids, *([self.unit_id] if self.unit_id else [])}
            if units:
                clauses.append(unit_col.in_(units))
        return or_(*clauses) if clauses else false()
