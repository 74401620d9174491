"""The platform kit end to end with a service of a few lines: typed events out and in, scoped reads, pages,
schedules, the boundary's unit of work, and the relay's account of failures."""

import asyncio
import base64
import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
import strawberry
from sqlalchemy import text
from sqlmodel import Field, SQLModel, col, select

from crm_shared.auth import DataScope, Principal
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.config import PlatformSettings, ServiceSettings
from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, pages
from crm_shared.db.pages import Order, decode_cursor, encode_cursor
from crm_shared.db.repository import Repository
from crm_shared.errors import BadInput, Forbidden, NotFound
from crm_shared.events import OutboxMessage, OutboxRelay, kafka
from crm_shared.events.handlers import Handlers
from crm_shared.events.kafka import ensure_topics
from crm_shared.events.model import Event
from crm_shared.graphql import Connection, Info, federated_schema
from crm_shared.http import ServiceApp, Transaction, create_service_app
from crm_shared.http.idempotency import HEARTBEAT, SILENT, IdempotencyHolder, IdempotencyRecord
from crm_shared.http.inputs import Cursor
from crm_shared.schedule import ScheduleRunner
from crm_shared.service import RunAgain, Schedule, ServiceManifest
from crm_shared.testing import GraphQLClient, read_topic
from crm_shared.testing.events import delivered
from crm_shared.testing.faults import database_outage
from crm_shared.testing.tokens import Persona, TokenFactory


class Note(SQLModel, table=True):
    __tablename__ = "kit_notes"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    title: str
    owner_id: uuid.UUID
    seen: int = 0


class NoteWritten(Event):
    type, topic = "note.written", "crm.kit.note"

    id: uuid.UUID
    title: str
    owner_id: uuid.UUID


class Notes(Repository[Note]):
    model, resource = Note, "kit:note"


async def write_note(uow: UnitOfWork, principal: Principal, title: str, id: uuid.UUID | None = None) -> Note:
    note = Note(id=id or uuid.uuid4(), title=title, owner_id=principal.user_id)
    uow.session.add(note)
    await uow.publish(NoteWritten(id=note.id, title=title, owner_id=note.owner_id))
    return note


HANDLERS = Handlers()


@HANDLERS.on(NoteWritten)
async def count_written(uow: UnitOfWork, event: NoteWritten) -> None:
    note = await Notes(uow).get(event.id)
    note.seen += 1


@strawberry.type
class NoteNode:
    id: strawberry.ID
    title: str

    @classmethod
    def of(cls, note: Note) -> "NoteNode":
        return cls(id=strawberry.ID(str(note.id)), title=note.title)


BY_TITLE = Order.by(col(Note.title), col(Note.id))


@strawberry.type
class Query:
    @strawberry.field
    async def notes(self, info: Info, first: int = 2, after: str | None = None) -> Connection[NoteNode]:
        async with info.context.uow() as uow:
            notes = Notes(uow, info.context.principal)
            page = await notes.page(await notes.select(), BY_TITLE, first, after)
        return Connection.of(page, NoteNode.of)


REFUSED: set[str] = set()  # titles whose first write met a database that refused the connection


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def write_note(self, info: Info, title: str) -> NoteNode:
        async with info.context.uow() as uow:
            return NoteNode.of(await write_note(uow, info.context.principal, title))

    @strawberry.mutation
    async def write_note_numbered(self, info: Info, id: uuid.UUID, title: str) -> NoteNode:
        """As two people saving one record at once: the second insert meets the first's committed key."""
        async with info.context.uow() as uow:
            return NoteNode.of(await write_note(uow, info.context.principal, title, id))

    @strawberry.mutation
    async def write_note_after_a_blip(self, info: Info, title: str) -> NoteNode:
        async with info.context.uow() as uow:
            note = await write_note(uow, info.context.principal, title)
            if title not in REFUSED:
                REFUSED.add(title)
                raise ConnectionRefusedError("the database went away before the commit")
            return NoteNode.of(note)

    @strawberry.mutation
    async def write_note_as_the_database_goes(self, info: Info, title: str) -> NoteNode:
        async with info.context.uow() as uow:
            note = await write_note(uow, info.context.principal, title)
            if OUTAGES:
                await OUTAGES.pop()()  # the commit below meets a database that has just gone away
            return NoteNode.of(note)


