"""Identity's GraphQL subgraph: thin resolvers over IdentityService."""

from __future__ import annotations

import uuid

import strawberry
from crm_shared.graphql import Info, federated_schema

from identity.models import User as UserRow
from identity.service import IdentityService, NewUser
from identity.tokens import TokenPair


def _service(info: Info) -> IdentityService:
    service: IdentityService = info.context.state.identity
    return service


@strawberry.federation.type(keys=["id"], description="A person who uses the CRM.")
class User:
    id: strawberry.ID
    email: str
    display_name: str
    roles: list[str]

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(
            id=strawberry.ID(str(row.id)), email=row.email, display_name=row.display_name, roles=row.roles
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> User:
        return cls.of(await _service(info).get_user(info.context.principal, uuid.UUID(id)))


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")

    @classmethod
    def of(cls, pair: TokenPair) -> AuthPayload:
        return cls(
            access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
        )


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.input
class CreateUserInput:
    email: str
    display_name: str
    password: str
    roles: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        return User.of(await _service(info).me(info.context.principal))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Exchange email and password for an access and a refresh token.")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        return AuthPayload.of(await _service(info).login(input.email, input.password))

    @strawberry.mutation(description="Rotate a refresh token into a new token pair.")
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthPayload:
        return AuthPayload.of(await _service(info).refresh(refresh_token))

    @strawberry.mutation(description="Create a user (administrators).")
    async def create_user(self, info: Info, input: CreateUserInput) -> User:
        data = NewUser(input.email, input.display_name, input.password, input.roles)
        return User.of(await _service(info).create_user(info.context.principal, data))


schema = federated_schema(Query, Mutation, types=[User])
