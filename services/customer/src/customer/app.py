"""The customer service's ASGI app: `uvicorn customer.app:create_app --factory`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.http import ServiceApp, create_service_app
from crm_shared.spreadsheets import Limits
from customer import messages  # noqa: F401  (registers the message catalogue)
from customer.api import router, uploads
from customer.graphql import schema
from customer.handlers import HANDLERS
from customer.imports.runner import ImportRunner
from customer.manifest import SERVICE
from customer.schedules import schedules
from customer.settings import CustomerSettings


def create_app(settings: CustomerSettings | None = None, platform: PlatformSettings | None = None) -> FastAPI:
    settings = settings or CustomerSettings()
    platform = platform or PlatformSettings()
    db = Database(settings.database_url, source=SERVICE.source, platform=platform)
    return create_service_app(
        ServiceApp(
            manifest=SERVICE,
            platform=platform,
            settings=settings,
            db=db,
            schema=schema,
            routers=[router, uploads],
            handlers=HANDLERS,
            schedules=schedules(settings),
            state={"settings": settings, "imports": ImportRunner(db, Path(settings.import_dir), Limits.of(platform))},
        )
    )
