"""Service accounts for integrations: scoped permissions, API keys exchanged for access tokens."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import DataScope, Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, Forbidden, Unauthenticated
from crm_shared.rows import from_row
from crm_shared.validate import optional_text, required_text
from identity.auth.models import ApiKey, ServiceAccount
from identity.auth.tokens import Subject, hash_secret
from identity.events import ServiceAccountDeactivated, ServiceAccountKeyRevoked
from identity.repository import Unscoped
from identity.roles.catalogue import CATALOGUE
from identity.roles.coverage import require_held, shortfall
from identity.roles.grants import Grants


@dataclass(frozen=True)
class NewServiceAccount:
    name: str
    permissions: list[str]
    scopes: dict[str, str]


class ServiceAccounts(Unscoped[ServiceAccount]):
    model = ServiceAccount
    resource = "identity:service_account"


class ApiKeys(Unscoped[ApiKey]):
    model = ApiKey
    resource = "identity:service_account"

    async def by_secret(self, secret: str) -> ApiKey | None:
        return await self.session.scalar(select(ApiKey).where(col(ApiKey.key_hash) == hash_secret(secret)))


async def list_accounts(uow: UnitOfWork, principal: Principal) -> list[ServiceAccount]:
    principal.require("identity:service_account:read")
    rows = await uow.session.scalars(select(ServiceAccount).order_by(col(ServiceAccount.name)))
    return list(rows.all())


async def keys_of(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> list[ApiKey]:
    principal.require("identity:service_account:read")
    rows = await uow.session.scalars(select(ApiKey).where(col(ApiKey.service_account_id) == account_id))
    return list(rows.all())


async def create(uow: UnitOfWork, principal: Principal, data: NewServiceAccount) -> ServiceAccount:
    principal.require("identity:service_account:create")
    name = required_text(data.name, "name", 100)
    for permission in data.permissions:
        if not CATALOGUE.is_grantable(permission) or permission == "*":
            raise BadInput("unknown_permission", field="permissions", permission=permission)
    for resource, scope in data.scopes.items():
        if resource not in CATALOGUE.resources:
            raise BadInput("unknown_resource", field="scopes", resource=resource)
        if scope not in DataScope.__members__.values():
            raise BadInput("data_scope", field="scopes", resource=resource, choices=", ".join(DataScope))
    account = ServiceAccount(
        name=name, permissions=sorted(set(data.permissions)), scopes=dict(data.scopes), created_by=principal.user_id
    )
    require_held(principal, _grants(account), alone=True)
    if await uow.session.scalar(select(col(ServiceAccount.id)).where(col(ServiceAccount.name) == name)):
        raise Conflict("service_account_exists", field="name")
    uow.session.add(account)
    await uow.flush()
    after = {"name": name, "permissions": account.permissions, "scopes": account.scopes}
    await audit.record(uow, "service_account.created", "ServiceAccount", account.id, None, after)
    return account


async def create_key(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, name: str) -> tuple[ApiKey, str]:
    """A new key; its secret is returned once and only its hash is kept."""
    account = await ServiceAccounts(uow, principal).get(account_id, "update")
    if not account.is_active:
        raise BadInput("service_account_inactive", field="serviceAccountId")
    if shortfall(principal, _grants(account), alone=True) is not None:  # a key is all the account may do
        raise Forbidden("service_account_not_held", field="serviceAccountId")
    prefix = secrets.token_hex(4)
    secret = f"crm_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        service_account_id=account_id,
        name=optional_text(name, "name", 100) or prefix,
        prefix=prefix,
        key_hash=hash_secret(secret),
    )
    uow.session.add(key)
    await uow.flush()
    await audit.record(uow, "api_key.created", "ApiKey", key.id, detail={"prefix": prefix})
    return key, secret


async def deactivate(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> ServiceAccount:
    """The integration stops: none of its keys yields a token any more, and every service refuses its tokens."""
    account = await ServiceAccounts(uow, principal).get(account_id, "update", lock=True)
    if account.deactivate():
        await uow.publish(from_row(ServiceAccountDeactivated, account))
        before, after = {"isActive": True}, {"isActive": False}
        await audit.record(uow, "service_account.deactivated", "ServiceAccount", account.id, before, after)
    return account


async def revoke_key(uow: UnitOfWork, principal: Principal, key_id: uuid.UUID) -> None:
    """The key yields no token any more, and every service refuses the tokens its account was given before (those of
    its other keys too: a token does not say which key it came from; they exchange their keys again)."""
    key = await ApiKeys(uow, principal).get(key_id, "revoke", lock=True)
    if key.revoke(utcnow()):
        account = await ServiceAccounts(uow).get(key.service_account_id, lock=True)
        account.authz_version += 1
        await uow.publish(from_row(ServiceAccountKeyRevoked, account))
    await audit.record(uow, "api_key.revoked", "ApiKey", key.id, detail={"prefix": key.prefix})


async def subject_for(uow: UnitOfWork, secret: str) -> Subject:
    """The token subject an API key stands for; a revoked key or inactive account is refused."""
    key = await ApiKeys(uow).by_secret(secret)
    account = await uow.session.get(ServiceAccount, key.service_account_id) if key else None
    if key is None or key.revoked_at is not None or account is None or not account.is_active:
        raise Unauthenticated("invalid_api_key")
    key.last_used_at = utcnow()
    await audit.record(uow, "auth.api_key_used", "ApiKey", key.id, actor_id=account.id)
    return Subject(account.id, "", account.name, ["service_account"], _grants(account), None, [], account.authz_version)


def _grants(account: ServiceAccount) -> Grants:
    """What its tokens carry: its own permissions and scopes, nothing masked."""
    return Grants(list(account.permissions), dict(account.scopes))
