"""`create_service_app`: FastAPI with REST routes, the /graphql subgraph, health and background workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

from crm_shared.auth.jwks import TokenVerifier
from crm_shared.config import PlatformSettings
from crm_shared.db.engine import Database
from crm_shared.graphql.schema import graphql_router
from crm_shared.http import problems
from crm_shared.http.idempotency import IdempotencyMiddleware
from crm_shared.http.middleware import RequestContextMiddleware
from crm_shared.telemetry import setup_tracing

log = logging.getLogger(__name__)

Worker = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class ServiceApp:
    """Everything a service wires together; `create_service_app` turns it into an ASGI app."""

    name: str
    platform: PlatformSettings
    db: Database
    verifier: TokenVerifier
    schema: strawberry.federation.Schema
    routers: Iterable[APIRouter] = ()
    workers: Iterable[Worker] = ()
    state: dict[str, Any] = field(default_factory=dict)
    version: str = "0.1.0"


def create_service_app(spec: ServiceApp) -> FastAPI:
    setup_tracing(spec.name)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(worker(), name=f"{spec.name}-worker") for worker in spec.workers]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await spec.db.dispose()

    app = FastAPI(title=f"CRM {spec.name} service", version=spec.version, lifespan=lifespan)
    app.state.db = spec.db
    app.state.platform = spec.platform
    app.state.verifier = spec.verifier
    for key, value in spec.state.items():
        setattr(app.state, key, value)
    app.add_middleware(IdempotencyMiddleware, db=spec.db)
    app.add_middleware(RequestContextMiddleware)
    problems.install(app)
    app.include_router(_health(spec))
    for router in spec.routers:
        app.include_router(router)
    app.include_router(graphql_router(spec.schema, graphiql=not spec.platform.production), prefix="/graphql")
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    SQLAlchemyInstrumentor().instrument(engine=spec.db.engine.sync_engine)
    return app


def _health(spec: ServiceApp) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: the database and the broker answer")
    async def readyz() -> JSONResponse:
        checks = {"database": await _check(spec.db.ping()), "broker": await _check(_broker(spec.platform))}
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503)

    return router


async def _check(probe: Awaitable[None]) -> str:
    try:
        await asyncio.wait_for(probe, 2)
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def _broker(platform: PlatformSettings) -> None:
    host, _, port = platform.kafka_bootstrap_servers.split(",")[0].rpartition(":")
    _, writer = await asyncio.open_connection(host, int(port))
    writer.close()
    await writer.wait_closed()
