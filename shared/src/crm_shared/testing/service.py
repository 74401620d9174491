"""A service's test app in a few lines: the real app on a fresh database, test tokens, a seeded directory.

The conftest every service is meant to have (about 30 lines):

    import uuid

    import pytest

    from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
    from crm_shared.testing.tokens import Persona
    from customer.app import ORDER_TOPIC, create_app
    from customer.events import TOPICS
    from customer.settings import CustomerSettings

    COMPANY, TEAM = uuid.uuid4(), uuid.uuid4()
    PERSONAS = persona_map(
        Persona("admin", ("*",), {}, COMPANY),
        Persona("rep1", ("customer:account:*",), {"customer:account": "own"}, TEAM),
    )


    @pytest.fixture  # one database per test; `tokens` comes from the plugin; see below for one per module
    async def app(fresh_db, platform_settings, tokens):
        await ensure_service_topics(platform_settings, [*TOPICS, ORDER_TOPIC])
        settings = CustomerSettings(pool_claim_limit=2)
        return await service_app(create_app, settings, platform_settings, tokens, PERSONAS, await fresh_db("customer"))


    @pytest.fixture
    def persona():
        return PERSONAS


    @pytest.fixture
    async def gql(app, tokens):
        async with GraphQLClient(app, tokens, PERSONAS, base_url="http://customer") as client:
            yield client

A service's own builders (`gql.account()`, `gql.opportunity()`) go on a subclass of `GraphQLClient`;
seeding beyond the directory (sales' default pipeline) follows `service_app` in the `app` fixture.
`fresh_db` (from `crm_shared.testing.plugin`) clones the service's migrated template in tens of
milliseconds and drops the clone, with the app's engine, at teardown. For one app per module, use a
module-scoped fixture with `db = await fresh_database(postgres, "customer")` and, after `yield`,
`await discard_database(postgres, db)`. Time-dependent rules are tested with the `clock` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from fastapi import FastAPI

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.auth.directory import apply_user_event
from crm_shared.config import PlatformSettings, ServiceSettings
from crm_shared.db.engine import Database
from crm_shared.events import CloudEvent
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing.infra import attach
from crm_shared.testing.tokens import Persona, TokenFactory

Settings = TypeVar("Settings", bound=ServiceSettings)

# (bootstrap, topic) pairs already ensured this process: the app fixture of every test asks again
_ensured: set[tuple[str, str]] = set()


def persona_map(*cast: Persona) -> dict[str, Persona]:
    """The personas of a suite by name, the shape `GraphQLClient` and `service_app` take."""
    named = {persona.name: persona for persona in cast}
    assert len(named) == len(cast), "two personas share a name"
    return named


def user_created(persona: Persona, type: str = "user.created", active: bool = True) -> CloudEvent:
    """The `user.created` event identity would publish for `persona` (or another user event of it)."""
    data = {
        "id": str(persona.user_id),
        "orgUnitId": str(persona.unit_id) if persona.unit_id else None,
        "displayName": persona.name,
        "email": f"{persona.name}@example.com",
        "roles": [persona.name],
        "isActive": active,
        "authzVersion": persona.authz_version,
        "permissions": list(persona.permissions),
    }
    return CloudEvent(source="/crm/identity", type=type, subject=str(persona.user_id), data=data)


async def seed_directory(db: Database, cast: Iterable[Persona]) -> None:
    """Fill the local user directory the way identity's events fill it in production."""
    async with db.unit_of_work() as uow:
        for persona in cast:
            await apply_user_event(uow, user_created(persona))


async def service_app(
    create_app: Callable[[Settings, PlatformSettings], FastAPI],
    settings: Settings,
    platform: PlatformSettings,
    tokens: TokenFactory | None,
    personas: Mapping[str, Persona],
    database: Database,
) -> FastAPI:
    """The service's app on `database`, trusting `tokens` (when given), with `personas` in its user directory.

    The app opens its own engine on the database; it is disposed when `database` is discarded.
    """
    app = create_app(settings.model_copy(update={"database_url": database.url}), platform)
    attach(database, app.state.db)
    if tokens is not None:
        app.state.verifier = tokens.verifier()
    if personas:
        await seed_directory(app.state.db, personas.values())
    return app


async def ensure_service_topics(platform: PlatformSettings, topics: Iterable[str]) -> None:
    """Create `topics`, their dead-letter siblings and the audit topic once per process."""
    bootstrap = platform.kafka_bootstrap_servers
    missing = sorted({*topics, AUDIT_TOPIC} - {topic for server, topic in _ensured if server == bootstrap})
    if missing:
        await ensure_topics(bootstrap, missing)
        _ensured.update((bootstrap, topic) for topic in missing)