OUTAGES: list[Callable[[], Awaitable[None]]] = []
MANIFEST = ServiceManifest(name="kit", port=8099, topics=("crm.kit.note",), resources={"kit:note": ("read",)})
SCOPE = {"kit:note": DataScope.OWN}
ANN, BOB = (Persona(n, ("kit:*",), SCOPE) for n in ("ann", "bob"))


@pytest.fixture
async def kit_db(db):
    async with db.engine.begin() as conn:
        await conn.run_sync(
            SQLModel.metadata.create_all,
            tables=[Note.__table__, DirectoryUser.__table__, DirectoryServiceAccount.__table__],
        )
    return db


@pytest.fixture
async def kit_app(kit_db, platform_settings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, ["crm.kit.note"])
    tokens = TokenFactory()
    app = create_service_app(
        ServiceApp(
            manifest=MANIFEST,
            platform=platform_settings,
            settings=ServiceSettings(database_url=kit_db.url),
            db=kit_db,
            schema=federated_schema(Query, Mutation),
            handlers=HANDLERS,
            verifier=tokens.verifier(),
        )
    )

    @app.post("/api/v1/notes")
    async def post_note(uow: Transaction, title: str, id: uuid.UUID | None = None) -> dict[str, str]:
        note = await write_note(uow, Principal(user_id=ANN.user_id), title, id)
        if title == "refused":
            raise BadInput(field="title", reason="refused")
        return {"id": str(note.id)}

    @app.get("/api/v1/notes")
    async def list_notes(uow: Transaction, cursor: Cursor = None) -> dict[str, Any]:
        found = await pages.page(uow, select(Note), BY_TITLE, 2, cursor)
        return {"titles": [n.title for n in found.items], "next_cursor": found.next_cursor}

    async with GraphQLClient(app, tokens, {"ann": ANN, "bob": BOB}) as client:
        yield client


async def titles(db) -> list[str]:
    async with db.read() as session:
        return list((await session.scalars(select(Note.title).order_by(Note.title))).all())


async def test_a_resolver_commits_its_unit_of_work_and_pages_only_what_the_caller_may_see(kit_app, kit_db):
    for title in ("a", "b", "c"):
        await kit_app.ok("mutation($t: String!) { writeNote(title: $t) { id } }", {"t": title}, "ann")
    await kit_app.ok('mutation { writeNote(title: "bob\'s") { id } }', as_="bob")
    query = "query($a: String) { notes(after: $a) { totalCount edges { node { title } } pageInfo { endCursor } } }"

    first = (await kit_app.ok(query, {}, "ann"))["notes"]
    second = (await kit_app.ok(query, {"a": first["pageInfo"]["endCursor"]}, "ann"))["notes"]

    assert [e["node"]["title"] for e in first["edges"]] == ["a", "b"]
    assert [e["node"]["title"] for e in second["edges"]] == ["c"]
    assert first["totalCount"] == 3
    assert await titles(kit_db) == ["a", "b", "bob's", "c"]


