"""What one caller may ask of a service: idempotency records without secrets, demand limits, rate limits,
a fair share of the database, and logs that quote no values."""

import asyncio
import json
import logging
import secrets

import pytest
import strawberry
from sqlalchemy import text
from sqlmodel import SQLModel

from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.config import ServiceSettings
from crm_shared.db import Database
from crm_shared.db.pages import Page
from crm_shared.graphql import Connection, Info, ReturnsSecret, federated_schema
from crm_shared.http import CurrentPrincipal, ServiceApp, Transaction, create_service_app
from crm_shared.service import ServiceManifest
from crm_shared.telemetry import JsonFormatter
from crm_shared.testing import GraphQLClient
from crm_shared.testing.tokens import Persona, TokenFactory

ANN, BOB = Persona("ann", ("*",)), Persona("bob", ("*",))
SECRET = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$SECRET-HASH-VALUE"


@strawberry.type
class Item:
    name: str

    @strawberry.field
    async def children(self, first: int = 10) -> Connection["Item"]:
        return page_of(first)


def page_of(first: int) -> Connection[Item]:
    async def count() -> int:
        return first

    items = [Item(name=f"n{i}") for i in range(first)]
    return Connection.of(Page(items, [str(i) for i in range(first)], False, count), lambda item: item)


@strawberry.type
class Query:
    @strawberry.field
    async def items(self, first: int = 10) -> Connection[Item]:
        return page_of(first)

    @strawberry.field(description="Holds a session until the test opens the gate.")
    async def held(self, info: Info) -> int:
        state = info.context.state
        async with info.context.uow() as uow:
            await uow.session.execute(text("SELECT 1"))
            state.holding += 1
            state.most = max(state.most, state.holding)
            state.started.set()
            await state.gate.wait()
            state.holding -= 1
        return 1

    @strawberry.field
    async def quick(self, info: Info) -> int:
        info.context.principal
        async with info.context.uow() as uow:
            return int(await uow.session.scalar(text("SELECT 1")))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def call(self, info: Info, phone: str) -> str:
        async with info.context.uow() as uow:
            await uow.session.execute(
                text("INSERT INTO calls (who, phone) VALUES (:who, :phone)"),
                {"who": str(info.context.principal.user_id), "phone": phone},
            )
        return f"called {phone}"

    @strawberry.mutation(extensions=[ReturnsSecret()])
    async def issue_token(self, info: Info) -> str:
        info.context.principal
        return secrets.token_hex(16)

    @strawberry.mutation
    async def store_hash(self, info: Info, value: str) -> bool:
        async with info.context.uow() as uow:
            await uow.session.execute(text("INSERT INTO hashes VALUES (:v)"), {"v": value})
        return True


MANIFEST = ServiceManifest(name="demand", port=8097, topics=())


@pytest.fixture
async def demand_db(db):
    async with db.engine.begin() as conn:
        await conn.run_sync(
            SQLModel.metadata.create_all, tables=[DirectoryUser.__table__, DirectoryServiceAccount.__table__]
        )
        await conn.execute(text("CREATE TABLE calls (who text, phone text)"))
        await conn.execute(text("CREATE TABLE hashes (value text UNIQUE)"))
    return db


def make_app(db, platform, tokens):
    app = create_service_app(
        ServiceApp(
            manifest=MANIFEST,
            platform=platform,
            settings=ServiceSettings(database_url=db.url),
            db=db,
            schema=federated_schema(Query, Mutation),
            verifier=tokens.verifier(),
        )
    )
    app.state.gate, app.state.started, app.state.holding, app.state.most = asyncio.Event(), asyncio.Event(), 0, 0

    @app.post("/api/v1/calls")
    async def post_call(uow: Transaction, phone: str) -> dict[str, str]:
        await uow.session.execute(text("INSERT INTO calls (who, phone) VALUES ('anonymous', :phone)"), {"phone": phone})
        return {"called": phone}

    @app.post("/api/v1/hashes")
    async def post_hash(uow: Transaction, principal: CurrentPrincipal, value: str) -> dict[str, bool]:
        await uow.session.execute(text("INSERT INTO hashes VALUES (:v)"), {"v": value})
        return {"stored": True}

    return app


@pytest.fixture
async def client(demand_db, platform_settings):
    tokens = TokenFactory()
    async with GraphQLClient(make_app(demand_db, platform_settings, tokens), tokens, {"ann": ANN, "bob": BOB}) as c:
        yield c


async def rows(db, query):
    async with db.read() as session:
        return [tuple(r) for r in (await session.execute(text(query))).all()]


CALL = "mutation($p: String!) { call(phone: $p) }"


