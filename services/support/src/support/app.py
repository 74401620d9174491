"""The support service's ASGI app: `uvicorn support.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from crm_shared import contacts
from crm_shared.accounts import ACCOUNTS, AccountLookup, read_through
from crm_shared.auth.directory import DIRECTORY
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.http import ServiceApp, create_service_app
from crm_shared.org import ORG
from crm_shared.service import Schedule
from support import messages  # noqa: F401  (registers the message catalogue)
from support.graphql import schema
from support.installed.service import handlers as installed_base
from support.kb.api import router as public_kb
from support.mail.api import router as inbound_mail
from support.mail.outbound import MailSender
from support.manifest import SERVICE
from support.settings import SupportSettings
from support.sla.monitor import SlaMonitor
from support.surveys import api as survey_form
from support.surveys import service as surveys
from support.surveys.followups import ApiKeyToken, CustomerTasks
from support.tickets.api import router as tickets_api


def create_app(settings: SupportSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or SupportSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    customer = platform.service_url("customer")
    read_through(AccountLookup(customer) if customer else None)  # a just-created account is usable at once
    contacts.read_through(contacts.ContactLookup(customer) if customer else None)  # and so is a just-created contact
    monitor = SlaMonitor(settings.sla_batch, settings.sla_check_seconds)
    schedules = [
        Schedule("sla-monitor", monitor.run, every=settings.sla_check_seconds),
        Schedule("mail-sender", MailSender(settings).run, every=settings.mail_send_seconds),
        Schedule("surveys", lambda uow: surveys.send_due(uow, settings), every=settings.survey_check_seconds),
    ]
    identity = platform.service_url("identity")
    if customer and identity and settings.customer_api_key:  # otherwise low scores' tasks wait, listed as pending
        tasks = CustomerTasks(customer, ApiKeyToken(identity, settings.customer_api_key))
        schedules.append(Schedule("follow-up-tasks", tasks.deliver, every=settings.survey_check_seconds))
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[inbound_mail, public_kb, survey_form.router, tickets_api],
            handlers=DIRECTORY + ORG + ACCOUNTS + contacts.CONTACTS + installed_base(settings.warranty_months),
            consume_in_batches=True,
            schedules=schedules,
            state={
                "monitor": monitor,
                "settings": settings,
                "public_kb_limiter": RateLimiter(settings.public_kb_per_minute, settings.public_kb_burst),
            },
        )
    )
