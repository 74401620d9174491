"""End to end through Hive Gateway: the whole stack on its own ports, as a client sees it."""

import asyncio
import json
import secrets
import uuid
from pathlib import Path

import httpx
import pytest

from crm_shared.config import PlatformSettings
from crm_shared.devstack.run import Ports, Stack
from crm_shared.events import EventConsumer
from crm_shared.telemetry import current_trace_id, setup_tracing
from crm_shared.testing import migrated_database, read_topic

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken expiresIn } }"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(ROOT, tmp_path_factory.mktemp("stack"), Ports.free())
    try:
        running.start()
        yield running
    finally:
        running.stop()


def post(stack, query, variables=None, token=None, headers=None):
    sent = {"Accept-Language": "en", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    response = httpx.post(
        stack.gateway_url, json={"query": query, "variables": variables or {}}, headers=sent, timeout=30
    )
    return response.json()


def login(stack, email="admin@example.com", password="crm-demo"):
    body = post(stack, LOGIN, {"i": {"email": email, "password": password}})
    assert "errors" not in body, body
    return body["data"]["login"]["accessToken"]


def test_demo_user_logs_in_and_reads_me_through_the_gateway(stack):
    token = login(stack, "manager@example.com")
    body = post(stack, "{ me { id email displayName roles } }", token=token)
    assert body["data"]["me"]["email"] == "manager@example.com"
    assert body["data"]["me"]["roles"] == ["sales_manager"]


def test_gateway_answers_unauthenticated_without_a_valid_token(stack):
    for token in (None, "garbage", login(stack)[:-4] + "AAAA"):
        body = post(stack, "{ me { id } }", token=token)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body


def test_wrong_password_through_the_gateway_is_localised_and_vague(stack):
    body = post(
        stack,
        LOGIN,
        {"i": {"email": "rep1@example.com", "password": "guess"}},
        headers={"Accept-Language": "zh-CN"},
    )
    assert body["errors"][0]["message"] == "邮箱或密码错误"
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_introspection_is_open_in_development(stack):
    body = post(stack, "{ __schema { queryType { name } } }")
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_gateway_limits_depth_and_aliases(stack):
    token = login(stack)
    deep = "{ me { " + "orgUnit { manager { " * 7 + "id" + " } }" * 7 + " } }"  # depth 16 > 12
    body = post(stack, deep, token=token)
    assert body["errors"] and not body.get("data"), body
    shallow = "{ me { " + "orgUnit { manager { " * 2 + "id" + " } }" * 2 + " } }"
    assert "errors" not in post(stack, shallow, token=login(stack, "manager@example.com"))
    aliases = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }"
    body = post(stack, aliases, token=token)
    assert "errors" in body and not body.get("data")


async def test_trace_started_at_the_client_continues_through_gateway_subgraph_event_and_consumer(stack):
    setup_tracing("e2e-test")
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    email = f"trace-{uuid.uuid4().hex[:6]}@example.com"
    create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
    variables = {"i": {"email": email, "displayName": "追踪", "password": "long-enough", "roles": []}}
    body = await asyncio.to_thread(post, stack, create, variables, login(stack), {"traceparent": traceparent})
    user_id = body["data"]["createUser"]["id"]

    records = await read_topic(
        stack.broker.bootstrap, "crm.identity.user", 1, match=lambda e: e["subject"] == user_id
    )
    event = json.loads(records[0].value)
    assert event["traceparent"].split("-")[1] == trace_id  # the subgraph continued the client's trace

    seen = []

    async def handler(uow, received):
        if received.subject == user_id:
            seen.append(current_trace_id())

    db = await migrated_database(stack.postgres, "identity")
    platform = PlatformSettings(kafka_bootstrap_servers=stack.broker.bootstrap)
    consumer = asyncio.create_task(
        EventConsumer(db, platform, "e2e-trace", {"crm.identity.user": {"user.created": handler}}).run()
    )
    try:
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.2)
    finally:
        consumer.cancel()
        await db.dispose()
    assert seen == [trace_id]


def test_rep_creates_an_account_and_sees_its_owner_joined_from_identity(stack):
    token = login(stack, "rep1@example.com")
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    name = f"华为终端{secrets.token_hex(3)}有限公司"
    body = post(stack, create, {"i": {"name": name, "industry": "通信设备", "level": "A"}}, token)
    assert "errors" not in body, body
    query = """query($f: AccountFilter) { accounts(filter: $f) { totalCount
      edges { node { name level owner { email displayName orgUnit { name } } } } } }"""
    found = post(stack, query, {"f": {"search": "华为终端"}}, token)["data"]["accounts"]
    node = next(e["node"] for e in found["edges"] if e["node"]["name"] == name)
    assert node["owner"] == {
        "email": "rep1@example.com",
        "displayName": "李销售 Rep One",
        "orgUnit": {"name": "华东销售一组 East Team 1"},
    }
    manager = post(stack, query, {"f": {"search": name}}, login(stack, "manager@example.com"))
    assert manager["data"]["accounts"]["totalCount"] == 1  # the rep's manager sees the team's accounts
    other = post(stack, query, {"f": {"search": name}}, login(stack, "rep2@example.com"))
    assert other["data"]["accounts"]["totalCount"] == 0  # a colleague does not


def test_demo_data_is_seeded_for_each_representative(stack):
    query = "{ accounts(first: 50) { totalCount edges { node { name owner { email } } } } }"
    mine = post(stack, query, token=login(stack, "rep1@example.com"))["data"]["accounts"]
    assert {"华为技术有限公司", "比亚迪股份有限公司"} <= {e["node"]["name"] for e in mine["edges"]}
    pool = post(
        stack, "{ accounts(filter: {inPool: true}) { totalCount } }", token=login(stack, "rep2@example.com")
    )
    assert pool["data"]["accounts"]["totalCount"] >= 1
