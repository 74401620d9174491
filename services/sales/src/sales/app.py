"""The sales service's ASGI app: `uvicorn sales.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared.auth import JwksKeySource, TokenVerifier
from crm_shared.auth.directory import HANDLERS as DIRECTORY_HANDLERS
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events import EventConsumer, OutboxRelay
from crm_shared.http import ServiceApp, create_service_app
from sales import (
    accounts,
    messages,  # noqa: F401  (registers the message catalogue)
)
from sales.api import router
from sales.graphql import schema
from sales.services import Sales
from sales.settings import SalesSettings


def handlers(sales: Sales) -> dict[str, dict[str, object]]:
    """What sales consumes: the user directory, and customer's accounts with its conversion answers."""
    return {
        **DIRECTORY_HANDLERS,
        accounts.ACCOUNT_TOPIC: {
            "account.created": accounts.upsert_account,
            "account.updated": accounts.upsert_account,
            "account.restored": accounts.upsert_account,
            "account.deleted": accounts.mark_deleted,
            "account.owner_changed": accounts.owner_changed,
            "account.merged": accounts.merged,
            "account.lead_converted": sales.conversion.on_converted,
            "account.lead_conversion_failed": sales.conversion.on_failed,
        },
    }


def create_app(settings: SalesSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or SalesSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source="/crm/sales")
    sales = Sales.wire(db, settings)
    relay = OutboxRelay(db, platform)
    consumer = EventConsumer(db, platform, "sales", handlers(sales))  # type: ignore[arg-type]
    return create_service_app(
        ServiceApp(
            name="sales",
            platform=platform,
            db=db,
            verifier=TokenVerifier(JwksKeySource(platform.jwks_url), platform.jwt_issuer, platform.jwt_audience),
            schema=schema,
            routers=[router],
            workers=[relay.run, consumer.run, sales.run_schedule],
            state={"sales": sales, "relay": relay, "consumer": consumer},
        )
    )
