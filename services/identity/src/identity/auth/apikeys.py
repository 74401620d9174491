"""Service accounts for integrations: scoped permissions, API keys exchanged for access tokens."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from crm_shared import audit
from crm_shared.auth import DataScope, Principal
from crm_shared.db import Database, utcnow
from crm_shared.errors import BadInput, NotFound, Unauthenticated
from identity.auth.models import ApiKey, ServiceAccount
from identity.auth.tokens import Subject, hash_secret
from identity.roles.catalogue import CATALOGUE
from identity.roles.service import Grants


@dataclass(frozen=True)
class NewServiceAccount:
    name: str
    permissions: list[str]
    scopes: dict[str, str]


class ServiceAccounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self, principal: Principal) -> list[ServiceAccount]:
        principal.require("identity:service_account:read")
        async with self.db.read() as session:
            return list((await session.scalars(select(ServiceAccount).order_by(ServiceAccount.name))).all())

    async def keys(self, principal: Principal, account_id: uuid.UUID) -> list[ApiKey]:
        principal.require("identity:service_account:read")
        async with self.db.read() as session:
            rows = await session.scalars(select(ApiKey).where(ApiKey.service_account_id == account_id))
            return list(rows.all())

    async def create(self, principal: Principal, data: NewServiceAccount) -> ServiceAccount:
        principal.require("identity:service_account:create")
        name = data.name.strip()
        if not name or len(name) > 100:
            raise BadInput(field="name", reason="1-100 characters")
        for permission in data.permissions:
            if not CATALOGUE.is_grantable(permission) or permission == "*":
                raise BadInput("unknown_permission", field="permissions", permission=permission)
        for resource, scope in data.scopes.items():
            if resource not in CATALOGUE.resources or scope not in DataScope.__members__.values():
                raise BadInput(field="scopes", reason=f"{resource}: {scope}")
        account = ServiceAccount(
            name=name, permissions=sorted(set(data.permissions)), scopes=dict(data.scopes), created_by=principal.user_id
        )
        async with self.db.unit_of_work() as uow:
            uow.session.add(account)
            await uow.flush()
            await audit.record(
                uow,
                "service_account.created",
                "ServiceAccount",
                account.id,
                None,
                {"name": name, "permissions": account.permissions, "scopes": account.scopes},
            )
        return account

    async def create_key(self, principal: Principal, account_id: uuid.UUID, name: str) -> tuple[ApiKey, str]:
        """A new key; its secret is returned once and only its hash is kept."""
        principal.require("identity:service_account:update")
        prefix = secrets.token_hex(4)
        secret = f"crm_{prefix}_{secrets.token_urlsafe(32)}"
        async with self.db.unit_of_work() as uow:
            account = await uow.session.get(ServiceAccount, account_id)
            if account is None:
                raise NotFound(entity="ServiceAccount")
            if not account.is_active:
                raise BadInput("service_account_inactive", field="serviceAccountId")
            key = ApiKey(
                service_account_id=account_id,
                name=name.strip()[:100] or prefix,
                prefix=prefix,
                key_hash=hash_secret(secret),
            )
            uow.session.add(key)
            await uow.flush()
            await audit.record(uow, "api_key.created", "ApiKey", key.id, detail={"prefix": prefix})
        return key, secret

    async def deactivate(self, principal: Principal, account_id: uuid.UUID) -> ServiceAccount:
        """The integration stops: none of its keys yields a token any more."""
        principal.require("identity:service_account:update")
        async with self.db.unit_of_work() as uow:
            account = await uow.session.get(ServiceAccount, account_id, with_for_update=True)
            if account is None:
                raise NotFound(entity="ServiceAccount")
            if account.is_active:
                account.is_active = False
                await audit.record(
                    uow,
                    "service_account.deactivated",
                    "ServiceAccount",
                    account.id,
                    {"isActive": True},
                    {"isActive": False},
                )
        return account

    async def revoke_key(self, principal: Principal, key_id: uuid.UUID) -> None:
        principal.require("identity:service_account:revoke")
        async with self.db.unit_of_work() as uow:
            key = await uow.session.get(ApiKey, key_id, with_for_update=True)
            if key is None:
                raise NotFound(entity="ApiKey")
            key.revoked_at = key.revoked_at or utcnow()
            await audit.record(uow, "api_key.revoked", "ApiKey", key.id, detail={"prefix": key.prefix})

    async def subject_for(self, secret: str) -> Subject:
        """The token subject an API key stands for; a revoked key or inactive account is refused."""
        async with self.db.unit_of_work() as uow:
            key = await uow.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_secret(secret)))
            account = await uow.session.get(ServiceAccount, key.service_account_id) if key else None
            if key is None or key.revoked_at is not None or account is None or not account.is_active:
                raise Unauthenticated("invalid_api_key")
            key.last_used_at = utcnow()
            await audit.record(uow, "auth.api_key_used", "ApiKey", key.id, actor_id=account.id)
            grants = Grants(list(account.permissions), dict(account.scopes))
            return Subject(account.id, "", account.name, ["service_account"], grants, None, [])