# --- idempotency -----------------------------------------------------------------------------------


async def test_a_retry_gets_the_first_answer_which_is_stored_encrypted_and_keyed_to_its_caller(client, demand_db):
    key = {"Idempotency-Key": "k-1"}
    first = await client(CALL, {"p": "13800138000"}, "ann", headers=key)
    again = await client(CALL, {"p": "13800138000"}, "ann", headers=key)
    bobs = await client(CALL, {"p": "13800138000"}, "bob", headers=key)  # the same key is another caller's own

    assert first == again == bobs == {"data": {"call": "called 13800138000"}}
    assert await rows(demand_db, "SELECT who FROM calls ORDER BY who") == sorted(
        [(str(ANN.user_id),), (str(BOB.user_id),)]
    )
    stored = await rows(demand_db, "SELECT caller, request_hash, body::text, headers::text FROM idempotency_keys")
    assert sorted(r[0] for r in stored) == sorted([f"user:{ANN.user_id}", f"user:{BOB.user_id}"])
    assert not any("13800138000" in "".join(map(str, r)) for r in stored)
    assert not any(bytes.fromhex(r[2][2:]).find(b"13800138000") >= 0 for r in stored)


async def test_a_key_reused_for_another_request_is_refused(client):
    key = {"Idempotency-Key": "k-2"}
    await client(CALL, {"p": "13800138000"}, "ann", headers=key)
    response = await client.client.post(
        "/graphql",
        json={"query": CALL, "variables": {"p": "13900139000"}},
        headers={**key, **client.bearer("ann"), "Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    assert response.json() == {  # in GraphQL's shape, as the endpoint's clients and the gateway read it
        "errors": [
            {
                "message": "该 Idempotency-Key 已用于另一个不同的请求",
                "extensions": {"code": "BAD_USER_INPUT", "field": "Idempotency-Key"},
            }
        ]
    }


async def test_an_answer_carrying_a_secret_is_never_stored_nor_replayed(client, demand_db):
    key = {"Idempotency-Key": "k-3"}
    first = await client("mutation { issueToken }", None, "ann", headers=key)
    again = await client("mutation { issueToken }", None, "ann", headers=key)

    assert first["data"]["issueToken"] != again["data"]["issueToken"]
    assert await rows(demand_db, "SELECT key FROM idempotency_keys") == []


async def test_anonymous_callers_do_not_share_keys(client, demand_db):
    async def post(address, phone):
        return await client.client.post(
            "/api/v1/calls", params={"phone": phone}, headers={"Idempotency-Key": "anon", "X-Forwarded-For": address}
        )

    first = await post("203.0.113.7", "13800138000")
    again = await post("203.0.113.7", "13800138000")
    other = await post("198.51.100.9", "13900139000")  # not the first caller's answer, and no mismatch either

    assert (first.json(), again.headers["idempotent-replayed"]) == ({"called": "13800138000"}, "true")
    assert other.json() == {"called": "13900139000"}
    assert await rows(demand_db, "SELECT phone FROM calls ORDER BY phone") == [("13800138000",), ("13900139000",)]


# --- demand control --------------------------------------------------------------------------------


NESTED = (
    "query($n: Int!) { items(first: $n) { edges { node { name children(first: $n) { edges { node { name } } } } } } }"
)


async def test_an_operation_over_the_cost_limit_is_refused_before_it_runs(client):
    # items 1 + edges n + nodes n + children n + their edges n*n + nodes n*n
    items = (await client.ok(NESTED, {"n": 60}, "ann"))["items"]["edges"]  # 7381: within the limit
    assert [len(item["node"]["children"]["edges"]) for item in items] == [60] * 60
    error = await client.error(NESTED, {"n": 80}, "ann", code="COST_LIMIT_EXCEEDED", lang="zh-CN")
    assert error["message"] == "查询成本 13041 超过上限 10000：请减小分页大小或减少字段"
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "limit": "cost", "max": 10000, "found": 13041}
    aliased = "{ " + " ".join(f"a{i}: items(first: 100) {{ edges {{ node {{ name }} }} }}" for i in range(60)) + " }"
    assert (await client.error(aliased, None, "ann", code="BAD_USER_INPUT"))["extensions"] == {
        "code": "BAD_USER_INPUT",
        "limit": "aliases",
        "max": 30,
        "found": 60,
    }


async def test_depth_and_size_are_limited_in_the_subgraph_too(client):
    deep = "{ items { edges { node { " + "children { edges { node { " * 4 + "name" + " } } }" * 4 + " } } } }"
    error = await client.error(deep, None, "ann", code="BAD_USER_INPUT")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "depth", "max": 12, "found": 16}
    assert error["message"] == "The query is too deep: 16 levels, at most 12"
    long = "{ " + " ".join(f"f{i}: __typename" for i in range(1500)) + " }"
    error = await client.error(long, None, "ann", code="BAD_USER_INPUT")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "tokens", "max": 2000, "found": 2001}


