"""End to end through Hive Gateway: the whole stack on its own ports, as a client sees it."""

import asyncio
import json
import os
import secrets
import smtplib
import subprocess
import time
import uuid
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from crm_shared.config import PlatformSettings
from crm_shared.devstack.broker import free_port
from crm_shared.devstack.run import Ports, Stack, gateway, gateway_command, wait_healthy
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


def post(stack, query, variables=None, token=None, headers=None, url=None, source=None):
    """POST to the gateway (or `url`), from the loopback address `source` when given (127.0.0.x)."""
    sent = {"Accept-Language": "en", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    transport = httpx.HTTPTransport(local_address=source) if source else None
    with httpx.Client(transport=transport, timeout=30) as client:
        response = client.post(
            url or stack.gateway_url, json={"query": query, "variables": variables or {}}, headers=sent
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


def test_the_gateways_own_refusals_are_said_in_the_callers_language_only(stack):
    """Chinese, then English for the same document: a document's refusal is kept for the next request that sends it,
    whatever its language."""
    token = login(stack)
    deep = "{ me { " + "orgUnit { manager { " * 7 + "id" + " } }" * 7 + " } }"
    aliases = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }"
    long = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(700)) + " }"  # 2,802 tokens
    refusals = {  # limit: the document, its token, what it found, the maximum, in Chinese and in English
        "depth": (
            deep,
            token,
            16,
            12,
            "查询嵌套过深：16 层，最多 12 层",
            "The query is too deep: 16 levels, at most 12",
        ),
        "aliases": (aliases, token, 40, 30, "别名过多：40 个，最多 30 个", "Too many aliases: 40, at most 30"),
        "tokens": (
            long,
            None,
            2001,
            2000,
            "查询过长：超过 2000 个词法单元",
            "The query is too long: more than 2000 tokens",
        ),
    }
    for limit, (query, sent, found, maximum, chinese, english) in refusals.items():
        extensions = {"code": "BAD_USER_INPUT", "limit": limit, "max": maximum, "found": found}
        for language, message in (("zh-CN", chinese), ("en", english)):
            said = post(stack, query, token=sent, headers={"Accept-Language": language})
            assert said == {"errors": [{"message": message, "extensions": extensions}]}, (limit, language)

    for sent, chinese, english in (
        (None, "需要登录", "Authentication required"),
        ("garbage", "访问令牌无效或已过期", "The access token is invalid or expired"),
    ):
        for language, message in (("fr, zh;q=0.8", chinese), ("en-GB", english), ("", english)):
            said = post(stack, "{ me { id } }", token=sent, headers={"Accept-Language": language})
            assert said == {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}, language


def test_values_their_types_refuse_are_answered_by_the_gateway_as_by_the_subgraph(stack):
    """In a variable or written in the query: BAD_USER_INPUT naming the innermost field, in the caller's language."""
    token = login(stack, "rep1@example.com")
    chinese = {"Accept-Language": "zh-CN"}
    account = str(uuid.uuid4())
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"
    ticket = "mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }"
    order = "query($o: AccountOrder) { accounts(orderBy: $o, first: 1) { totalCount } }"
    call = {"accountId": account, "kind": "call", "subject": "回访"}
    orders, kinds = "UPDATED_DESC, CREATED_DESC, NAME_ASC", "INQUIRY, FAULT, COMPLAINT, RETURN, MAINTENANCE"
    nope = {"i": {"subject": "s", "accountId": account, "type": "NOPE"}}
    long_call = {"i": {**call, "durationSeconds": 2**31}}
    refusals = [  # the subgraph, the operation, its variables, the message, the field and what more it says
        ("customer", create, {"i": {"name": 123}}, "字段“name”的值无效：应为 String 类型", "name", {"type": "String"}),
        ("customer", create, {"i": {}}, "字段“name”为必填项", "name", {}),
        ("customer", create, {"i": {"name": "x", "bogus": 1}}, "此请求不接受字段“bogus”", "bogus", {}),
        ("customer", create, {"i": {"name": "x", "tags": ["a", None]}}, "字段“tags[1]”为必填项", "tags[1]", {}),
        ("customer", create, {}, "字段“input”为必填项", "input", {}),
        ("customer", order, {"o": "FOO"}, f"字段“orderBy”须为以下之一：{orders}", "orderBy", {"choices": orders}),
        ("customer", log, {"i": {**call, "subject": None}}, "字段“subject”为必填项", "subject", {}),
        ("customer", log, {"i": {"accountId": account, "kind": "call"}}, "字段“subject”为必填项", "subject", {}),
        (
            "customer",
            log,
            long_call,
            "字段“durationSeconds”的值无效：应为 Int 类型",
            "durationSeconds",
            {"type": "Int"},
        ),
        ("support", ticket, nope, f"字段“type”须为以下之一：{kinds}", "type", {"choices": kinds}),
    ]

    def said(errors):
        return [(error["message"], error["extensions"]) for error in errors]

    for service, query, variables, message, field, more in refusals:
        expected = [(message, {"code": "BAD_USER_INPUT", "field": field, **more})]
        through = post(stack, query, variables, token, chinese)["errors"]
        straight = post(stack, query, variables, token, chinese, url=f"{stack.service_url(service)}/graphql")["errors"]
        assert (said(through), said(straight)) == (expected, expected), variables
    [english] = post(stack, ticket, nope, token)["errors"]
    assert english == {
        "message": f"Field 'type' must be one of: {kinds}",
        "extensions": {"code": "BAD_USER_INPUT", "field": "type", "choices": kinds},
    }

    written = f'mutation {{ createTicket(input: {{subject: "s", accountId: "{account}", type: NOPE}}) {{ id }} }}'
    support = f"{stack.service_url('support')}/graphql"
    [through] = post(stack, written, token=token, headers=chinese)["errors"]
    [straight] = post(stack, written, token=token, headers=chinese, url=support)["errors"]
    assert through == straight
    assert through == {
        "message": f"字段“type”须为以下之一：{kinds}",
        "locations": [{"line": 1, "column": 104}],
        "extensions": {"code": "BAD_USER_INPUT", "field": "type", "choices": kinds},
    }


async def test_trace_started_at_the_client_continues_through_gateway_subgraph_event_and_consumer(stack):
    setup_tracing("e2e-test")
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    email = f"trace-{uuid.uuid4().hex[:6]}@example.com"
    create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
    variables = {"i": {"email": email, "displayName": "追踪", "password": "long-enough", "roles": []}}
    body = await asyncio.to_thread(post, stack, create, variables, login(stack), {"traceparent": traceparent})
    user_id = body["data"]["createUser"]["id"]

    records = await read_topic(stack.broker.bootstrap, "crm.identity.user", 1, match=lambda e: e["subject"] == user_id)
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
    pool = post(stack, "{ accounts(filter: {inPool: true}) { totalCount } }", token=login(stack, "rep2@example.com"))
    assert pool["data"]["accounts"]["totalCount"] >= 1


