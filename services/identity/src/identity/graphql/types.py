"""Identity's GraphQL types; resolvers stay thin and call the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import strawberry

from crm_shared.graphql import Connection, Info, gid
from crm_shared.graphql.context import RequestContext
from crm_shared.rows import from_row
from identity.org import service as org
from identity.org.models import OrgUnit as OrgUnitRow
from identity.roles.models import Role as RoleRow
from identity.services import Identity
from identity.users import service as users
from identity.users.views import UserView


def services(info: Info) -> Identity:
    """What the app wired from its settings: sign-in, passwords, the key ring."""
    identity: Identity = info.context.state.identity
    return identity


async def user_view(info: Info, user_id: uuid.UUID) -> User:
    async with info.context.uow() as uow:
        return User.of(await users.get(uow, info.context.principal, user_id))


@strawberry.federation.type(keys=["id"], description="A person who uses the CRM.")
class User:
    id: strawberry.ID
    # other subgraphs show the names of the people their records name from their directories
    display_name: str = strawberry.federation.field(shareable=True, description="The name the user goes by.")
    roles: list[str]
    is_active: bool
    created_at: dt.datetime
    email: str
    org_unit_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, view: UserView) -> User:
        return from_row(cls, view, id=gid(view.id))

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        if self.org_unit_id is None:
            return None
        async with info.context.uow() as uow:
            return OrgUnit.of(await org.get(uow, info.context.principal, self.org_unit_id))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> User:
        """A person another service names on a record (an owner, an approver): shown by name to whoever sees
        the record; their email and roles only within the caller's identity:user scope."""
        return User.of(await info.context.batch(_cards, "User").load(uuid.UUID(id)))


async def _cards(context: RequestContext, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, UserView]:
    async with context.uow() as uow:
        return await users.cards(uow, context.principal, ids)


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
        path = [strawberry.ID(str(p)) for p in row.path]
        return from_row(cls, row, id=gid(row.id), path=path, parent_id=gid(row.parent_id))

    @strawberry.field
    async def manager(self, info: Info) -> User | None:
        if self.manager_id is None:
            return None
        return await user_view(info, self.manager_id)


@strawberry.type
class ScopeGrant:
    resource: str
    scope: str

    @classmethod
    def listed(cls, scopes: dict[str, Any]) -> list[ScopeGrant]:
        """A role's or service account's scopes, in a stable order."""
        return [cls(resource=k, scope=v) for k, v in sorted(scopes.items())]


@strawberry.type(description="A set of permissions with a data scope per resource.")
class Role:
    id: strawberry.ID
    key: str
    name: str
    name_zh: str
    description: str
    description_zh: str
    builtin: bool
    permissions: list[str]
    scopes: list[ScopeGrant]
    masked_fields: list[str]

    @classmethod
    def of(cls, row: RoleRow) -> Role:
        return from_row(cls, row, id=strawberry.ID(row.key), scopes=ScopeGrant.listed(row.scopes))


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")


UserConnection = Connection[User]
