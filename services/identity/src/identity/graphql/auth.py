"""Signing in: login, refresh and logout."""

from __future__ import annotations

import strawberry
from crm_shared.graphql import Info

from identity.auth.tokens import TokenPair
from identity.graphql.types import AuthPayload, services


@strawberry.input
class LoginInput:
    email: str
    password: str


def _payload(pair: TokenPair) -> AuthPayload:
    return AuthPayload(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="Exchange email and password for an access and a refresh token.")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        return _payload(await services(info).auth.login(input.email, input.password))

    @strawberry.mutation(description="Rotate a refresh token into a new token pair.")
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthPayload:
        return _payload(await services(info).auth.refresh(refresh_token))

    @strawberry.mutation(description="End the session: its refresh tokens stop working.")
    async def logout(self, info: Info, refresh_token: str) -> bool:
        return await services(info).auth.logout(refresh_token)
