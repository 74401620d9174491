"""Signing in and credentials: login, refresh, logout, passwords, TOTP, API keys, signing keys."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from crm_shared.graphql import Info, ReturnsSecret, gid
from crm_shared.rows import from_row
from identity.auth import apikeys, rotation, totp
from identity.auth.apikeys import NewServiceAccount
from identity.auth.models import ApiKey as ApiKeyRow
from identity.auth.models import ServiceAccount as ServiceAccountRow
from identity.auth.models import SigningKey as SigningKeyRow
from identity.auth.policy import PolicyView
from identity.auth.tokens import TokenPair
from identity.graphql.types import AuthPayload, ScopeGrant, services
from identity.graphql.users import ScopeGrantInput


@strawberry.input
class LoginInput:
    email: str
    password: str
    totp_code: str | None = strawberry.field(default=None, description="Required once TOTP is enabled.")


@strawberry.type
class TotpEnrollment:
    secret: str
    uri: str = strawberry.field(description="otpauth:// URI for a QR code.")


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, row: ApiKeyRow) -> ApiKey:
        return from_row(cls, row, id=gid(row.id))


@strawberry.type
class ApiKeySecret:
    key: ApiKey
    secret: str = strawberry.field(description="Shown once; store it safely.")


@strawberry.type
class ServiceAccount:
    id: strawberry.ID
    name: str
    permissions: list[str]
    scopes: list[ScopeGrant]
    is_active: bool

    @classmethod
    def of(cls, row: ServiceAccountRow) -> ServiceAccount:
        return from_row(cls, row, id=gid(row.id), scopes=ScopeGrant.listed(row.scopes))

    @strawberry.field
    async def api_keys(self, info: Info) -> list[ApiKey]:
        async with info.context.uow() as uow:
            rows = await apikeys.keys_of(uow, info.context.principal, uuid.UUID(self.id))
        return [ApiKey.of(r) for r in rows]


@strawberry.input
class CreateServiceAccountInput:
    name: str
    permissions: list[str]
    scopes: list[ScopeGrantInput] = strawberry.field(default_factory=list)


@strawberry.type
class SigningKeyInfo:
    kid: strawberry.ID
    algorithm: str
    created_at: dt.datetime
    retired_at: dt.datetime | None

    @classmethod
    def of(cls, row: SigningKeyRow) -> SigningKeyInfo:
        return from_row(cls, row, kid=strawberry.ID(row.kid))


def _totp_change(info: Info) -> totp.TotpChange:
    identity = services(info)
    return totp.TotpChange(identity.signin.cipher, identity.throttle, info.context.client_ip)


def _payload(pair: TokenPair) -> AuthPayload:
    return from_row(AuthPayload, pair)


@strawberry.type
class AuthQuery:
    @strawberry.field
    async def service_accounts(self, info: Info) -> list[ServiceAccount]:
        async with info.context.uow() as uow:
            return [ServiceAccount.of(r) for r in await apikeys.list_accounts(uow, info.context.principal)]

    @strawberry.field
    async def signing_keys(self, info: Info) -> list[SigningKeyInfo]:
        async with info.context.uow() as uow:
            return [SigningKeyInfo.of(k) for k in await rotation.list_keys(uow, info.context.principal)]


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        description="Exchange email and password (and a TOTP code) for tokens.", extensions=[ReturnsSecret()]
    )
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        signin, source = services(info).signin, info.context.client_ip
        async with info.context.uow() as uow:
            return _payload(await signin.login(uow, input.email, input.password, source, input.totp_code))

    @strawberry.mutation(description="Rotate a refresh token into a new token pair.", extensions=[ReturnsSecret()])
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthPayload:
        async with info.context.uow() as uow:
            return _payload(await services(info).signin.refresh(uow, refresh_token))

    @strawberry.mutation(description="End the session: its refresh tokens stop working.")
    async def logout(self, info: Info, refresh_token: str) -> bool:
        async with info.context.uow() as uow:
            return await services(info).signin.logout(uow, refresh_token)

    @strawberry.mutation(
        description="Client credentials: an access token for a service account's API key.", extensions=[ReturnsSecret()]
    )
    async def api_key_token(self, info: Info, api_key: str) -> AuthPayload:
        async with info.context.uow() as uow:
            return _payload(await services(info).signin.api_key_token(uow, api_key))

    @strawberry.mutation(description="Change one's password; other sessions must sign in again.")
    async def change_password(self, info: Info, current_password: str, new_password: str) -> bool:
        async with info.context.uow() as uow:
            await services(info).passwords.change(
                uow, info.context.principal, current_password, new_password, info.context.client_ip
            )
        return True

    @strawberry.mutation(description="Email a single-use reset link; the answer never says whether the address exists.")
    async def request_password_reset(self, info: Info, email: str) -> bool:
        async with info.context.uow() as uow:
            await services(info).passwords.request_reset(uow, email, info.context.client_ip)
        return True

    @strawberry.mutation
    async def reset_password(self, info: Info, token: str, new_password: str) -> bool:
        async with info.context.uow() as uow:
            await services(info).passwords.reset(uow, token, new_password)
        return True

    @strawberry.mutation(
        description="Start setting up TOTP; confirmTotp with a first code turns it on.", extensions=[ReturnsSecret()]
    )
    async def enroll_totp(self, info: Info) -> TotpEnrollment:
        async with info.context.uow() as uow:
            secret, uri = await totp.enroll(uow, info.context.principal, services(info).signin.cipher)
        return TotpEnrollment(secret=secret, uri=uri)

    @strawberry.mutation
    async def confirm_totp(self, info: Info, code: str) -> bool:
        async with info.context.uow() as uow:
            await totp.set_enabled(uow, info.context.principal, _totp_change(info), code, True)
        return True

    @strawberry.mutation
    async def disable_totp(self, info: Info, code: str) -> bool:
        async with info.context.uow() as uow:
            await totp.set_enabled(uow, info.context.principal, _totp_change(info), code, False)
        return True

    @strawberry.mutation
    async def create_service_account(self, info: Info, input: CreateServiceAccountInput) -> ServiceAccount:
        data = NewServiceAccount(input.name, input.permissions, {g.resource: g.scope for g in input.scopes})
        async with info.context.uow() as uow:
            return ServiceAccount.of(await apikeys.create(uow, info.context.principal, data))

    @strawberry.mutation(extensions=[ReturnsSecret()])
    async def create_api_key(self, info: Info, service_account_id: strawberry.ID, name: str) -> ApiKeySecret:
        async with info.context.uow() as uow:
            key, secret = await apikeys.create_key(
                uow, info.context.principal, uuid.UUID(str(service_account_id)), name
            )
        return ApiKeySecret(key=ApiKey.of(key), secret=secret)

    @strawberry.mutation(description="Stop an integration: none of its API keys yields a token any more.")
    async def deactivate_service_account(self, info: Info, id: strawberry.ID) -> ServiceAccount:
        async with info.context.uow() as uow:
            return ServiceAccount.of(await apikeys.deactivate(uow, info.context.principal, uuid.UUID(str(id))))

    @strawberry.mutation
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await apikeys.revoke_key(uow, info.context.principal, uuid.UUID(str(id)))
        return True

    @strawberry.mutation(description="A new key signs from now on; older keys keep verifying until retired.")
    async def rotate_signing_key(self, info: Info) -> SigningKeyInfo:
        async with info.context.uow() as uow:
            return SigningKeyInfo.of(await rotation.rotate(uow, info.context.principal, services(info).keys))

    @strawberry.mutation(description="Remove a key from the JWKS: tokens it signed stop verifying.")
    async def retire_signing_key(self, info: Info, kid: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await rotation.retire(uow, info.context.principal, str(kid), services(info).keys)
        return True


@strawberry.type(description="The organisation's sign-in policy.")
class SecuritySettings:
    require_admin_totp: bool = strawberry.field(
        description="Administrators without TOTP get a token that can only set it up."
    )
    enforced_by_configuration: bool = strawberry.field(
        description="IDENTITY_REQUIRE_ADMIN_TOTP=true requires it whatever the organisation chooses."
    )
    updated_at: dt.datetime | None

    @classmethod
    def of(cls, view: PolicyView) -> SecuritySettings:
        return from_row(cls, view)


@strawberry.type
class SecurityQuery:
    @strawberry.field
    async def security_settings(self, info: Info) -> SecuritySettings:
        async with info.context.uow() as uow:
            return SecuritySettings.of(await services(info).signin.policy.get(uow, info.context.principal))


@strawberry.type
class SecurityMutation:
    @strawberry.mutation(description="Administrators: whether administrators must sign in with TOTP.")
    async def update_security_settings(self, info: Info, require_admin_totp: bool) -> SecuritySettings:
        async with info.context.uow() as uow:
            view = await services(info).signin.policy.update(uow, info.context.principal, require_admin_totp)
        return SecuritySettings.of(view)