def wait_for(check, timeout=30.0):
    """Poll until `check()` returns something truthy (events cross services asynchronously)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_lead_conversion_saga_creates_account_contact_and_opportunity_across_services(stack):
    token = login(stack, "rep1@example.com")
    company = f"字节跳动{secrets.token_hex(3)}有限公司"
    made = post(
        stack,
        """mutation($i: CreateLeadInput!) { createLead(input: $i) { id status owner { email } } }""",
        {"i": {"company": company, "contactName": "张一鸣", "phone": "13912345678", "source": "展会"}},
        token,
    )
    assert "errors" not in made, made
    lead = made["data"]["createLead"]
    assert lead["owner"] == {"email": "rep1@example.com"}  # joined from identity
    started = post(stack, "mutation($id: ID!) { convertLead(id: $id) { conversionStatus } }", {"id": lead["id"]}, token)
    assert started["data"]["convertLead"]["conversionStatus"] == "pending"
    query = """query($id: ID!) { lead(id: $id) { status conversionStatus
        account { id name lifecycleStage owner { email } contacts { edges { node { name phone } } } }
        opportunity { name stage { name probability } account { name } } } }"""

    def converted():
        body = post(stack, query, {"id": lead["id"]}, token)
        return body["data"]["lead"] if body["data"]["lead"]["conversionStatus"] == "done" else None

    done = wait_for(converted)
    assert done["status"] == "converted"
    assert done["account"]["name"] == company and done["account"]["lifecycleStage"] == "prospect"
    assert done["account"]["owner"] == {"email": "rep1@example.com"}
    assert [e["node"] for e in done["account"]["contacts"]["edges"]] == [{"name": "张一鸣", "phone": "13912345678"}]
    assert done["opportunity"]["stage"] == {"name": "初步接洽", "probability": "10.00"}
    assert done["opportunity"]["account"]["name"] == company

    # a second lead for the same company reuses the account instead of duplicating it
    again = post(
        stack,
        "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
        {"i": {"company": company, "contactName": "李二", "email": "li@example.cn"}},
        token,
    )["data"]["createLead"]
    post(stack, "mutation($id: ID!) { convertLead(id: $id) { id } }", {"id": again["id"]}, token)
    second = wait_for(
        lambda: (lambda d: d if d["conversionStatus"] == "done" else None)(
            post(stack, query, {"id": again["id"]}, token)["data"]["lead"]
        )
    )
    assert second["account"]["id"] == done["account"]["id"]
    search = post(stack, "query($s: String!) { accounts(filter: {search: $s}) { totalCount } }", {"s": company}, token)
    assert search["data"]["accounts"]["totalCount"] == 1


def test_first_order_makes_the_account_a_new_customer_and_account_shows_its_deals(stack):
    token = login(stack, "rep1@example.com")
    account = post(
        stack,
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        {"i": {"name": f"首单客户{secrets.token_hex(3)}有限公司", "level": "B"}},
        token,
    )["data"]["createAccount"]["id"]
    create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }"
    opportunity = wait_for(
        lambda: (
            post(stack, create, {"i": {"name": "首单", "amount": "36000", "accountId": account}}, token).get("data")
            or None
        )
    )["createOpportunity"]["id"]  # the account reaches sales as an event
    product = post(stack, '{ products(search: "CRM-STD") { edges { node { id } } } }', token=token)
    product_id = product["data"]["products"]["edges"][0]["node"]["id"]
    quote = post(
        stack,
        "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id total } }",
        {"i": {"opportunityId": opportunity, "lines": [{"productId": product_id, "quantity": "1"}], "taxRate": "6"}},
        token,
    )["data"]["createQuote"]
    assert quote["total"] == "38160.00"
    post(stack, "mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote["id"]}, token)
    accepted = post(
        stack, "mutation($id: ID!) { acceptQuote(id: $id) { order { number } } }", {"id": quote["id"]}, token
    )
    assert accepted["data"]["acceptQuote"]["order"]["number"].startswith("SO-")
    view = """query($id: ID!) { account(id: $id) { lifecycleStage opportunities { edges { node { status amount } } }
        orders { totalCount } receivables { outstanding } } }"""
    seen = wait_for(
        lambda: (lambda a: a if a["lifecycleStage"] == "new" else None)(
            post(stack, view, {"id": account}, token)["data"]["account"]
        )
    )
    assert seen["opportunities"]["edges"] == [{"node": {"status": "won", "amount": "36000.00"}}]
    assert seen["orders"]["totalCount"] == 1 and seen["receivables"]["outstanding"] == "0.00"


def test_web_form_leads_are_assigned_by_the_demo_round_robin_rule(stack):
    company = f"官网访客{secrets.token_hex(3)}公司"
    response = httpx.post(
        f"{stack.service_url('sales')}/api/v1/public/web-form",
        json={"company": company, "contact_name": "访客", "email": "visitor@example.cn"},
        timeout=30,
    )
    assert response.status_code == 202
    manager = login(stack, "manager@example.com")
    found = post(
        stack,
        "query($s: String!) { leads(filter: {search: $s}) { edges { node { source owner { email } } } } }",
        {"s": company},
        manager,
    )["data"]["leads"]["edges"]
    assert found[0]["node"]["source"] == "web_form"
    assert found[0]["node"]["owner"]["email"] in ("rep1@example.com", "rep2@example.com")


def test_demo_pipeline_funnel_and_forecast_through_the_gateway(stack):
    manager = login(stack, "manager@example.com")
    funnel = post(stack, "{ funnel { total stages { name count conversionRate averageDaysInStage } } }", token=manager)
    assert "errors" not in funnel, funnel
    assert funnel["data"]["funnel"]["total"] >= 8 and funnel["data"]["funnel"]["stages"][0]["name"] == "初步接洽"
    demo = post(
        stack,
        "{ funnel { won lost } receivablesAging { total buckets { label count } }"
        " contracts { edges { node { status } } } }",
        token=manager,
    )["data"]
    assert demo["funnel"]["won"] >= 1 and demo["funnel"]["lost"] >= 1  # the demo holds a won and a lost deal
    assert float(demo["receivablesAging"]["total"]) > 0 and demo["receivablesAging"]["buckets"][0]["count"] >= 1
    assert {"active"} <= {e["node"]["status"] for e in demo["contracts"]["edges"]}
    import datetime as dt

    quarter = f"{dt.date.today().year}-Q{(dt.date.today().month - 1) // 3 + 1}"
    forecast = post(
        stack,
        "query($p: String!) { forecast(period: $p) { weighted commit bestCase pipeline } }",
        {"p": quarter},
        manager,
    )
    assert "errors" not in forecast, forecast
    targets = post(
        stack,
        "query($p: String!) { targets(period: $p) { user { email } amount } }",
        {"p": dt.date.today().strftime("%Y-%m")},
        manager,
    )
    assert {t["user"]["email"] for t in targets["data"]["targets"]} == {
        "rep1@example.com",
        "rep2@example.com",
    }


def test_a_retried_mutation_with_the_same_idempotency_key_creates_once_through_the_gateway(stack):
    token = login(stack, "rep1@example.com")
    account = post(
        stack,
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        {"i": {"name": f"幂等测试{secrets.token_hex(3)}有限公司"}},
        token,
    )["data"]["createAccount"]["id"]
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id name account { id owner { email } } } }"
    contact = {"i": {"accountId": account, "name": "重试联系人", "phone": "13900139000"}}
    key = {"Idempotency-Key": secrets.token_hex(8)}

    first = post(stack, create, contact, token, key)
    retried = post(stack, create, contact, token, key)

    assert "errors" not in first, first
    assert retried == first
    contacts = post(stack, "query($a: ID!) { contacts(accountId: $a) { totalCount } }", {"a": account}, token)
    assert contacts["data"]["contacts"]["totalCount"] == 1


def test_an_opportunity_can_be_opened_on_an_account_created_a_moment_before(stack):
    token = login(stack, "rep1@example.com")
    create_account = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    create_opportunity = (
        "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id account { name } } }"
    )
    opened = []
    for attempt in range(10):
        name = f"即刻商机{secrets.token_hex(3)}有限公司"
        account = post(stack, create_account, {"i": {"name": name}}, token)["data"]["createAccount"]["id"]
        body = post(stack, create_opportunity, {"i": {"name": f"首单{attempt}", "accountId": account}}, token)
        assert "errors" not in body, body
        opened.append(body["data"]["createOpportunity"]["account"]["name"] == name)
    assert opened == [True] * 10


def test_a_service_that_crashes_answers_retryable_then_is_started_again_through_the_gateway(stack):
    token = login(stack, "rep1@example.com")
    [customer] = [p for p in stack.processes if stack.launches[p.pid][0] == "customer"]
    customer.kill()
    customer.wait(10)
    response = httpx.post(
        stack.gateway_url,
        json={"query": "{ accounts(first: 1) { totalCount } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfterSeconds": 2, "service": "customer"}
    assert response.headers["Retry-After"] == "2"

    assert stack.heal() == ["customer"]
    wait_healthy(f"{stack.service_url('customer')}/healthz")
    token = login(stack, "rep1@example.com")
    assert "errors" not in post(stack, "{ accounts(first: 1) { totalCount } }", token=token)


def test_an_operation_over_the_cost_limit_is_refused_at_the_gateway_in_the_callers_language(stack):
    token = login(stack, "rep1@example.com")
    page = "accounts(first: 200) { edges { node { name contacts(first: 200) { edges { node { name } } } } } }"
    heavy = "{ " + " ".join(f"a{i}: {page}" for i in range(20)) + " }"
    body = post(stack, heavy, token=token, headers={"Accept-Language": "zh-CN"})
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "limit": "cost", "max": 10000, "found": 1612020}
    assert error["message"] == "查询成本 1612020 超过上限 10000：请减小分页大小或减少字段"
    modest = "{ accounts(first: 20) { edges { node { name contacts(first: 5) { edges { node { name } } } } } } }"
    assert "errors" not in post(stack, modest, token=token)

    # pages sized by variables, in fragments, count as written out
    page = "accounts(first: $n) { edges { node { contacts(first: $n) { edges { node { name } } } } } }"
    sized = (
        f"query($n: Int!) {{ ...Page again: accounts(first: $n) {{ totalCount }} }} fragment Page on Query {{ {page} }}"
    )
    [error] = post(stack, sized, {"n": 70}, token=token)["errors"]  # 1 + 3·70 + 2·70² + 1
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "limit": "cost", "max": 10000, "found": 10012}
    assert error["message"] == (
        "The query would cost 10012, more than the limit of 10000: ask for smaller pages or fewer fields"
    )
    assert "errors" not in post(stack, sized, {"n": 60}, token=token)
    [error] = post(stack, sized, {"n": 70}, token=token)["errors"]  # counted once for each page size sent
    assert error["extensions"]["found"] == 10012

    # the whole operation counts, with its variables' defaults: each subgraph's part (6,001) is within the limit
    both = (
        "query($n: Int = 3000) { accounts(first: $n) { edges { node { name } } } "
        "opportunities(first: $n) { edges { node { name } } } }"
    )
    [error] = post(stack, both, token=token)["errors"]
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "limit": "cost", "max": 10000, "found": 12002}


@pytest.fixture(scope="module")
def production_gateway(stack):
    """A second gateway in production mode before the same subgraphs, trusting the proxy at 127.0.0.4."""
    env = dict(
        stack.env, CRM_ENV="production", CRM_GATEWAY_PORT=str(free_port()), CRM_GATEWAY_TRUSTED_PROXIES="127.0.0.4"
    )
    with gateway(ROOT, env, stack.logs / "gateway-production.log") as url:
        yield url


@pytest.mark.parametrize("trusted", [None, " "])
def test_the_production_gateway_refuses_to_start_without_knowing_the_proxies_in_front(trusted):
    env = {k: v for k, v in os.environ.items() if k != "CRM_GATEWAY_TRUSTED_PROXIES"}
    env.update(CRM_ENV="production", CRM_GATEWAY_PORT=str(free_port()))
    if trusted is not None:
        env["CRM_GATEWAY_TRUSTED_PROXIES"] = trusted
    result = subprocess.run(
        gateway_command(ROOT),
        cwd=ROOT / "gateway",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    refusal = "CRM_ENV=production refuses to start: CRM_GATEWAY_TRUSTED_PROXIES is not set"
    assert refusal in result.stdout + result.stderr


def failed_login_source(stack, email, **sending):
    """The address identity recorded for a failed sign-in as `email`, read from the audit log."""
    post(stack, LOGIN, {"i": {"email": email, "password": "wrong-pass-1"}}, **sending)
    query = """query($f: AuditFilterInput) { auditLog(filter: $f, first: 100) { edges { node { detail } } } }"""
    admin = login(stack)

    def recorded():
        edges = post(stack, query, {"f": {"action": "auth.login_failed"}}, admin)["data"]["auditLog"]["edges"]
        return next((e["node"]["detail"]["source"] for e in edges if e["node"]["detail"]["email"] == email), None)

    return wait_for(recorded)


def test_the_gateway_forwards_the_client_address_never_one_the_client_wrote(stack):
    email = f"forged-{uuid.uuid4().hex[:6]}@example.com"
    forged = {"X-Forwarded-For": "198.51.100.9"}
    assert failed_login_source(stack, email, headers=forged, source="127.0.0.2") == "127.0.0.2"


def test_a_trusted_proxy_in_front_of_the_gateway_is_believed(stack, production_gateway):
    email = f"proxied-{uuid.uuid4().hex[:6]}@example.com"
    through = {"X-Forwarded-For": "6.6.6.6, 198.51.100.44"}  # the proxy appended the address it saw
    assert failed_login_source(stack, email, headers=through, url=production_gateway, source="127.0.0.4") == (
        "198.51.100.44"
    )


def test_production_gateway_answers_introspection_only_to_schema_readers_and_suggests_nothing(
    stack, production_gateway
):
    introspect = "{ __schema { queryType { name } } }"
    anonymous = post(stack, introspect, url=production_gateway)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    rep = post(stack, introspect, token=login(stack, "rep1@example.com"), url=production_gateway)
    assert rep["errors"][0]["extensions"] == {"code": "FORBIDDEN", "permission": "identity:schema:read"}
    admin = post(stack, introspect, token=login(stack), url=production_gateway)
    assert admin["data"]["__schema"]["queryType"]["name"] == "Query"
    typo = post(stack, "{ mee { id } }", token=login(stack), url=production_gateway)
    assert "Did you mean" not in typo["errors"][0]["message"], typo
    assert "Did you mean" in post(stack, "{ mee { id } }", token=login(stack))["errors"][0]["message"]


def test_a_deactivated_users_token_is_refused_by_every_service_within_seconds(stack):
    admin = login(stack)
    email = f"revoked-{uuid.uuid4().hex[:6]}@example.com"
    create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
    data = {"email": email, "displayName": "撤销", "password": "long-enough-1", "roles": ["sales_rep"]}
    user_id = post(stack, create, {"i": data}, admin)["data"]["createUser"]["id"]
    token = login(stack, email, "long-enough-1")
    reads = {"customer": "{ accounts { totalCount } }", "sales": "{ leads { totalCount } }"}
    for query in reads.values():
        assert "errors" not in post(stack, query, token=token)

    assert "errors" not in post(stack, "mutation($id: ID!) { deactivateUser(id: $id) { id } }", {"id": user_id}, admin)
    refused_by_each(stack, reads, token, "deactivation")


def refused_by_each(stack, reads, token, change):
    """Each service's read refuses the token (UNAUTHENTICATED) within seconds of the change just made."""
    made = time.monotonic()
    for service, query in reads.items():
        while time.monotonic() - made < 60:
            body = post(stack, query, token=token)
            if body.get("errors") and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED":
                break
            time.sleep(0.05)
        print(f"\n{service}: {change} → token refused after {(time.monotonic() - made) * 1000:.0f} ms")
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body


