"""The customer service's ASGI app: `uvicorn customer.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared.auth.directory import DIRECTORY
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events.handlers import Handlers
from crm_shared.http import ServiceApp, create_service_app
from customer import messages  # noqa: F401  (registers the message catalogue)
from customer.accounts.conversion import on_conversion_requested
from customer.api import router
from customer.graphql import schema
from customer.manifest import SERVICE
from customer.services import Customer
from customer.settings import CustomerSettings

ORDER_TOPIC = "crm.sales.order"
LEAD_TOPIC = "crm.sales.lead"


def create_app(settings: CustomerSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or CustomerSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source)
    customer = Customer.wire(db, settings)
    handlers = Handlers()
    handlers.add_raw(ORDER_TOPIC, "order.created", customer.lifecycle.on_order)
    handlers.add_raw(LEAD_TOPIC, "lead.conversion_requested", on_conversion_requested)
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            db=db,
            schema=schema,
            routers=[router],
            handlers=DIRECTORY + handlers,
            workers=[customer.run_schedule],
            state={"customer": customer},
        )
    )