async def test_a_count_is_exact_up_to_the_threshold_and_the_planners_estimate_above_it(kit_app, kit_db, monkeypatch):
    monkeypatch.setattr(pages, "EXACT_UP_TO", 10)
    async with kit_db.unit_of_work() as uow:
        uow.session.add_all([Note(title=f"n{i:02}", owner_id=ANN.user_id) for i in range(12)])
        uow.session.add(Note(title="bob's", owner_id=BOB.user_id))
    async with kit_db.engine.begin() as conn:
        await conn.execute(text("ANALYZE kit_notes"))
    query = "query($a: String) { notes(first: 2, after: $a) { totalCount totalCountIsExact pageInfo { endCursor } } }"

    ann = (await kit_app.ok(query, {}, "ann"))["notes"]
    later = (await kit_app.ok(query, {"a": ann["pageInfo"]["endCursor"]}, "ann"))["notes"]
    bob = (await kit_app.ok(query, {}, "bob"))["notes"]

    assert (ann["totalCount"], ann["totalCountIsExact"]) == (12, False)  # the planner knows ann's 12 of 13 rows
    assert (later["totalCount"], later["totalCountIsExact"]) == (12, False)
    assert (bob["totalCount"], bob["totalCountIsExact"]) == (1, True)


async def test_a_forged_cursor_is_bad_input_naming_the_field(kit_app):
    body = await kit_app("query($a: String) { notes(after: $a) { totalCount } }", {"a": "bm90LWpzb24"}, "ann")

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


NOTES = "query($a: String) { notes(after: $a) { edges { node { title } } } }"


@pytest.mark.parametrize("title", ["a\u0000", "\ud800"])
async def test_a_cursor_with_a_nul_character_is_refused_at_its_field(kit_app, title):
    forged = encode_cursor(BY_TITLE.name, [title, str(uuid.uuid4())])

    graphql = [(await kit_app(NOTES, {"a": forged}, "ann", lang))["errors"][0] for lang in ("zh-CN", "en")]
    rest = await kit_app.rest(
        "GET", "/api/v1/notes", "ann", params={"cursor": forged}, headers={"Accept-Language": "zh-CN"}
    )

    assert [(e["message"], e["extensions"]) for e in graphql] == [
        ("字段“after”不是本列表返回的有效游标", {"code": "BAD_USER_INPUT", "field": "after"}),
        ("Field 'after' is not a cursor this list gave out", {"code": "BAD_USER_INPUT", "field": "after"}),
    ]
    assert (rest.status_code, rest.json()["field"], rest.json()["detail"]) == (
        422,
        "cursor",
        "字段“cursor”不是本列表返回的有效游标",
    )


async def test_a_cursor_of_another_list_or_order_or_of_no_row_is_refused_and_its_own_pages_on(kit_app):
    for title in ("a", "b", "c"):
        await kit_app.ok("mutation($t: String!) { writeNote(title: $t) { id } }", {"t": title}, "ann")
    key = ["a", str(uuid.uuid4())]
    backwards = Order.by(col(Note.title), col(Note.id), descending=True)
    people = Order.by(col(DirectoryUser.display_name), col(DirectoryUser.user_id))
    unmarked = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")  # before cursors named theirs
    foreign = [encode_cursor(o.name, key) for o in (backwards, people)] + [encode_cursor(BY_TITLE.name, [None, None])]

    for cursor in [*foreign, unmarked]:
        error = await kit_app.error(NOTES, {"a": cursor}, "ann", code="BAD_USER_INPUT")
        listed = await kit_app.rest("GET", "/api/v1/notes", "ann", params={"cursor": cursor})
        assert (error["extensions"]["field"], listed.status_code, listed.json()["field"]) == ("after", 422, "cursor")
    page = (await kit_app.rest("GET", "/api/v1/notes", as_="ann")).json()
    following = await kit_app.rest("GET", "/api/v1/notes", "ann", params={"cursor": page["next_cursor"]})
    assert (page["titles"], following.json()["titles"]) == (["a", "b"], ["c"])


async def test_a_route_that_fails_leaves_nothing_written_and_publishes_nothing(kit_app, kit_db):
    refused = await kit_app.rest("POST", "/api/v1/notes?title=refused", as_="ann")
    kept = await kit_app.rest("POST", "/api/v1/notes?title=kept", as_="ann")

    assert (refused.status_code, kept.status_code) == (422, 200)
    assert await titles(kit_db) == ["kept"]
    async with kit_db.read() as session:
        events = (await session.scalars(select(OutboxMessage.payload))).all()
    assert [e["data"]["title"] for e in events] == ["kept"]