def test_a_service_accounts_token_is_refused_by_every_service_within_seconds_once_its_key_is_revoked(stack):
    admin = login(stack)
    account = {
        "name": f"撤销集成 {uuid.uuid4().hex[:6]}",
        "permissions": ["customer:account:read", "sales:lead:read"],
        "scopes": [{"resource": "customer:account", "scope": "all"}, {"resource": "sales:lead", "scope": "all"}],
    }
    create = "mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { id } }"
    account_id = post(stack, create, {"i": account}, admin)["data"]["createServiceAccount"]["id"]
    key = 'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "e2e") { secret key { id } } }'
    made = post(stack, key, {"id": account_id}, admin)["data"]["createApiKey"]
    exchange = "mutation($k: String!) { apiKeyToken(apiKey: $k) { accessToken } }"
    token = post(stack, exchange, {"k": made["secret"]})["data"]["apiKeyToken"]["accessToken"]
    reads = {"customer": "{ accounts { totalCount } }", "sales": "{ leads { totalCount } }"}
    for query in reads.values():
        assert "errors" not in post(stack, query, token=token)

    assert "errors" not in post(stack, "mutation($id: ID!) { revokeApiKey(id: $id) }", {"id": made["key"]["id"]}, admin)
    refused_by_each(stack, reads, token, "key revoked")


