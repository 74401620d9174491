"""The sales service's ASGI app: `uvicorn sales.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_contracts.automation import ApprovalDecided
from crm_contracts.customer import LeadConversionFailed, LeadConverted
from crm_shared import contacts
from crm_shared.accounts import ACCOUNTS, AccountLookup, read_through
from crm_shared.auth.directory import DIRECTORY
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events.handlers import Handlers
from crm_shared.http import ServiceApp, create_service_app
from sales import (
    approvals,
    messages,  # noqa: F401  (registers the message catalogue)
)
from sales.api import router
from sales.campaigns import CAMPAIGNS
from sales.graphql import schema
from sales.manifest import SERVICE
from sales.services import Sales
from sales.settings import SalesSettings


def handlers(sales: Sales) -> Handlers:
    """What sales consumes: the user directory, customer's accounts and contacts with its conversion answers,
    marketing's campaigns, and automation's approval decisions."""
    registry = Handlers()
    registry.add(LeadConverted, sales.conversion.on_converted)
    registry.add(LeadConversionFailed, sales.conversion.on_failed)
    registry.add(ApprovalDecided, approvals.on_decided)
    return DIRECTORY + ACCOUNTS + contacts.CONTACTS + CAMPAIGNS + registry


def create_app(settings: SalesSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or SalesSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    sales = Sales.wire(settings)
    customer = platform.service_url("customer")
    read_through(AccountLookup(customer) if customer else None)  # a just-created account is usable at once
    contacts.read_through(contacts.ContactLookup(customer) if customer else None)  # and so is a just-created contact
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[router],
            handlers=handlers(sales),
            schedules=sales.schedules(),
            state={"sales": sales},
            consume_in_batches=True,
        )
    )
