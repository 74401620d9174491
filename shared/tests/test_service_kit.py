"""service_app and GraphQLClient on a small real service: tokens trusted, directory seeded, callers named."""

import uuid

import pytest
import strawberry
from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlmodel import SQLModel

from crm_shared.auth.directory import DirectoryUser
from crm_shared.config import PlatformSettings, ServiceSettings
from crm_shared.db.engine import Database
from crm_shared.errors import NotFound
from crm_shared.graphql.context import Info
from crm_shared.graphql.schema import federated_schema
from crm_shared.http.app import ServiceApp, create_service_app
from crm_shared.http.auth import CurrentPrincipal
from crm_shared.service import ServiceManifest
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
from crm_shared.testing.service import user_created
from crm_shared.testing.tokens import Persona, TokenFactory

TEAM = uuid.uuid4()
PERSONAS = persona_map(Persona("admin", ("*",), {}, TEAM), Persona("rep1", ("kit:thing:read",), {}, TEAM))


@strawberry.type
class Query:
    @strawberry.field
    def me(self, info: Info) -> str:
        return str(info.context.principal.user_id)

    @strawberry.field
    def missing(self, info: Info) -> str:
        raise NotFound(entity="Thing")


router = APIRouter()


@router.get("/api/v1/me")
async def me(principal: CurrentPrincipal) -> dict[str, str]:
    return {"user": str(principal.user_id)}


KIT = ServiceManifest(name="kit", port=8098, topics=())


def create_app(settings: ServiceSettings, platform: PlatformSettings) -> FastAPI:
    db = Database(settings.database_url, source=KIT.source, platform=platform)
    return create_service_app(
        ServiceApp(
            manifest=KIT,
            platform=platform,
            settings=settings,
            db=db,
            schema=federated_schema(Query),
            routers=[router],
        )
    )


@pytest.fixture
async def gql(fresh_db, platform_settings):
    tokens = TokenFactory()
    database = await fresh_db("identity")
    async with database.engine.begin() as conn:  # identity keeps no directory; this small service does
        await conn.run_sync(SQLModel.metadata.create_all, tables=[DirectoryUser.__table__])
    app = await service_app(create_app, ServiceSettings(), platform_settings, tokens, PERSONAS, database)
    async with GraphQLClient(app, tokens, PERSONAS, base_url="http://kit") as client:
        yield client


async def test_app_runs_on_the_given_database_with_the_personas_in_its_directory(gql):
    async with gql.app.state.db.read() as session:
        rows = (await session.execute(text("SELECT display_name, unit_id FROM directory_users ORDER BY 1"))).all()
    assert [tuple(r) for r in rows] == [("admin", TEAM), ("rep1", TEAM)]


async def test_calls_as_a_persona_carry_its_token(gql):
    assert await gql.ok("{ me }") == {"me": str(PERSONAS["admin"].user_id)}
    assert await gql.ok("{ me }", as_="rep1") == {"me": str(PERSONAS["rep1"].user_id)}
    assert (await gql("{ me }"))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.error("{ me }", as_=None, code="UNAUTHENTICATED"))["path"] == ["me"]
    assert (await gql.error("{ missing }", as_="rep1", code="NOT_FOUND"))["extensions"]["code"] == "NOT_FOUND"
    with pytest.raises(AssertionError):
        await gql.error("{ missing }")  # FORBIDDEN is expected by default


async def test_rest_calls_use_the_same_personas(gql):
    mine = await gql.rest("GET", "/api/v1/me", as_="rep1")
    assert (mine.status_code, mine.json()) == (200, {"user": str(PERSONAS["rep1"].user_id)})
    assert (await gql.rest("GET", "/api/v1/me", as_=None)).status_code == 401
    with pytest.raises(AssertionError, match="unknown persona 'nobody'"):
        await gql.rest("GET", "/api/v1/me", as_="nobody")


async def test_topics_are_ensured_once_with_their_dead_letters_and_audit(platform_settings, topic):
    from aiokafka.admin import AIOKafkaAdminClient

    await ensure_service_topics(platform_settings, [topic])
    await ensure_service_topics(platform_settings, [topic])
    admin = AIOKafkaAdminClient(bootstrap_servers=platform_settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        names = set(await admin.list_topics())
    finally:
        await admin.close()
    assert {topic, f"{topic}.dlq", "crm.audit", "crm.audit.dlq"} <= names


def test_persona_names_must_be_unique():
    with pytest.raises(AssertionError, match="share a name"):
        persona_map(Persona("rep1", ()), Persona("rep1", ()))


def test_user_created_carries_what_the_directory_reads():
    rep = PERSONAS["rep1"]
    event = user_created(rep)
    assert (event.source, event.type, event.subject) == ("/crm/identity", "user.created", str(rep.user_id))
    assert event.data == {
        "id": str(rep.user_id),
        "orgUnitId": str(TEAM),
        "displayName": "rep1",
        "email": "rep1@example.com",
        "roles": ["rep1"],
        "isActive": True,
        "authzVersion": 0,
        "permissions": ["kit:thing:read"],
    }
    assert user_created(Persona("loner", ())).data["orgUnitId"] is None


async def test_bearer_names_the_persona_and_anonymous_sends_none():
    tokens = TokenFactory()
    async with GraphQLClient(FastAPI(), tokens, PERSONAS) as client:
        assert client.bearer(None) == {}
        principal = await tokens.verifier().verify(client.bearer("rep1")["Authorization"].removeprefix("Bearer "))
        assert principal.user_id == PERSONAS["rep1"].user_id
        adhoc = Persona("visitor", ())
        principal = await tokens.verifier().verify(client.bearer(adhoc)["Authorization"].removeprefix("Bearer "))
        assert principal.user_id == adhoc.user_id
