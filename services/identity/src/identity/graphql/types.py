"""Identity's GraphQL types; resolvers stay thin and call the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from crm_shared.graphql import Connection, Info
from identity.org.models import OrgUnit as OrgUnitRow
from identity.roles.models import Role as RoleRow
from identity.users.models import User as UserRow


def services(info: Info) -> Any:
    """The service layer objects the app wired (users, org, roles, auth)."""
    return info.context.state.identity


def mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


@strawberry.federation.type(keys=["id"], description="A person who uses the CRM.")
class User:
    id: strawberry.ID
    display_name: str
    roles: list[str]
    is_active: bool
    created_at: dt.datetime
    raw_email: strawberry.Private[str]
    org_unit_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(
            id=strawberry.ID(str(row.id)),
            raw_email=row.email,
            display_name=row.display_name,
            roles=list(row.roles),
            is_active=row.is_active,
            created_at=row.created_at,
            org_unit_id=row.org_unit_id,
        )

    @strawberry.field
    def email(self, info: Info) -> str:
        principal = info.context.principal
        if str(principal.user_id) != self.id and principal.masks("identity:user.email"):
            return mask_email(self.raw_email)
        return self.raw_email

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        if self.org_unit_id is None:
            return None
        return OrgUnit.of(await services(info).org.get(info.context.principal, self.org_unit_id))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> User:
        return cls.of(await services(info).users.get(info.context.principal, uuid.UUID(id)))


@strawberry.type(description="A company, department or team; units form a tree.")
class OrgUnit:
    id: strawberry.ID
    name: str
    kind: str
    path: list[strawberry.ID] = strawberry.field(description="Unit ids from the root down to this unit.")
    parent_id: strawberry.ID | None
    manager_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, row: OrgUnitRow) -> OrgUnit:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            kind=row.kind,
            path=[strawberry.ID(str(p)) for p in row.path],
            parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None,
            manager_id=row.manager_id,
        )

    @strawberry.field
    async def manager(self, info: Info) -> User | None:
        if self.manager_id is None:
            return None
        return User.of(await services(info).users.get(info.context.principal, self.manager_id))


@strawberry.type
class ScopeGrant:
    resource: str
    scope: str


@strawberry.type(description="A set of permissions with a data scope per resource.")
class Role:
    id: strawberry.ID
    key: str
    name: str
    name_zh: str
    description: str
    builtin: bool
    permissions: list[str]
    scopes: list[ScopeGrant]
    masked_fields: list[str]

    @classmethod
    def of(cls, row: RoleRow) -> Role:
        return cls(
            id=strawberry.ID(row.key),
            key=row.key,
            name=row.name,
            name_zh=row.name_zh,
            description=row.description,
            builtin=row.builtin,
            permissions=list(row.permissions),
            scopes=[ScopeGrant(resource=k, scope=v) for k, v in sorted(row.scopes.items())],
            masked_fields=list(row.masked_fields),
        )


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")


UserConnection = Connection[User]