async def test_typed_events_travel_camel_case_and_are_applied_once(kit_app, kit_db, platform_settings):
    await kit_app.ok('mutation { writeNote(title: "事件") { id } }', as_="ann")
    await kit_app.publish()
    record = (await read_topic(platform_settings.kafka_bootstrap_servers, "crm.kit.note", 1))[0]
    consumer, dlq = kit_app.app.state.consumer, kafka.producer(platform_settings)
    await dlq.start()
    try:
        await consumer.process(record, dlq)
        await consumer.process(record, dlq)  # redelivered: the inbox makes it harmless
    finally:
        await dlq.stop()

    payload = (await read_topic(platform_settings.kafka_bootstrap_servers, "crm.kit.note", 1))[0].value
    assert b'"ownerId"' in payload and b'"owner_id"' not in payload
    async with kit_db.read() as session:
        assert (await session.scalars(select(Note.seen))).all() == [1]


async def test_the_scoped_get_answers_not_found_outside_the_callers_scope(kit_db):
    ann, bob = (Principal(user_id=p.user_id, permissions=frozenset({"kit:*"}), scopes=SCOPE) for p in (ANN, BOB))
    async with kit_db.unit_of_work() as uow:
        note = await write_note(uow, ann, "ann's")
    async with kit_db.unit_of_work() as uow:
        assert (await Notes(uow, ann).get(note.id)).title == "ann's"
        with pytest.raises(NotFound):
            await Notes(uow, bob).get(note.id)
        with pytest.raises(NotFound):
            await Notes(uow, ann).get(uuid.uuid4())


async def test_a_write_through_the_scoped_get_also_needs_read_since_the_row_comes_back(kit_db):
    ann = Principal(user_id=ANN.user_id, permissions=frozenset({"kit:*"}), scopes=SCOPE)
    writer = Principal(user_id=ANN.user_id, permissions=frozenset({"kit:note:update"}), scopes=SCOPE)
    async with kit_db.unit_of_work() as uow:
        note = await write_note(uow, ann, "ann's")
    async with kit_db.unit_of_work() as uow:
        with pytest.raises(Forbidden) as refused:
            await Notes(uow, writer).get(note.id, "update")
        assert refused.value.params["permission"] == "kit:note:read"


async def test_received_events_carry_their_envelope_time(kit_db):
    event = delivered(NoteWritten(id=uuid.uuid4(), title="t", owner_id=uuid.uuid4()))

    assert event.data() == {"id": str(event.id), "title": "t", "ownerId": str(event.owner_id)}
    assert event.time.tzinfo is not None


def test_two_handlers_for_one_event_type_are_refused():
    registry = Handlers()
    registry.add(NoteWritten, count_written)

    with pytest.raises(ValueError, match=r"two handlers for note\.written"):
        registry.add(NoteWritten, count_written)


def test_cursors_round_trip_and_reject_the_wrong_size():
    cursor = encode_cursor("notes", ["华为", str(uuid.UUID(int=1))])

    assert decode_cursor(cursor, "notes", 2) == ["华为", "00000000-0000-0000-0000-000000000001"]
    with pytest.raises(BadInput):
        decode_cursor(cursor, "notes", 3)


async def test_a_schedule_runs_each_job_in_its_own_unit_of_work_and_one_replica_at_a_time(kit_db):
    runs = []

    async def job(uow: UnitOfWork) -> None:
        note = "INSERT INTO kit_notes VALUES (gen_random_uuid(), 'scheduled', :o, 0)"
        await uow.session.execute(text(note), {"o": ANN.user_id})
        runs.append(await uow.session.scalar(text("SELECT count(*) FROM kit_notes")))
        await asyncio.sleep(0.3)

    schedule = Schedule("notes", job, every=60)
    first, second = ScheduleRunner(kit_db, [schedule]), ScheduleRunner(kit_db, [schedule])

    ran = await asyncio.gather(first.run_once(schedule), second.run_once(schedule))

    assert sorted(ran) == [False, True]
    assert runs == [1]
    assert await titles(kit_db) == ["scheduled"]


