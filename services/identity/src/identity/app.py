"""The identity service's ASGI app: `uvicorn identity.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared.auth import TokenVerifier
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.http import ServiceApp, create_service_app
from identity import messages  # noqa: F401  (registers the message catalogue)
from identity.api import jwks_router, router
from identity.events import HANDLERS
from identity.graphql import schema
from identity.manifest import SERVICE
from identity.roles.service import ensure_builtin
from identity.services import Identity
from identity.settings import IdentitySettings
from identity.users.repository import standing


def create_app(settings: IdentitySettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    identity = Identity.wire(db, settings, platform)

    async def builtin_roles() -> None:
        async with db.unit_of_work() as uow:
            await ensure_builtin(uow)

    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[router, jwks_router],
            handlers=HANDLERS,
            # the audit chain appends a fetched batch under one lock, in one statement
            consume_in_batches=True,
            workers=[identity.keys.ensure_key, builtin_roles],
            # identity verifies its own tokens from its key ring, not over HTTP
            verifier=TokenVerifier(identity.keys, platform.jwt_issuer, platform.jwt_audience),
            standing=standing,
            state={"identity": identity, "keys": identity.keys},
        )
    )
