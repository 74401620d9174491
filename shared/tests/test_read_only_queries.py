"""A query's resolvers read without a transaction around them and cannot write; a mutation's write as one."""

import uuid

import pytest
import strawberry
from fastapi import FastAPI
from sqlalchemy import Column, MetaData, Table, Text, func, insert, select, text
from sqlmodel import SQLModel

from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.config import PlatformSettings, ServiceSettings
from crm_shared.db.engine import Database
from crm_shared.events import OutboxMessage, new_event
from crm_shared.graphql.context import Info
from crm_shared.graphql.schema import federated_schema
from crm_shared.http.app import ServiceApp, create_service_app
from crm_shared.service import ServiceManifest
from crm_shared.testing import GraphQLClient, persona_map, service_app
from crm_shared.testing.tokens import Persona, TokenFactory

PERSONAS = persona_map(Persona("admin", ("*",), {}, uuid.uuid4()))
notes = Table("notes", MetaData(), Column("body", Text, nullable=False))


async def _alone(info: Info) -> bool:
    """Whether statements a pause apart see their own `now()`: in one transaction it stays its start."""
    async with info.context.uow() as uow:
        first = (await uow.session.execute(text("SELECT now()"))).scalar_one()
        await uow.session.execute(text("SELECT pg_sleep(0.01)"))
        return bool((await uow.session.execute(text("SELECT now()"))).scalar_one() != first)


@strawberry.type
class Query:
    @strawberry.field
    async def statements_alone(self, info: Info) -> bool:
        return await _alone(info)

    @strawberry.field
    async def note_count(self, info: Info) -> int:
        async with info.context.uow() as uow:
            return int((await uow.session.execute(select(func.count()).select_from(notes))).scalar_one())

    @strawberry.field
    async def write_note(self, info: Info) -> bool:
        async with info.context.uow() as uow:
            await uow.session.execute(insert(notes).values(body="from a query"))
        return True

    @strawberry.field
    async def add_row(self, info: Info) -> bool:
        async with info.context.uow() as uow:
            uow.session.add(OutboxMessage(event_id=uuid.uuid4(), topic="crm.kit.note", payload={}))
        return True

    @strawberry.field
    async def publish(self, info: Info) -> bool:
        async with info.context.uow() as uow:
            await uow.emit("crm.kit.note", new_event("/crm/kit", "note.written", uuid.uuid4(), {}))
        return True


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def write_note(self, info: Info) -> bool:
        async with info.context.uow() as uow:
            await uow.session.execute(insert(notes).values(body="from a mutation"))
            await uow.emit("crm.kit.note", new_event("/crm/kit", "note.written", uuid.uuid4(), {}))
        return True

    @strawberry.mutation
    async def statements_alone(self, info: Info) -> bool:
        return await _alone(info)


KIT = ServiceManifest(name="kit", port=8098, topics=())


def create_app(settings: ServiceSettings, platform: PlatformSettings) -> FastAPI:
    db = Database(settings.database_url, source=KIT.source, platform=platform)
    return create_service_app(
        ServiceApp(manifest=KIT, platform=platform, settings=settings, db=db, schema=federated_schema(Query, Mutation))
    )


@pytest.fixture
async def gql(fresh_db, platform_settings):
    tokens = TokenFactory()
    database = await fresh_db("identity")
    async with database.engine.begin() as conn:  # identity keeps no directory; this small service does
        await conn.run_sync(notes.metadata.create_all)
        await conn.run_sync(
            SQLModel.metadata.create_all, tables=[DirectoryUser.__table__, DirectoryServiceAccount.__table__]
        )
    app = await service_app(create_app, ServiceSettings(), platform_settings, tokens, PERSONAS, database)
    async with GraphQLClient(app, tokens, PERSONAS, base_url="http://kit") as client:
        yield client


async def _written(gql) -> tuple[list[str], int]:
    async with gql.app.state.db.read() as session:
        bodies = (await session.execute(select(notes.c.body))).scalars().all()
        events = (await session.execute(text("SELECT count(*) FROM outbox WHERE topic = 'crm.kit.note'"))).scalar_one()
    return list(bodies), events


async def test_a_query_reads_each_statement_on_its_own_and_a_mutation_in_one_transaction(gql):
    assert await gql.ok("{ statementsAlone noteCount }") == {"statementsAlone": True, "noteCount": 0}
    assert await gql.ok("mutation { statementsAlone }") == {"statementsAlone": False}


async def test_a_query_that_would_write_is_refused_and_writes_nothing(gql):
    for field in ("writeNote", "addRow", "publish"):
        await gql.error(f"{{ {field} }}", code="INTERNAL_SERVER_ERROR")
    assert await _written(gql) == ([], 0)
    assert await gql.ok("mutation { writeNote }") == {"writeNote": True}
    assert await _written(gql) == (["from a mutation"], 1)
