"""Users and roles: queries and mutations."""

from __future__ import annotations

import uuid

import strawberry

from crm_shared.graphql import Connection, Info
from identity.graphql.types import Role, User, user_view
from identity.roles import service as role_service
from identity.roles.catalogue import CATALOGUE
from identity.roles.service import RoleInput
from identity.users import service as users
from identity.users.service import UNSET, NewUser, UserChanges, UserFilter


@strawberry.input
class UserFilterInput:
    search: str | None = None
    role: str | None = None
    org_unit_id: strawberry.ID | None = None
    is_active: bool | None = None


@strawberry.input
class CreateUserInput:
    email: str
    display_name: str
    password: str
    roles: list[str] = strawberry.field(default_factory=list)
    org_unit_id: strawberry.ID | None = None


@strawberry.input
class UpdateUserInput:
    display_name: str | None = None
    email: str | None = None
    org_unit_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class ScopeGrantInput:
    resource: str
    scope: str


@strawberry.input
class CreateRoleInput:
    key: str
    name: str
    name_zh: str | None = None
    description: str | None = None
    description_zh: str | None = None
    permissions: list[str] = strawberry.field(default_factory=list)
    scopes: list[ScopeGrantInput] = strawberry.field(default_factory=list)
    masked_fields: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateRoleInput:
    name: str | None = None
    name_zh: str | None = None
    description: str | None = None
    description_zh: str | None = None
    permissions: list[str] | None = None
    scopes: list[ScopeGrantInput] | None = None
    masked_fields: list[str] | None = None


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _role_input(data: CreateRoleInput | UpdateRoleInput) -> RoleInput:
    scopes = None if data.scopes is None else {g.resource: g.scope for g in data.scopes}
    return RoleInput(
        data.name, data.name_zh, data.description, data.description_zh, data.permissions, scopes, data.masked_fields
    )


@strawberry.type
class UserQuery:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        return await user_view(info, info.context.principal.user_id)

    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> User:
        return await user_view(info, uuid.UUID(id))

    @strawberry.field(description="Users within the caller's scope, ordered by name.")
    async def users(
        self, info: Info, first: int = 20, after: str | None = None, filter: UserFilterInput | None = None
    ) -> Connection[User]:
        f = filter or UserFilterInput()
        criteria = UserFilter(f.search, f.role, _uuid(f.org_unit_id), f.is_active)
        async with info.context.uow() as uow:
            found = await users.page(uow, info.context.principal, criteria, first, after)
        return Connection.of(found, User.of)

    @strawberry.field
    async def roles(self, info: Info) -> list[Role]:
        async with info.context.uow() as uow:
            return [Role.of(r) for r in await role_service.list_roles(uow, info.context.principal)]

    @strawberry.field(description="Every permission a role can grant.")
    def permission_catalogue(self, info: Info) -> list[str]:
        info.context.principal.require("identity:role:read")
        return CATALOGUE.permissions()

    @strawberry.field(description="Every field a role can show masked (`customer:contact.phone`).")
    def maskable_fields(self, info: Info) -> list[str]:
        info.context.principal.require("identity:role:read")
        return list(CATALOGUE.masked_fields)


@strawberry.type
class UserMutation:
    @strawberry.mutation(description="Create a user (administrators).")
    async def create_user(self, info: Info, input: CreateUserInput) -> User:
        data = NewUser(input.email, input.display_name, input.password, input.roles, _uuid(input.org_unit_id))
        async with info.context.uow() as uow:
            return User.of(await users.create(uow, info.context.principal, data))

    @strawberry.mutation
    async def update_user(self, info: Info, id: strawberry.ID, input: UpdateUserInput) -> User:
        unit = UNSET if input.org_unit_id is strawberry.UNSET else _uuid(input.org_unit_id)
        changes = UserChanges(input.display_name, input.email, unit)
        async with info.context.uow() as uow:
            return User.of(await users.update(uow, info.context.principal, uuid.UUID(id), changes))

    @strawberry.mutation(description="Block sign-in; refresh tokens are revoked at once.")
    async def deactivate_user(self, info: Info, id: strawberry.ID) -> User:
        async with info.context.uow() as uow:
            return User.of(await users.set_active(uow, info.context.principal, uuid.UUID(id), False))

    @strawberry.mutation
    async def reactivate_user(self, info: Info, id: strawberry.ID) -> User:
        async with info.context.uow() as uow:
            return User.of(await users.set_active(uow, info.context.principal, uuid.UUID(id), True))

    @strawberry.mutation
    async def assign_roles(self, info: Info, user_id: strawberry.ID, roles: list[str]) -> User:
        async with info.context.uow() as uow:
            return User.of(await role_service.assign(uow, info.context.principal, uuid.UUID(user_id), roles))

    @strawberry.mutation
    async def create_role(self, info: Info, input: CreateRoleInput) -> Role:
        async with info.context.uow() as uow:
            return Role.of(await role_service.create(uow, info.context.principal, input.key, _role_input(input)))

    @strawberry.mutation
    async def update_role(self, info: Info, key: strawberry.ID, input: UpdateRoleInput) -> Role:
        async with info.context.uow() as uow:
            return Role.of(await role_service.update(uow, info.context.principal, str(key), _role_input(input)))
