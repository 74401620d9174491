"""The automation service's ASGI app: `uvicorn automation.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from automation import messages  # noqa: F401  (registers the message catalogue)
from automation.approvals import handlers as approvals
from automation.connectors.email.api import router as mail_logging
from automation.connectors.erp import outbound as erp_orders
from automation.connectors.erp.api import router as erp
from automation.connectors.telephony.api import router as cti
from automation.graphql import schema
from automation.manifest import SERVICE
from automation.notifications.mailer import Mailer
from automation.notifications.stream import Hub
from automation.notifications.stream import router as notification_stream
from automation.settings import AutomationSettings
from automation.webhooks import service as webhooks
from automation.webhooks.dispatcher import Dispatcher
from automation.workflows import triggers
from automation.workflows.engine import Engine
from automation.workflows.remote import ApiKeyToken, Services
from automation.workflows.timers import TimerWorker
from crm_shared.auth.directory import DIRECTORY
from crm_shared.config import PlatformSettings
from crm_shared.db import Database, UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Handlers
from crm_shared.http import ServiceApp, create_service_app
from crm_shared.org import ORG
from crm_shared.service import Schedule


def domain_events(engine: Engine, topics: list[str]) -> Handlers:
    """Every event of the trigger topics: workflow triggers and waits, webhook deliveries, orders for the ERP. A
    fetched batch of a topic's events comes at once: its rules and subscriptions are tested set-wise."""
    handlers = Handlers()
    for topic in topics:

        async def handle(uow: UnitOfWork, events: list[CloudEvent], topic: str = topic) -> None:
            await triggers.on_events(uow, engine, topic, events)
            await webhooks.enqueue(uow, topic, events)
            for event in events:  # each from an empty identity map, as in a transaction of its own
                await uow.flush()
                uow.session.expunge_all()
                await erp_orders.on_event(uow, engine.services, topic, event)
                await approvals.on_event(uow, topic, event)

        handlers.add_many(topic, handle)
    return handlers


def create_app(settings: AutomationSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or AutomationSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    identity = platform.service_url("identity")
    token = ApiKeyToken(identity, settings.api_key) if identity and settings.api_key else None
    engine = Engine(settings, Services(platform, token, settings.call_timeout_seconds))
    timers = TimerWorker(db, engine, settings.timer_max_sleep_seconds)
    hub = Hub(db)
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[notification_stream, cti, erp, mail_logging],
            handlers=DIRECTORY.then(approvals.ROLES) + ORG + domain_events(engine, settings.trigger_topics),
            # every event of the trigger topics comes through here: a fetched batch is taken at once
            consume_in_batches=True,
            schedules=[
                Schedule(
                    "webhook-deliveries",
                    Dispatcher(settings).run,
                    every=settings.webhook_check_seconds,
                    wake=webhooks.QUEUED,
                ),
                Schedule("notification-mail", Mailer(settings).run, every=settings.mail_check_seconds),
            ],
            workers=[timers.run, hub.run],
            state={"settings": settings, "engine": engine, "timers": timers, "notification_hub": hub},
        )
    )