async def test_a_job_that_found_a_full_batch_runs_again_at_once_each_batch_committed(kit_db):
    seen = []
    done = asyncio.Event()

    async def job(uow: UnitOfWork) -> RunAgain | None:
        seen.append(await uow.session.scalar(text("SELECT count(*) FROM kit_notes")))
        if len(seen) == 3:
            done.set()
            return None
        note = "INSERT INTO kit_notes VALUES (gen_random_uuid(), 'batch', :o, 0)"
        await uow.session.execute(text(note), {"o": ANN.user_id})
        return RunAgain()

    runner = ScheduleRunner(kit_db, [Schedule("batches", job, every=3600)])
    task = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(done.wait(), 60)  # not the hour of its interval
    finally:
        task.cancel()
    assert seen == [0, 1, 2]


async def test_a_failed_publish_is_written_on_the_outbox_row(kit_db, platform_settings: PlatformSettings):
    from crm_shared.devstack.broker import free_port

    async with kit_db.unit_of_work() as uow:
        await write_note(uow, Principal(user_id=ANN.user_id), "undeliverable")
    down = platform_settings.model_copy(update={"kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"})
    relay = OutboxRelay(kit_db, down)

    with pytest.raises(Exception):
        await relay.publish_batch()
    await relay.close()

    async with kit_db.read() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert (row.published_at, row.attempts) == (None, 1)
    assert row.last_error and row.last_error.startswith("KafkaConnectionError")


async def test_a_database_outage_is_a_retryable_error_not_an_internal_one(kit_app, kit_db, postgres):
    async with database_outage(postgres, kit_db):
        graphql = await kit_app("{ notes { totalCount } }", as_="ann", lang="zh-CN")
        rest = await kit_app.rest("POST", "/api/v1/notes?title=waiting", as_="ann")

    assert graphql["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfterSeconds": 5}
    assert graphql["errors"][0]["message"] == "服务暂时不可用，请稍后重试"
    assert (rest.status_code, rest.headers["retry-after"], rest.json()["code"]) == (503, "5", "SERVICE_UNAVAILABLE")
    assert await titles(kit_db) == []


async def test_a_key_another_transaction_committed_first_is_a_conflict_to_retry_not_an_internal_error(kit_app, kit_db):
    taken = uuid.uuid4()
    write = "mutation($id: UUID!, $t: String!) { writeNoteNumbered(id: $id, title: $t) { id } }"
    assert await kit_app.ok(write, {"id": str(taken), "t": "first"}, as_="ann")

    graphql = await kit_app(write, {"id": str(taken), "t": "second"}, as_="ann", lang="zh-CN")
    rest = await kit_app.rest("POST", f"/api/v1/notes?title=third&id={taken}", as_="ann")

    assert graphql["errors"][0]["extensions"] == {"code": "CONFLICT"}
    assert graphql["errors"][0]["message"] == "他人刚刚保存了相同的内容，请刷新后重试"
    assert (rest.status_code, rest.json()["code"]) == (409, "CONFLICT")
    assert await titles(kit_db) == ["first"]


async def test_a_connection_the_server_cut_a_moment_after_its_use_is_replaced_unseen(db, postgres):
    """A restart or a restore ends the server's side of every pooled connection: the next request gets a new
    one rather than an error, although the one it would have had was used a moment ago (not pinged)."""

    async def backend() -> int:
        async with db.unit_of_work() as uow:
            return (await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one()

    first = await backend()
    conn = await asyncpg.connect(postgres.admin_dsn)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1, 5000)", first)
    finally:
        await conn.close()
    assert await backend() != first


WRITE = {"query": 'mutation { writeNote(title: "等待") { id } }'}


