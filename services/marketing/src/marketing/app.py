"""The marketing service's ASGI app: `uvicorn marketing.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_contracts.automation import ApprovalDecided
from crm_shared.accounts import ACCOUNTS, AccountLookup, read_through
from crm_shared.auth.directory import DIRECTORY
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events.handlers import Handlers
from crm_shared.http import ServiceApp, create_service_app
from crm_shared.org import ORG
from crm_shared.service import Schedule
from marketing import audience, messages  # noqa: F401  (messages registers the message catalogue)
from marketing.audience import ContactLookup
from marketing.campaigns.budget import on_decided
from marketing.graphql import schema
from marketing.journeys.handovers import ApiKeyToken, HandOvers
from marketing.journeys.runner import JourneyRunner
from marketing.journeys.triggers import JOURNEYS
from marketing.manifest import SERVICE
from marketing.performance.handlers import PERFORMANCE
from marketing.segments import service as segments
from marketing.segments.projection import FACTS
from marketing.sending.api import router as public_links
from marketing.sending.sender import CampaignSender
from marketing.settings import MarketingSettings
from marketing.sms.api import router as sms_callbacks
from marketing.sms.sender import SmsSender

DECISIONS = Handlers()  # automation's approval decisions on budgets
DECISIONS.add(ApprovalDecided, on_decided)


def create_app(settings: MarketingSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or MarketingSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    customer = platform.service_url("customer")
    read_through(AccountLookup(customer) if customer else None)  # a just-created account is usable at once
    audience.read_through(ContactLookup(customer) if customer else None)  # and so is a just-created contact
    domain = settings.mail_address.rpartition("@")[2]
    runner = JourneyRunner(db, settings.journey_batch, settings.journey_poll_seconds, domain, settings)
    schedules = [
        Schedule("campaign-sender", CampaignSender(settings).run, every=settings.send_seconds),
        Schedule("segment-windows", segments.expire_windows, every=settings.segment_window_seconds),
        Schedule("sms-sender", SmsSender(settings).run, every=settings.sms_seconds),
    ]
    identity, sales = platform.service_url("identity"), platform.service_url("sales")
    if customer and sales and identity and settings.service_api_key:  # otherwise hand-overs wait, kept as rows
        handovers = HandOvers(customer, sales, ApiKeyToken(identity, settings.service_api_key))
        schedules.append(Schedule("journey-handovers", handovers.deliver, every=settings.handover_seconds))
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[public_links, sms_callbacks],
            handlers=DIRECTORY
            + ORG
            + DECISIONS
            + (ACCOUNTS + audience.CONTACTS + PERFORMANCE).then(FACTS).then(JOURNEYS),
            consume_in_batches=True,
            schedules=schedules,
            workers=[runner.run],
            state={
                "settings": settings,
                "public_limiter": RateLimiter(settings.public_per_minute, settings.public_burst),
                "journeys": runner,
            },
        )
    )