def test_connection_fields_are_sized_by_first_in_the_sdl():
    sdl = federated_schema(Query, Mutation).as_str()
    sized = '@listSize(slicingArguments: ["first"], sizedFields: ["edges"])'
    assert f"items(first: Int! = 10): ItemConnection! {sized}" in sdl
    assert f"children(first: Int! = 10): ItemConnection! {sized}" in sdl
    assert '"@listSize"' in sdl.splitlines()[0]


# --- rate and database share -----------------------------------------------------------------------


async def test_a_caller_over_its_rate_is_told_to_wait_and_others_are_not(demand_db, platform_settings):
    tokens = TokenFactory()
    platform = platform_settings.model_copy(update={"rate_limit_per_minute": 3, "rate_limit_burst": 3})
    async with GraphQLClient(make_app(demand_db, platform, tokens), tokens, {"ann": ANN, "bob": BOB}) as client:
        assert [await client.ok("{ quick }", None, "ann") for _ in range(3)] == [{"quick": 1}] * 3
        error = await client.error("{ quick }", None, "ann", code="TOO_MANY_REQUESTS", lang="zh-CN")
        assert (error["message"], error["extensions"]["retryAfterSeconds"]) == ("请求过于频繁，请稍后再试", 20)
        assert await client.ok("{ quick }", None, "bob") == {"quick": 1}
        rest = await client.rest("POST", "/api/v1/hashes", "ann", params={"value": "x"})
        assert (rest.status_code, rest.headers["retry-after"], rest.json()["code"]) == (429, "20", "TOO_MANY_REQUESTS")


async def test_a_heavy_caller_cannot_take_the_pool_from_another(demand_db, platform_settings):
    """Two pooled connections and one session per caller: ann's ten held queries leave bob a connection."""
    tokens = TokenFactory()
    platform = platform_settings.model_copy(update={"db_sessions_per_caller": 1})
    small = Database(demand_db.url, "/crm/demand", platform, pool_size=2, max_overflow=0, pool_timeout=3)
    app = make_app(small, platform, tokens)
    try:
        async with GraphQLClient(app, tokens, {"ann": ANN, "bob": BOB}) as client:
            heavy = asyncio.create_task(client("{ " + " ".join(f"h{i}: held" for i in range(10)) + " }", None, "ann"))
            await app.state.started.wait()
            assert await client.ok("{ quick }", None, "bob") == {"quick": 1}
            app.state.gate.set()
            assert (await heavy)["data"] == {f"h{i}": 1 for i in range(10)}
        assert app.state.most == 1
    finally:
        await small.dispose()


# --- logs ------------------------------------------------------------------------------------------


async def test_a_refused_row_quoting_a_secret_reaches_no_log(client, demand_db, caplog):
    async with demand_db.unit_of_work() as uow:
        await uow.session.execute(text("INSERT INTO hashes VALUES (:v)"), {"v": SECRET})
    caplog.set_level(logging.INFO)

    body = await client("mutation($v: String!) { storeHash(value: $v) }", {"v": SECRET}, "ann")
    rest = await client.rest("POST", "/api/v1/hashes", "ann", params={"value": SECRET})

    assert body["errors"][0]["extensions"] == {"code": "CONFLICT"}  # a value stored first: one to try again
    assert rest.status_code == 409
    service = [r for r in caplog.records if not r.name.startswith("httpx")]  # the test's client logs its own URLs
    logged = "\n".join(JsonFormatter().format(r) for r in service)
    assert "UniqueViolationError (SQLSTATE 23505, constraint hashes_value_key)" in logged
    assert "SECRET-HASH-VALUE" not in logged
    assert not any("SECRET-HASH-VALUE" in caplog.handler.format(r) for r in service)


async def test_the_json_log_of_any_exception_leaves_its_message_out(demand_db, caplog):
    try:
        async with demand_db.unit_of_work() as uow:
            await uow.session.execute(text("INSERT INTO hashes VALUES (:v), (:v)"), {"v": SECRET})
    except Exception:
        logging.getLogger("crm.test").exception("while storing")
    [record] = [r for r in caplog.records if r.name == "crm.test"]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "while storing"
    assert entry["exception"].endswith("UniqueViolationError (SQLSTATE 23505, constraint hashes_value_key)")
    assert "SECRET-HASH-VALUE" not in entry["exception"]