async def test_a_graphql_request_that_fails_before_graphql_answers_in_graphqls_shape(kit_app, kit_db, postgres):
    """The key cannot be claimed with the database away: the gateway must read SERVICE_UNAVAILABLE."""
    headers = {"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "en"}
    async with database_outage(postgres, kit_db):
        response = await kit_app.rest("POST", "/graphql", as_="ann", json=WRITE, headers=headers)

    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert response.json() == {
        "errors": [
            {
                "message": "The service is briefly unavailable; try again shortly",
                "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfterSeconds": 5},
            }
        ]
    }


async def test_a_key_left_in_progress_by_a_dead_process_is_taken_over_once_it_falls_silent(kit_app, kit_db):
    """A retry takes over a key whose process stopped beating (killed mid-request) or whose lease ended;
    a key whose process still beats, or that was claimed a moment ago, is still being processed."""
    ann = kit_app.bearer("ann")
    caller = f"user:{ANN.user_id}"  # the key belongs to the signed-in caller
    digest = lookup_hash("/graphql\0" + json.dumps(WRITE))
    now = dt.datetime.now(dt.UTC)
    alive, dead = uuid.uuid4(), uuid.uuid4()
    claims = {  # key: (its process, seconds since the claim)
        "killed": (dead, 12),
        "slow": (alive, 20),
        "past its lease": (alive, 31),
        "just claimed": (dead, 3),
    }
    keys = {name: str(uuid.uuid4()) for name in claims}
    async with kit_db.unit_of_work() as uow:
        uow.session.add(IdempotencyHolder(id=alive, beat_at=now - dt.timedelta(seconds=1)))
        uow.session.add(IdempotencyHolder(id=dead, beat_at=now - dt.timedelta(seconds=11)))
        for name, (holder, age) in claims.items():
            started = now - dt.timedelta(seconds=age)
            uow.session.add(
                IdempotencyRecord(key=keys[name], caller=caller, request_hash=digest, holder=holder, created_at=started)
            )

    answers = {}
    for name, key in keys.items():
        answer = await kit_app.rest("POST", "/graphql", None, content=json.dumps(WRITE), headers={**ann, **_key(key)})
        answers[name] = answer.status_code if "errors" in answer.json() else "ran"

    assert answers == {"killed": "ran", "slow": 409, "past its lease": "ran", "just claimed": 409}
    assert await titles(kit_db) == ["等待", "等待"]


async def test_a_running_service_keeps_saying_it_holds_the_keys_it_claims(kit_app, kit_db):
    """The service's own worker beats for the holder its claims name, so its slow requests are never taken over."""
    app = kit_app.app
    key = str(uuid.uuid4())
    async with app.router.lifespan_context(app):
        await kit_app.rest(
            "POST", "/graphql", None, content=json.dumps(WRITE), headers={**kit_app.bearer("ann"), **_key(key)}
        )
        beats = []
        for _ in range(2):
            await asyncio.sleep(1.5 * HEARTBEAT.total_seconds())  # a beat between the reads whatever their phase
            async with kit_db.unit_of_work() as uow:
                beats.append((await uow.session.get(IdempotencyHolder, app.state.key_holder.id)).beat_at)
                claim = await uow.session.get(IdempotencyRecord, (key, f"user:{ANN.user_id}"))

    assert claim.holder == app.state.key_holder.id
    assert beats[0] < beats[1]  # it beats on, never falling silent as a dead process would
    assert dt.datetime.now(dt.UTC) - beats[1] < SILENT


