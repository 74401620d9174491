"""`create_service_app`: FastAPI with REST routes, the /graphql subgraph, health and background workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.auth.directory import CHANGED
from crm_shared.auth.jwks import JwksKeySource, TokenVerifier
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.auth.revocation import Lookup, Revocations, directory_standing
from crm_shared.config import PlatformSettings, ServiceSettings, require_secrets
from crm_shared.db.engine import Database
from crm_shared.events import kafka
from crm_shared.events.consumer import EventConsumer
from crm_shared.events.handlers import Handlers
from crm_shared.events.refeed import Refeeder
from crm_shared.events.relay import OutboxRelay
from crm_shared.graphql.schema import graphql_router
from crm_shared.http import problems
from crm_shared.http.idempotency import IdempotencyMiddleware, KeyHolder
from crm_shared.http.inputs import InputPolicyMiddleware, declared_only
from crm_shared.http.middleware import RequestContextMiddleware
from crm_shared.schedule import ScheduleRunner
from crm_shared.service import Schedule, ServiceManifest
from crm_shared.telemetry import recording, setup_logging, setup_tracing

log = logging.getLogger(__name__)

Worker = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class ServiceApp:
    """Everything a service wires together; `create_service_app` turns it into an ASGI app.

    The platform adds what every service needs: the outbox relay, the consumer of `handlers`
    (group named after the service), the schedule runner with the outbox purge, JSON logs with
    trace ids, health checks and the error mapping.
    """

    manifest: ServiceManifest
    platform: PlatformSettings
    settings: ServiceSettings  # the service's own: production checks its secrets before starting
    db: Database
    schema: strawberry.federation.Schema
    routers: Iterable[APIRouter] = ()
    handlers: Handlers = field(default_factory=Handlers)
    schedules: Iterable[Schedule] = ()
    workers: Iterable[Worker] = ()  # long-running tasks of the service's own (key rotation)
    state: dict[str, Any] = field(default_factory=dict)
    verifier: TokenVerifier | None = None  # identity verifies from its own key ring
    standing: Lookup = directory_standing  # where a caller's status and grants version are read (identity: users)
    version: str = "0.1.0"
    # a fetched batch of events in one transaction (EventConsumer `batches`): for handlers that read what they
    # share through `UnitOfWork.read_once` and key every effect, at event rates a transaction each cannot reach
    consume_in_batches: bool = False


def create_service_app(spec: ServiceApp) -> FastAPI:
    name, platform = spec.manifest.name, spec.platform
    require_secrets(platform, spec.settings)
    setup_logging()
    setup_tracing(name)
    db = spec.db
    relay = OutboxRelay(db, platform)
    holder = KeyHolder(db, platform)
    routes = spec.handlers.routes
    consumer = EventConsumer(db, platform, name, routes, batches=spec.consume_in_batches) if routes else None
    topics = [AUDIT_TOPIC, *spec.manifest.topics]

    refeeder = Refeeder(platform, topics, name, consumer.broker_lost if consumer else None)

    async def ensure_own_topics() -> None:
        await kafka.with_retry(lambda: kafka.ensure_topics(platform.kafka_bootstrap_servers, topics))

    purge = Schedule("outbox purge", relay.purge_in, platform.outbox_purge_seconds)
    heal = Schedule("re-feed a broker that lost events", refeeder.check, platform.refeed_check_seconds)
    schedules = ScheduleRunner(db, [*spec.schedules, purge, heal])
    # a directory projection announces its changes, so standings read from it are cached for longer
    told_by = CHANGED if spec.standing is directory_standing else None
    revocations = Revocations(db, spec.standing, platform.authz_cache_seconds, told_by, platform.authz_told_seconds)
    workers = [ensure_own_topics, relay.run, schedules.run, holder.run, *([consumer.run] if consumer else [])]
    workers.append(revocations.listen)
    workers += spec.workers

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(worker(), name=f"{name}-worker") for worker in workers]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await refeeder.close()
            await db.dispose()

    # production publishes no API description: the committed OpenAPI snapshots document it
    shown = not platform.production
    app = FastAPI(
        title=f"CRM {name} service",
        version=spec.version,
        lifespan=lifespan,
        docs_url="/docs" if shown else None,
        redoc_url="/redoc" if shown else None,
        openapi_url="/openapi.json" if shown else None,
        # FastAPI's own request spans continue the caller's trace; operation spans only when recorded
        telemetry={"metrics": False, "logs": False, "operation_spans": recording(), "exclude": _probe},
    )
    app.state.db = db
    app.state.platform = platform
    app.state.verifier = spec.verifier or TokenVerifier(
        JwksKeySource(platform.jwks_url), platform.jwt_issuer, platform.jwt_audience
    )
    app.state.rate_limiter = RateLimiter(platform.rate_limit_per_minute, platform.rate_limit_burst)
    app.state.revocations = revocations
    app.state.relay, app.state.consumer, app.state.schedules = relay, consumer, schedules
    app.state.key_holder = holder
    for key, value in spec.state.items():
        setattr(app.state, key, value)
    app.add_middleware(IdempotencyMiddleware, db=db, platform=platform, holder=holder)
    app.add_middleware(InputPolicyMiddleware, max_body=platform.upload_max_bytes)
    app.add_middleware(RequestContextMiddleware)
    problems.install(app)
    problems.document(app)
    app.include_router(_health(db, platform, consumer))
    for router in spec.routers:
        app.include_router(router, dependencies=[Depends(declared_only)])
    app.include_router(graphql_router(spec.schema, graphiql=not platform.production), prefix="/graphql")
    if recording():  # a statement's span carries no context on: unrecorded, it is only a cost
        SQLAlchemyInstrumentor().instrument(engine=db.engine.sync_engine)
    return app


def _probe(scope: MutableMapping[str, Any]) -> bool:
    """Liveness and readiness probes: no span for them."""
    return scope.get("path") in ("/healthz", "/readyz")


def _health(db: Database, platform: PlatformSettings, consumer: EventConsumer | None) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: the database and the broker answer, and events are being consumed")
    async def readyz() -> JSONResponse:
        checks = {"database": await _check(db.ping()), "broker": await _check(_broker(platform))}
        if consumer is not None:
            checks["consumer"] = "ok" if consumer.consuming else "error: not consuming"
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
