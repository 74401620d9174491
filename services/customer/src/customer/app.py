"""The customer service's ASGI app: `uvicorn customer.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared.auth import JwksKeySource, TokenVerifier
from crm_shared.auth.directory import HANDLERS as DIRECTORY_HANDLERS
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events import EventConsumer, OutboxRelay
from crm_shared.http import ServiceApp, create_service_app
from customer import messages  # noqa: F401  (registers the message catalogue)
from customer.accounts.conversion import on_conversion_requested
from customer.api import router
from customer.graphql import schema
from customer.services import Customer
from customer.settings import CustomerSettings

ORDER_TOPIC = "crm.sales.order"
LEAD_TOPIC = "crm.sales.lead"


def create_app(settings: CustomerSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or CustomerSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source="/crm/customer")
    customer = Customer.wire(db, settings)
    relay = OutboxRelay(db, platform)
    handlers = {
        **DIRECTORY_HANDLERS,
        ORDER_TOPIC: {"order.created": customer.lifecycle.on_order},
        LEAD_TOPIC: {"lead.conversion_requested": on_conversion_requested},
    }
    consumer = EventConsumer(db, platform, "customer", handlers)
    return create_service_app(
        ServiceApp(
            name="customer",
            platform=platform,
            db=db,
            verifier=TokenVerifier(JwksKeySource(platform.jwks_url), platform.jwt_issuer, platform.jwt_audience),
            schema=schema,
            routers=[router],
            workers=[relay.run, consumer.run, customer.run_schedule],
            state={"customer": customer, "relay": relay, "consumer": consumer},
        )
    )