async def test_an_answer_given_while_the_database_was_away_is_settled_once_it_is_back(kit_app, kit_db, postgres):
    """The outage answer could not be recorded at once; the retry runs for real instead of hearing "in progress"."""
    begun = asyncio.Event()

    async def outage() -> None:
        async with database_outage(postgres, kit_db):
            begun.set()
            await asyncio.sleep(1.5)

    async def start_outage() -> None:
        ending.append(asyncio.create_task(outage()))
        await begun.wait()

    ending: list[asyncio.Task[None]] = []
    OUTAGES.append(start_outage)
    write = {"query": 'mutation { writeNoteAsTheDatabaseGoes(title: "重来") { title } }'}
    headers = {**kit_app.bearer("ann"), **_key(str(uuid.uuid4()))}

    first = await kit_app.rest("POST", "/graphql", None, content=json.dumps(write), headers=headers)
    await asyncio.gather(*ending)
    again = await kit_app.rest("POST", "/graphql", None, content=json.dumps(write), headers=headers)

    assert first.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert (again.status_code, again.json()) == (200, {"data": {"writeNoteAsTheDatabaseGoes": {"title": "重来"}}})
    assert await titles(kit_db) == ["重来"]


def _key(key):
    return {"Idempotency-Key": key, "Content-Type": "application/json", "Accept-Language": "en"}


async def test_a_mutation_answered_service_unavailable_runs_again_when_retried_with_its_key(kit_app, kit_db):
    """SERVICE_UNAVAILABLE asks for the retry: the key must not give that answer back."""
    ann = {**kit_app.bearer("ann"), **_key(str(uuid.uuid4()))}
    blip = json.dumps({"query": 'mutation { writeNoteAfterABlip(title: "重试") { title } }'})

    first = await kit_app.rest("POST", "/graphql", None, content=blip, headers=ann)
    retried = await kit_app.rest("POST", "/graphql", None, content=blip, headers=ann)

    assert first.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert retried.json() == {"data": {"writeNoteAfterABlip": {"title": "重试"}}}
    assert await titles(kit_db) == ["重试"]


async def test_an_answer_is_stored_before_it_is_sent_so_a_retry_the_moment_it_arrives_gets_it_again(kit_app, kit_db):
    key = str(uuid.uuid4())
    headers = {**kit_app.bearer("ann"), **_key(key)}
    body = json.dumps({"query": 'mutation { writeNote(title: "一次") { title } }'}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8099),
    }
    stored_when_sent: list[int | None] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            async with kit_db.read() as session:
                record = select(IdempotencyRecord.status).where(IdempotencyRecord.key == key)
                stored_when_sent.append(await session.scalar(record))

    await kit_app.app(scope, receive, send)

    assert stored_when_sent == [200]


async def test_an_idempotency_key_that_is_no_visible_ascii_or_too_long_is_refused_at_the_header(kit_app, kit_db):
    for key, lang in ((b"\xe9\xe9", "zh-CN"), (b"a\tb", "en"), (b"k" * 201, "en")):
        answer = await kit_app.rest(
            "POST", "/api/v1/notes?title=keyed", "ann", headers={"Idempotency-Key": key, "Accept-Language": lang}
        )
        assert (answer.status_code, answer.json()["field"], answer.json()["title"]) == (
            422,
            "Idempotency-Key",
            "Bad User Input",
        ), key
    assert answer.json()["detail"] == "An Idempotency-Key is 1 to 200 visible ASCII characters (a UUID, for instance)"
    assert await titles(kit_db) == []


async def test_a_json_body_past_the_limit_is_refused_before_it_is_read_whole(kit_app, platform_settings):
    sent = 0

    async def chunks():
        nonlocal sent
        for _ in range(40):  # 40 MB, twice the limit, without a Content-Length
            sent += 1
            yield b" " * (1024 * 1024)

    headers = {"Content-Type": "application/json"}
    answer = await kit_app.rest("POST", "/api/v1/notes?title=big", "ann", content=chunks(), headers=headers)
    assert (answer.status_code, answer.json()["field"]) == (413, "content")
    assert sent == platform_settings.upload_max_bytes // (1024 * 1024) + 1  # stopped at the first chunk past it


async def test_an_idempotent_request_may_carry_a_body_near_the_limit(kit_app, platform_settings):
    body = json.dumps({"padding": "x" * (platform_settings.upload_max_bytes * 3 // 4)})
    answer = await kit_app.rest(
        "POST",
        "/api/v1/notes?title=near",
        "ann",
        content=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 200