def test_failures_through_the_gateway_lock_out_only_the_address_they_come_from(stack):
    """Runs last: it locks 127.0.0.5 for accounts that never signed in from there."""
    for n in range(20):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}  # a new address each time, as the client claims
        post(
            stack,
            LOGIN,
            {"i": {"email": f"nobody{n}@example.com", "password": "guess"}},
            headers=forged,
            source="127.0.0.5",
        )
    sign_in = {"i": {"email": "agent@example.com", "password": "crm-demo"}}
    locked = post(stack, LOGIN, sign_in, source="127.0.0.5")
    assert locked["errors"][0]["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert "errors" not in post(stack, LOGIN, sign_in, source="127.0.0.6")


async def test_an_agent_opens_a_ticket_that_the_accounts_owner_reads_on_the_account(stack):
    rep = login(stack, "rep1@example.com")
    name = f"工单客户{secrets.token_hex(3)}有限公司"
    account = post(
        stack, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", {"i": {"name": name}}, rep
    )["data"]["createAccount"]["id"]
    contact = post(
        stack,
        'mutation($a: ID!) { createContact(input: {accountId: $a, name: "王工", phone: "13800138001"}) { id } }',
        {"a": account},
        rep,
    )["data"]["createContact"]["id"]
    agent = login(stack, "agent@example.com")
    made = post(  # both were created a moment ago: support reads them from customer if their events are late
        stack,
        "mutation($i: CreateTicketInput!) { createTicket(input: $i) { id number contactId assignee { email } } }",
        {"i": {"subject": "打印机卡纸", "accountId": account, "contactId": contact, "type": "FAULT"}},
        agent,
    )
    assert "errors" not in made, made
    ticket = made["data"]["createTicket"]
    assert ticket["number"].startswith("TK") and ticket["assignee"]["email"] in {
        "agent@example.com",
        "agent2@example.com",
    }
    view = """query($id: ID!) { account(id: $id) { name openTicketCount
        tickets { edges { node { id subject status slaClocks { kind state targetMinutes } } } } } }"""
    seen = post(stack, view, {"id": account}, rep)["data"]["account"]
    assert seen["name"] == name and seen["openTicketCount"] == 1
    node = seen["tickets"]["edges"][0]["node"]
    assert (node["id"], node["subject"], node["status"]) == (ticket["id"], "打印机卡纸", "NEW")
    # the demo's standard policy: 4 business hours to the first response, 5 business days to resolve
    assert {(c["kind"], c["targetMinutes"]) for c in node["slaClocks"]} == {
        ("FIRST_RESPONSE", 240),
        ("RESOLUTION", 2400),
    }
    changed = post(
        stack, "mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }", {"id": ticket["id"]}, rep
    )
    assert changed["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # the owner reads, the service desk works
    records = await read_topic(
        stack.broker.bootstrap, "crm.support.ticket", 2, match=lambda e: e["subject"] == ticket["id"]
    )
    assert [json.loads(r.value)["type"] for r in records] == ["ticket.created", "ticket.assigned"]


def test_the_demo_breach_is_escalated_to_the_service_manager(stack):
    manager = login(stack, "service.manager@example.com")
    query = """{ tickets(filter: {open: true}, first: 50) { edges { node { subject priority escalationLevel
        escalatedTo { email } slaClocks { kind state } } } } }"""

    def escalated():
        edges = post(stack, query, token=manager)["data"]["tickets"]["edges"]
        down = next(e["node"] for e in edges if e["node"]["subject"].startswith("服务器宕机"))
        return down if down["escalationLevel"] == 1 else None

    down = wait_for(escalated)
    assert down["escalatedTo"] == {"email": "service.manager@example.com"}
    assert {"kind": "FIRST_RESPONSE", "state": "BREACHED"} in down["slaClocks"]


def test_accounts_show_their_installed_base_and_satisfaction_from_support_through_the_gateway(stack):
    admin = login(stack)
    query = """{ accounts(first: 50) { edges { node { name installedBase { productCode quantity inWarranty }
        csat { answers average } nps { answers promoters passives detractors } } } } }"""

    def seeded():
        body = post(stack, query, token=admin)
        assert "errors" not in body, body
        nodes = [e["node"] for e in body["data"]["accounts"]["edges"]]
        return nodes if sum(len(n["installedBase"]) for n in nodes) == 4 else None

    nodes = wait_for(seeded, timeout=120)
    codes = sorted(b["productCode"] for n in nodes for b in n["installedBase"])
    assert codes == ["CRM-SRV-01", "CRM-SRV-01", "PRN-200", "SCN-300"]
    assert sum(n["csat"]["answers"] for n in nodes) == 2  # the demo's answered CSAT surveys
    assert sum(n["nps"]["answers"] for n in nodes) == sum(
        n["nps"]["promoters"] + n["nps"]["passives"] + n["nps"]["detractors"] for n in nodes
    )
    rep = login(stack, "rep2@example.com")
    own = "{ accounts(first: 50) { edges { node { owner { email } csat { answers } } } } }"
    mine = [e["node"] for e in post(stack, own, token=rep)["data"]["accounts"]["edges"]]
    owned = [n for n in mine if n["owner"] and n["owner"]["email"] == "rep2@example.com"]
    assert owned and all(n["csat"] is not None for n in owned)  # their own accounts' scores, through federation
    assert all(n["csat"] is None for n in mine if n not in owned)  # the pool's: not theirs to read


def test_the_demo_detractors_account_owner_gets_a_follow_up_task_from_supports_service_account(stack):
    admin = login(stack)
    users = post(stack, "{ users(first: 50) { edges { node { id email } } } }", token=admin)["data"]["users"]["edges"]
    query = """query($u: ID!) { tasks(filter: {assigneeId: $u}, first: 100) { edges { node { title
        assignee { email } } } } }"""

    def follow_ups():
        found = [
            (user["node"]["email"], e["node"])
            for user in users
            for e in post(stack, query, {"u": user["node"]["id"]}, admin)["data"]["tasks"]["edges"]
            if e["node"]["title"].startswith("NPS 贬损客户回访")
        ]
        return found or None

    [(owner, task)] = wait_for(follow_ups, timeout=120)  # support's follow-up job runs every 30 s
    assert task == {"title": "NPS 贬损客户回访 Follow up an NPS detractor (6/10)", "assignee": {"email": owner}}
    assert owner in ("rep1@example.com", "rep2@example.com", "manager@example.com")  # an account owner


def test_a_mail_to_the_support_address_opens_a_ticket_seen_through_the_gateway_and_its_reply_is_mailed(stack):
    subject = f"邮件报修 {secrets.token_hex(3)}"
    customer = f"kehu.{secrets.token_hex(3)}@example.cn"
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = customer, "support@crm.local", subject
    mail["Message-ID"] = f"<{secrets.token_hex(8)}@example.cn>"
    mail.set_content("扫描仪无法连接。")
    with smtplib.SMTP("127.0.0.1", stack.ports.smtp, timeout=10) as smtp:  # the stack's SMTP server, as in `make run`
        smtp.send_message(mail)
    agent = login(stack, "agent@example.com")
    query = """query($s: String!) { tickets(filter: {search: $s}) { edges { node { id channel unknownSender
        entries { fromCustomer body } } } } }"""
    [edge] = post(stack, query, {"s": subject}, agent)["data"]["tickets"]["edges"]
    ticket = edge["node"]
    assert (ticket["channel"], ticket["unknownSender"]) == ("EMAIL", True)
    assert ticket["entries"] == [{"fromCustomer": True, "body": "扫描仪无法连接。"}]
    reply = 'mutation($id: ID!) { replyToTicket(id: $id, body: "请重启扫描仪。") { id } }'
    assert "errors" not in post(stack, reply, {"id": ticket["id"]}, agent)
    [sent] = wait_for(lambda: stack.smtp.to(customer) or None)  # the support service's mail sender, every second
    assert sent["In-Reply-To"] == mail["Message-ID"]
    assert sent["Subject"].startswith(f"Re: {subject} [#TK")


def test_a_marketer_targets_a_contact_created_a_moment_before_and_reads_the_campaign_on_the_contact(stack):
    rep = login(stack, "rep1@example.com")
    name = f"营销客户{secrets.token_hex(3)}有限公司"
    account = post(
        stack, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", {"i": {"name": name}}, rep
    )["data"]["createAccount"]["id"]
    contact = post(
        stack,
        'mutation($a: ID!) { createContact(input: {accountId: $a, name: "钱总", email: "qian@example.cn"}) { id } }',
        {"a": account},
        rep,
    )["data"]["createContact"]["id"]
    marketer = login(stack, "marketer@example.com")
    created = post(
        stack,
        "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id status owner { email } } }",
        {"i": {"name": "秋季研讨会", "type": "SEMINAR", "startsOn": "2027-09-01", "endsOn": "2027-09-02"}},
        marketer,
    )
    assert "errors" not in created, created
    campaign = created["data"]["createCampaign"]
    assert (campaign["status"], campaign["owner"]) == ("PLANNED", {"email": "marketer@example.com"})
    added = post(  # marketing reads the contact from customer if its event is late
        stack,
        "mutation($id: ID!, $c: [ID!]) { addCampaignMembers(id: $id, contactIds: $c) { memberCounts { count } } }",
        {"id": campaign["id"], "c": [contact]},
        marketer,
    )
    assert added["data"]["addCampaignMembers"]["memberCounts"] == [{"count": 1}], added
    seen = post(
        stack,
        "query($id: ID!) { contact(id: $id) { name campaigns { edges { node { id name status } } } } }",
        {"id": contact},
        marketer,
    )["data"]["contact"]
    assert seen == {
        "name": "钱总",
        "campaigns": {"edges": [{"node": {"id": campaign["id"], "name": "秋季研讨会", "status": "PLANNED"}}]},
    }


def test_the_demo_email_campaign_is_in_the_mail_sink_and_a_budget_waits_for_the_marketing_manager(stack):
    def campaign_mails(invitation=False):  # support's surveys and replies go to the same demo address
        mails = [m for m in stack.smtp.to("buyer@example.cn") if m["List-Unsubscribe"]]
        return [m for m in mails if str(m["Subject"]).startswith("诚邀") == invitation]

    mails = wait_for(lambda: len(campaign_mails()) >= 5 and campaign_mails())
    assert len(mails) == 5  # six demo contacts share the address; one opted out
    invited = wait_for(lambda: len(campaign_mails(invitation=True)) >= 5 and campaign_mails(invitation=True))
    assert len(invited) == 5  # the demo journey's first invitation, to the same five
    assert all(m["List-Unsubscribe"].startswith("<http://127.0.0.1:") for m in mails)
    manager = login(stack, "marketing.manager@example.com")
    waiting = post(
        stack,
        """{ campaigns(filter: {status: [PLANNED]}) { edges { node { name budgetStatus
            budgetApproval { chainName level levelCount currentApprovers { email } } } } } }""",
        token=manager,
    )["data"]["campaigns"]["edges"]
    submitted = [e["node"] for e in waiting if e["node"]["budgetStatus"] == "SUBMITTED"]
    assert submitted == [
        {
            "name": "数字化转型研讨会 Digital transformation seminar",
            "budgetStatus": "SUBMITTED",
            "budgetApproval": {
                "chainName": "大额活动预算 Large campaign budgets",
                "level": 1,
                "levelCount": 1,
                "currentApprovers": [{"email": "marketing.manager@example.com"}],
            },
        }
    ]


def test_the_demo_segments_are_kept_and_the_live_count_agrees_with_them_through_the_gateway(stack):
    marketer = login(stack, "marketer@example.com")
    listed = post(stack, "{ segments(first: 50) { edges { node { name kind memberCount } } } }", token=marketer)
    found = {e["node"]["name"]: e["node"] for e in listed["data"]["segments"]["edges"]}
    assert sorted(found) == sorted(
        [
            "重点客户 Key accounts",
            "华南客户 South China",
            "近 90 天下单 Ordered in 90 days",
            "有在谈商机 Open opportunity",
            "邮件互动 Engaged by email",
            "展会 VIP 名单 Fair VIPs",
        ]
    )
    assert (found["展会 VIP 名单 Fair VIPs"]["kind"], found["展会 VIP 名单 Fair VIPs"]["memberCount"]) == ("STATIC", 2)
    rules = (
        '{conditions: [{field: LEVEL, operator: EQUALS, value: "A"}, '
        '{field: TAGS, operator: CONTAINS, value: "重点客户"}]}'
    )
    preview = post(stack, f"{{ segmentPreview(rules: {rules}) {{ count }} }}", token=marketer)
    assert preview["data"]["segmentPreview"]["count"] == found["重点客户 Key accounts"]["memberCount"]


def test_a_rep_sees_the_campaign_history_of_their_own_accounts_through_the_gateway(stack):
    query = """{ accounts(first: 50) { edges { node { name campaigns(first: 5) { edges { node { name
        members(first: 5) { edges { node { contactName } } } } } } } } } }"""
    rep = login(stack, "rep1@example.com")
    found = {
        e["node"]["name"]: [
            (c["node"]["name"], [m["node"]["contactName"] for m in c["node"]["members"]["edges"]])
            for c in e["node"]["campaigns"]["edges"]
        ]
        for e in post(stack, query, token=rep)["data"]["accounts"]["edges"]
    }
    launch = [("新品发布邮件 Product launch email", ["王采购"]), ("春季会员日短信 Spring member day SMS", ["王采购"])]
    demo = ("比亚迪股份有限公司", "海尔智家股份有限公司", "华为技术有限公司", "杭州西湖龙井茶业有限公司")
    assert [found[name] for name in demo] == [launch, launch, launch, []]  # other tests add accounts of their own
    listing = post(stack, "{ campaigns { totalCount } }", token=rep)
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_demo_exhibition_is_the_won_deals_campaign_with_its_return_and_reps_read_the_competitors(stack):
    rep = login(stack, "rep1@example.com")
    query = "{ opportunities(first: 100) { edges { node { status amountBase campaign { id name } } } } }"

    def won():
        found = post(stack, query, token=rep)["data"]["opportunities"]["edges"]
        return [e["node"] for e in found if e["node"]["status"] == "won" and e["node"]["campaign"]]

    [deal] = wait_for(won)
    assert deal["campaign"]["name"] == "2026 秋季数字化展会 Autumn digital expo"
    manager = login(stack, "marketing.manager@example.com")
    performance = """query($id: ID!) { campaignPerformance(id: $id, model: U_SHAPED) {
        leads opportunities wonOpportunities wonRevenue cost roi } }"""

    def figures():
        found = post(stack, performance, {"id": deal["campaign"]["id"]}, token=manager)["data"]["campaignPerformance"]
        return found if found["wonOpportunities"] == 1 and found["leads"] == 2 else None

    found = wait_for(figures)
    cost = Decimal("24000") + Decimal("4200") + 300 * Decimal("12.50") + 40 * Decimal("45.00")
    revenue = Decimal(deal["amountBase"])
    assert found == {
        "leads": 2,
        "opportunities": 1,
        "wonOpportunities": 1,
        "wonRevenue": f"{revenue:.2f}",
        "cost": f"{cost:.2f}",
        "roi": f"{((revenue - cost) / cost).quantize(Decimal('0.0001')):.4f}",
    }
    competitors = post(stack, "{ competitors { name winLoss { lost } } }", token=rep)["data"]["competitors"]
    assert {"name": "Salesforce", "winLoss": {"lost": 1}} in competitors
    reports = post(stack, '{ intelligence(filter: {search: "市场研究"}) { edges { node { title } } } }', token=rep)
    assert reports["data"]["intelligence"]["edges"] == [{"node": {"title": "2026 中国 CRM 市场研究报告"}}]


def test_a_journey_hands_a_new_contact_to_their_accounts_owner_as_a_task_and_to_sales_as_a_lead(stack):
    marketer, rep, admin = (login(stack, f"{u}@example.com") for u in ("marketer", "rep1", "admin"))
    company = f"旅程客户{secrets.token_hex(3)}有限公司"
    account = post(
        stack, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", {"i": {"name": company}}, rep
    )["data"]["createAccount"]["id"]
    campaign = post(stack, "{ campaigns(first: 1) { edges { node { id } } } }", token=marketer)
    trigger = {
        "type": "EVENT",
        "eventType": "contact.created",
        "conditions": [{"kind": "FIELD", "field": "accountId", "value": account}],
    }
    steps = [
        {"key": "call", "type": "TASK", "title": "电话回访", "next": "handover"},
        {"key": "handover", "type": "LEAD"},
    ]
    data = {
        "name": "新联系人交接",
        "campaignId": campaign["data"]["campaigns"]["edges"][0]["node"]["id"],
        "trigger": trigger,
        "steps": steps,
    }
    journey = post(stack, "mutation($i: JourneyInput!) { saveJourney(input: $i) { id } }", {"i": data}, marketer)
    journey_id = journey["data"]["saveJourney"]["id"]
    post(stack, "mutation($id: ID!) { publishJourney(id: $id) { liveVersion } }", {"id": journey_id}, marketer)
    contact = {"accountId": account, "name": "钱总", "email": f"qian{secrets.token_hex(3)}@example.cn"}
    post(stack, "mutation($i: ContactFields!) { createContact(input: $i) { id } }", {"i": contact}, rep)

    tasks = "query($a: ID!) { tasks(filter: {accountId: $a}) { edges { node { title assignee { email } } } } }"
    found = wait_for(lambda: post(stack, tasks, {"a": account}, rep)["data"]["tasks"]["edges"], timeout=60)
    assert found == [{"node": {"title": "电话回访：钱总", "assignee": {"email": "rep1@example.com"}}}]
    leads = "query($s: String!) { leads(filter: {search: $s}) { edges { node { contactName campaignId } } } }"
    found = wait_for(lambda: post(stack, leads, {"s": company}, admin)["data"]["leads"]["edges"], timeout=60)
    assert found == [{"node": {"contactName": "钱总", "campaignId": data["campaignId"]}}]
    progress = "query($id: ID!) { journeyProgress(id: $id) { finished } }"
    assert post(stack, progress, {"id": journey_id}, marketer)["data"]["journeyProgress"] == {"finished": 1}


def test_assigning_a_lead_gives_the_new_owner_a_follow_up_task_a_notification_and_the_receiver_a_signed_webhook(
    stack,
):
    manager, rep = login(stack, "manager@example.com"), login(stack, "rep2@example.com")
    me = post(stack, "{ me { id } }", token=rep)["data"]["me"]["id"]
    company = f"自动化客户{secrets.token_hex(3)}有限公司"
    made = post(
        stack,
        "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
        {"i": {"company": company, "contactName": "周先生", "phone": "13800138006", "source": "展会"}},
        manager,
    )
    assert "errors" not in made, made
    lead = made["data"]["createLead"]["id"]
    assign = "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id } }"
    assigned = post(stack, assign, {"id": lead, "o": me}, manager)
    assert "errors" not in assigned, assigned
    tasks = "query($u: ID!) { tasks(filter: {assigneeId: $u}, first: 200) { edges { node { title notes } } } }"

    def follow_up():
        found = post(stack, tasks, {"u": me}, rep)["data"]["tasks"]["edges"]
        return [e["node"] for e in found if lead in e["node"]["notes"]]

    # the demo rule's run, through automation's timer worker and customer's API as its service account
    assert wait_for(follow_up, timeout=60) == [
        {
            "title": "跟进新分配的线索 Follow up the assigned lead",
            "notes": f"线索 Lead {lead}：由自动化规则创建 Created by an automation rule",
        }
    ]
    inbox = "{ notifications(first: 200) { edges { node { kind title body read } } } }"

    def told():
        found = post(stack, inbox, token=rep)["data"]["notifications"]["edges"]
        return [e["node"] for e in found if lead in e["node"]["body"]]

    assert wait_for(told) == [
        {
            "kind": "WORKFLOW",
            "title": "新线索已分配给您 A lead was assigned to you",
            "body": f"线索 Lead {lead}：请在 24 小时内跟进 A follow-up task is due within 24 hours",
            "read": False,
        }
    ]
    # the demo subscription: the lead's assignments (on creation, then to rep2), each a message of its own
    hooks = wait_for(
        lambda: (lambda h: h if len(h) == 2 else None)(
            [r for r in stack.webhooks.received if r.json()["subject"] == lead]
        )
    )
    assert [(r.path, r.json()["type"], r.headers["webhook-signature"][:3]) for r in hooks] == [
        ("/crm-events", "lead.assigned", "v1,")
    ] * 2
    assert hooks[0].headers["webhook-id"] != hooks[1].headers["webhook-id"]
    # sent side by side, they may arrive in either order; the event's timestamp orders them
    latest = max(hooks, key=lambda r: r.json()["timestamp"])
    assert latest.json()["data"]["ownerId"] == me


def _contact_of_rep1(stack, rep, phone, email):
    """A new account of rep1 with a contact of that phone and email, through the gateway."""
    name = f"通话客户{secrets.token_hex(3)}有限公司"
    account = post(
        stack, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", {"i": {"name": name}}, rep
    )
    account_id = account["data"]["createAccount"]["id"]
    fields = {"accountId": account_id, "name": "冯经理", "phone": phone, "email": email}
    made = post(stack, "mutation($i: ContactFields!) { createContact(input: $i) { id } }", {"i": fields}, rep)
    return account_id, made["data"]["createContact"]["id"]


ACTIVITIES = """query($id: ID!) { account(id: $id) { activities(first: 20) { edges { node {
    kind subject contactId link durationSeconds threadId } } } } }"""


def test_a_click_to_call_through_the_local_cti_becomes_a_call_activity_with_its_recording(stack):
    rep = login(stack, "rep1@example.com")
    account, contact = _contact_of_rep1(stack, rep, f"139{secrets.randbelow(10**8):08d}", None)
    started = post(stack, "mutation($c: ID!) { startCall(contactId: $c) { callId status } }", {"c": contact}, rep)
    assert started["data"]["startCall"]["status"] == "REQUESTED", started
    call_id = started["data"]["startCall"]["callId"]

    def logged():
        edges = post(stack, ACTIVITIES, {"id": account}, rep)["data"]["account"]["activities"]["edges"]
        return [e["node"] for e in edges if e["node"]["kind"] == "call"] or None

    # the simulator rings, then posts started → answered → ended to automation, signed, over HTTP
    assert wait_for(logged, timeout=30) == [
        {
            "kind": "call",
            "subject": "去电",
            "contactId": contact,
            "link": f"{stack.cti.url}/recordings/{call_id}.mp3",
            "durationSeconds": 42,
            "threadId": None,
        }
    ]

    def recorded():  # the activity is customer's; the call's own record is automation's, committed apart
        calls = post(stack, "{ calls(first: 50) { edges { node { callId status contactId } } } }", token=rep)
        return [
            e["node"]
            for e in calls["data"]["calls"]["edges"]
            if e["node"]["callId"] == call_id and e["node"]["status"] == "ENDED"
        ] or None

    assert wait_for(recorded, timeout=30) == [{"callId": call_id, "status": "ENDED", "contactId": contact}]


def test_a_mail_bcc_to_ones_logging_address_is_an_email_activity_on_the_contact_through_the_gateway(stack):
    rep = login(stack, "rep1@example.com")
    customer = f"feng.{secrets.token_hex(3)}@customer.cn"
    account, contact = _contact_of_rep1(stack, rep, None, customer)
    address = post(stack, "{ myEmailLoggingAddress }", token=rep)["data"]["myEmailLoggingAddress"]
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "rep1@example.com", customer, "方案与报价"
    mail["Message-ID"] = f"<{secrets.token_hex(8)}@example.com>"
    mail.set_content("冯经理您好，方案见附件。")
    with smtplib.SMTP("127.0.0.1", stack.ports.smtp, timeout=10) as smtp:
        smtp.send_message(mail, to_addrs=[customer, address])  # the logging address as a Bcc

    def logged():
        edges = post(stack, ACTIVITIES, {"id": account}, rep)["data"]["account"]["activities"]["edges"]
        return [e["node"] for e in edges if e["node"]["kind"] == "email"] or None

    assert wait_for(logged) == [
        {
            "kind": "email",
            "subject": "方案与报价",
            "contactId": contact,
            "link": None,
            "durationSeconds": None,
            "threadId": mail["Message-ID"],
        }
    ]


def _order_of_rep1(stack, rep):
    """An accepted quote's order on a new account of rep1, through the gateway."""
    name = f"ERP客户{secrets.token_hex(3)}有限公司"
    account = post(
        stack, "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }", {"i": {"name": name}}, rep
    )
    account_id = account["data"]["createAccount"]["id"]
    create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }"
    fields = {"name": "ERP 对接", "amount": "10000", "accountId": account_id}
    opportunity = wait_for(lambda: post(stack, create, {"i": fields}, rep).get("data"))["createOpportunity"]["id"]
    product = post(stack, '{ products(search: "CRM-STD") { edges { node { id } } } }', token=rep)
    lines = [{"productId": product["data"]["products"]["edges"][0]["node"]["id"], "quantity": "1"}]
    quote = post(
        stack,
        "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }",
        {"i": {"opportunityId": opportunity, "lines": lines, "taxRate": "13"}},
        rep,
    )["data"]["createQuote"]["id"]
    post(stack, "mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote}, rep)
    accept = "mutation($id: ID!) { acceptQuote(id: $id) { order { id number total } } }"
    return post(stack, accept, {"id": quote}, rep)["data"]["acceptQuote"]["order"]


def test_the_erp_pays_an_invoice_once_by_its_document_and_receives_the_order_as_its_document(stack):
    admin, rep = login(stack), login(stack, "rep1@example.com")
    order = _order_of_rep1(stack, rep)
    issue = "mutation($o: ID!) { issueInvoice(orderId: $o) { id number } }"
    invoice = post(stack, issue, {"o": order["id"]}, admin)["data"]["issueInvoice"]
    document = {"documentNumber": f"SK-{secrets.token_hex(4)}", "invoiceNumber": invoice["number"], "amount": "100.00"}
    url = f"{stack.service_url('automation')}/api/v1/connectors/erp/payments"
    headers = {"Authorization": f"Bearer {admin}", "Accept-Language": "zh-CN"}
    first = httpx.post(url, json=document, headers=headers, timeout=30)
    again = httpx.post(url, json=document, headers=headers, timeout=30)
    assert (first.json()["outcome"], first.json()["duplicate"], again.json()["duplicate"]) == ("applied", False, True)
    changed = httpx.post(url, json={**document, "amount": "200.00"}, headers=headers, timeout=30)
    assert changed.status_code == 409
    assert changed.json()["detail"] == f"ERP 单据 {document['documentNumber']} 已按不同内容处理过；修改请使用新的单据号"
    paid = post(
        stack, "query($id: ID!) { invoice(id: $id) { paid payments { reference } } }", {"id": invoice["id"]}, admin
    )
    assert paid["data"]["invoice"] == {"paid": "100.00", "payments": [{"reference": document["documentNumber"]}]}
    # the demo subscription of the local receiver takes the order as the ERP's document
    exported = wait_for(
        lambda: (
            [
                r.json()
                for r in stack.webhooks.received
                if r.json()["subject"] == order["id"] and r.json()["type"] == "erp_order.exported"
            ]
            or None
        )
    )
    data = exported[0]["data"]
    assert (data["documentNumber"], data["action"], data["total"], data["taxRate"]) == (
        order["number"],
        "created",
        order["total"],
        "13.00",
    )


APPROVAL = """id subjectKind subjectId title level levelCount status chainName
    history { level action actor { email } comment }"""


def test_the_demo_quote_waits_for_the_director_whose_approval_sales_applies(stack):
    director = login(stack)  # the demo's sales director is its administrator
    mine = post(stack, f"{{ myApprovals {{ {APPROVAL} }} }}", token=director)["data"]["myApprovals"]
    [waiting] = [a for a in mine if a["subjectKind"] == "QUOTE"]
    assert (waiting["level"], waiting["levelCount"], waiting["chainName"]) == (2, 2, "报价折扣审批 Quote discounts")
    assert [(h["level"], h["action"], h["actor"]["email"]) for h in waiting["history"]] == [
        (1, "REQUESTED", "rep1@example.com"),
        (1, "APPROVED", "manager@example.com"),
    ]
    done = post(stack, f"mutation($id: ID!) {{ approve(id: $id) {{ {APPROVAL} }} }}", {"id": waiting["id"]}, director)
    assert done["data"]["approve"]["status"] == "APPROVED", done
    rep = login(stack, "rep1@example.com")
    view = "query($id: ID!) { quote(id: $id) { status approver { id } approval { status level levelCount } } }"
    seen = wait_for(
        lambda: (lambda q: q if q["status"] == "approved" else None)(
            post(stack, view, {"id": waiting["subjectId"]}, rep)["data"]["quote"]
        )
    )
    me = post(stack, "{ me { id } }", token=director)["data"]["me"]["id"]
    assert seen == {
        "status": "approved",
        "approver": {"id": me},
        "approval": {"status": "APPROVED", "level": 2, "levelCount": 2},
    }


def test_a_manager_rejects_a_discounted_quote_and_approves_a_budget_through_the_gateway(stack):
    rep = login(stack, "rep2@example.com")
    account = post(
        stack,
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        {"i": {"name": f"折扣客户{secrets.token_hex(3)}有限公司"}},
        rep,
    )["data"]["createAccount"]["id"]
    create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }"
    opportunity = wait_for(
        lambda: post(stack, create, {"i": {"name": "折扣", "amount": "30000", "accountId": account}}, rep).get("data")
    )["createOpportunity"]["id"]
    product = post(stack, '{ products(search: "CRM-STD") { edges { node { id } } } }', token=rep)
    lines = [{"productId": product["data"]["products"]["edges"][0]["node"]["id"], "quantity": "1"}]
    quote = post(
        stack,
        "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }",
        {"i": {"opportunityId": opportunity, "lines": lines, "discountPercent": "20"}},
        rep,
    )["data"]["createQuote"]["id"]
    post(stack, "mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote}, rep)
    manager = login(stack, "manager@example.com")
    waiting = wait_for(
        lambda: [
            a
            for a in post(stack, f"{{ myApprovals {{ {APPROVAL} }} }}", token=manager)["data"]["myApprovals"]
            if a["subjectId"] == quote
        ]
    )[0]
    assert (waiting["level"], waiting["levelCount"]) == (1, 1)  # 20 % off: the director's level does not apply
    refused = post(stack, "mutation($id: ID!) { approve(id: $id) { status } }", {"id": waiting["id"]}, rep)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    rejected = post(
        stack,
        'mutation($id: ID!) { reject(id: $id, comment: "折扣过高 Too deep") { status } }',
        {"id": waiting["id"]},
        manager,
    )
    assert rejected["data"]["reject"]["status"] == "REJECTED", rejected
    view = "query($id: ID!) { quote(id: $id) { status decisionComment approver { email } } }"
    assert wait_for(
        lambda: (lambda q: q if q["status"] == "rejected" else None)(
            post(stack, view, {"id": quote}, manager)["data"]["quote"]
        )
    ) == {"status": "rejected", "decisionComment": "折扣过高 Too deep", "approver": {"email": "manager@example.com"}}

    marketer = login(stack, "marketer@example.com")
    campaign = post(
        stack,
        "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }",
        {
            "i": {
                "name": f"年会{secrets.token_hex(2)}",
                "type": "EXHIBITION",
                "startsOn": "2027-10-01",
                "endsOn": "2027-10-02",
                "budgetLines": [{"category": "展位 Booth", "amount": "30000"}],
            }
        },
        marketer,
    )["data"]["createCampaign"]["id"]
    post(stack, "mutation($id: ID!) { submitCampaignBudget(id: $id) { id } }", {"id": campaign}, marketer)
    head = login(stack, "marketing.manager@example.com")
    budget = wait_for(
        lambda: [
            a
            for a in post(stack, f"{{ myApprovals {{ {APPROVAL} }} }}", token=head)["data"]["myApprovals"]
            if a["subjectId"] == campaign
        ]
    )[0]
    assert budget["chainName"] == "大额活动预算 Large campaign budgets"
    post(stack, "mutation($id: ID!) { approve(id: $id) { status } }", {"id": budget["id"]}, head)
    view = "query($id: ID!) { campaign(id: $id) { status budgetStatus budgetDecidedBy { email } } }"
    assert wait_for(
        lambda: (lambda c: c if c["status"] == "APPROVED" else None)(
            post(stack, view, {"id": campaign}, marketer)["data"]["campaign"]
        )
    ) == {
        "status": "APPROVED",
        "budgetStatus": "APPROVED",
        "budgetDecidedBy": {"email": "marketing.manager@example.com"},
    }


def test_values_their_types_refuse_are_bad_input_naming_the_field_through_the_gateway(stack):
    token = login(stack)
    [error] = post(stack, '{ receivablesAging(asOf: "2026-02-30") { total } }', token=token)["errors"]
    assert (error["message"], error["extensions"]["field"]) == ("Invalid value for field 'asOf': expected Date", "asOf")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"

    save = "mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }"
    deep = "{}"
    for _ in range(39):
        deep = '{"trigger": ' + deep + "}"
    [error] = post(stack, save, {"i": {"name": "深规则", "definition": json.loads(deep)}}, token=token)["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "definition")
    # past what a subgraph's decoder follows: the gateway refuses it
    deep = '{"a": ' * 5000 + deep + "}" * 5000
    body = json.dumps({"query": save, "variables": {"i": {"name": "深规则", "definition": None}}})
    body = body.replace('"definition": null', '"definition": ' + deep)
    sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"}
    answer = httpx.post(stack.gateway_url, content=body.encode(), headers=sent, timeout=30).json()
    assert answer == {
        "errors": [
            {
                "message": "Field 'definition' is nested too deeply: at most 64 levels",
                "extensions": {
                    "code": "BAD_USER_INPUT",
                    "field": "definition",
                    "limit": "nesting",
                    "max": 64,
                    "found": 5041,  # the input, then 5,000 and 39 levels and the innermost object
                },
            }
        ]
    }
    workflows = post(stack, "{ workflows { name } }", token=token)["data"]["workflows"]
    assert [w for w in workflows if w["name"] == "深规则"] == []


def test_a_number_beyond_any_field_in_a_json_value_is_refused_at_its_field_not_sent_on_as_null(stack):
    """JavaScript reads 1e400 as Infinity and would write it on as null: a reminder dropped without a word."""
    token = login(stack)
    save = "mutation($i: ApprovalChainInput!) { saveApprovalChain(input: $i) { id } }"
    level = {"approvers": [{"type": "manager", "level": 1}], "remindAfterHours": 0}
    body = json.dumps(
        {"query": save, "variables": {"i": {"name": "无穷提醒", "subjectKind": "QUOTE", "levels": [level]}}}
    )
    sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "zh-CN"}
    answer = httpx.post(
        stack.gateway_url,
        content=body.replace('"remindAfterHours": 0', '"remindAfterHours": 1e400'),
        headers=sent,
        timeout=30,
    ).json()
    assert answer == {
        "errors": [
            {
                "message": "字段“levels[0].remindAfterHours”：数值过大",
                "extensions": {"code": "BAD_USER_INPUT", "field": "levels[0].remindAfterHours"},
            }
        ]
    }
    chains = post(stack, "{ approvalChains { name } }", token=token)["data"]["approvalChains"]
    assert [c for c in chains if c["name"] == "无穷提醒"] == []


def test_json_values_with_then_or_promise_keys_reach_the_subgraph_as_sent(stack):
    """A branch step's `then` is plain data, not something the gateway waits on."""
    token = login(stack)
    condition = {"field": "event.data.source", "op": "eq", "value": "web_form"}
    branch = {"id": "web", "action": "branch", "conditions": [condition], "then": "end"}
    notify = {"id": "end", "action": "notify", "user": "{{ event.ownerId }}", "title": "新线索"}
    definition = {"trigger": {"kind": "event", "topic": "crm.sales.lead", "type": "lead.created"}}
    definition["steps"] = [branch, notify]
    save = "mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id draft } }"
    saved = post(stack, save, {"i": {"name": f"分支规则{secrets.token_hex(3)}", "definition": definition}}, token=token)
    assert saved["data"]["saveWorkflow"]["draft"]["steps"][0] == {**branch, "else": "end"}  # else: the next step
