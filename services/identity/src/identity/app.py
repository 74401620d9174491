"""The identity service's ASGI app: `uvicorn identity.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.auth import TokenVerifier
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events import EventConsumer, OutboxRelay
from crm_shared.http import ServiceApp, create_service_app
from identity import messages  # noqa: F401  (registers the message catalogue)
from identity.api import jwks_router, router
from identity.audit import chain
from identity.graphql import schema
from identity.services import Identity
from identity.settings import IdentitySettings


def create_app(settings: IdentitySettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source="/crm/identity")
    identity = Identity.wire(db, settings, platform)
    relay = OutboxRelay(db, platform)
    audit_log = EventConsumer(db, platform, "identity-audit", {AUDIT_TOPIC: {"audit.recorded": chain.append}})
    return create_service_app(
        ServiceApp(
            name="identity",
            platform=platform,
            db=db,
            # identity verifies its own tokens from its key ring, not over HTTP
            verifier=TokenVerifier(identity.keys, platform.jwt_issuer, platform.jwt_audience),
            schema=schema,
            routers=[router, jwks_router],
            workers=[identity.keys.ensure_key, identity.roles.ensure_builtin, relay.run, audit_log.run],
            state={"identity": identity, "keys": identity.keys, "relay": relay, "audit_log": audit_log},
        )
    )
