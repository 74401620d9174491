"""Ownership, the public pool, lifecycle stages and the relationship graph."""

import datetime as dt
import json
import uuid
from decimal import Decimal

from crm_contracts.sales import OrderCreated, OrderStatus
from crm_shared.testing import read_topic
from crm_shared.testing.events import delivered
from customer.accounts import lifecycle

OWNER = "query($id: ID!) { account(id: $id) { owner { id } inPool lifecycleStage } }"
LOG = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"


def order(account_id):
    return OrderCreated(
        id=uuid.uuid4(),
        number="SO-1",
        account_id=uuid.UUID(account_id),
        opportunity_id=None,
        quote_id=None,
        contract_id=None,
        status=OrderStatus.CONFIRMED,
        currency="CNY",
        total=Decimal("1000.00"),
        owner_id=uuid.uuid4(),
        first_order=True,
    )


async def test_manager_transfers_accounts_and_the_old_owner_loses_them(gql, persona):
    ids = [await gql.account("rep1") for _ in range(2)]
    transfer = (
        'mutation($a: [ID!]!, $to: ID!) { transferAccounts(accountIds: $a, toUserId: $to, reason: "离职交接") { id } }'
    )
    denied = await gql(transfer, {"a": ids, "to": str(persona["rep2"].user_id)}, "rep3")
    assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    await gql.ok(transfer, {"a": ids, "to": str(persona["rep2"].user_id)}, "manager")
    for account_id in ids:
        assert (await gql.ok(OWNER, {"id": account_id}, "rep2"))["account"]["owner"]["id"] == str(
            persona["rep2"].user_id
        )
        assert (await gql(OWNER, {"id": account_id}, "rep1"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    unknown = await gql(transfer, {"a": ids, "to": str(uuid.uuid4())}, "manager")
    assert unknown["errors"][0]["extensions"]["field"] == "toUserId"


async def test_pool_release_claim_and_claim_limit(gql):
    release = 'mutation($id: ID!) { releaseToPool(id: $id, reason: "客户暂无需求") { inPool owner { id } } }'
    claim = "mutation($id: ID!) { claimFromPool(id: $id) { inPool owner { id } } }"
    ids = [await gql.account("rep1") for _ in range(3)]
    for account_id in ids:
        released = (await gql.ok(release, {"id": account_id}, "rep1"))["releaseToPool"]
        assert released == {"inPool": True, "owner": None}
    assert (await gql.ok(OWNER, {"id": ids[0]}, "rep2"))["account"]["inPool"] is True  # reps browse the pool
    assert (await gql(OWNER, {"id": ids[0]}, "marketing"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    for account_id in ids[:2]:
        assert (await gql.ok(claim, {"id": account_id}, "rep3"))["claimFromPool"]["inPool"] is False
    over = await gql(claim, {"id": ids[2]}, "rep3", "zh-CN")
    assert over["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert over["errors"][0]["message"] == "您从公海领取的客户已达上限 2 个"
    taken = await gql(claim, {"id": ids[0]}, "rep2", "zh-CN")  # rep3 holds it now, out of rep2's sight
    assert (taken["errors"][0]["extensions"]["code"], taken["errors"][0]["message"]) == ("NOT_FOUND", "未找到客户")
    held = await gql(claim, {"id": ids[0]}, "rep3", "zh-CN")
    assert (held["errors"][0]["extensions"]["code"], held["errors"][0]["message"]) == ("CONFLICT", "该客户不在公海中")


async def test_a_pool_account_is_only_read_claimed_or_assigned_until_someone_holds_it(gql):
    pooled, mine = await gql.account("rep1"), await gql.account("rep2")
    release = 'mutation($id: ID!) { releaseToPool(id: $id, reason: "客户暂无需求") { id } }'
    await gql.ok(release, {"id": pooled}, "rep1")
    for mutation, variables in (
        ("mutation($id: ID!) { deleteAccount(id: $id) { id } }", {"id": pooled}),
        ("mutation($t: ID!, $s: ID!) { mergeAccounts(targetId: $t, sourceId: $s) { id } }", {"t": mine, "s": pooled}),
        (
            'mutation($id: ID!) { changeLifecycleStage(id: $id, stage: "churned", reason: "x") { id } }',
            {"id": pooled},
        ),
        ('mutation($a: ID!) { createContact(input: {accountId: $a, name: "王经理"}) { id } }', {"a": pooled}),
    ):
        refused = await gql.error(mutation, variables, "rep2", "CONFLICT")
        assert refused["message"] == "The account is in the public pool", mutation
    shown = await gql.ok(
        "query($id: ID!) { account(id: $id) { inPool lifecycleStage contacts { totalCount } } }", {"id": pooled}, "rep2"
    )
    assert shown["account"] == {"inPool": True, "lifecycleStage": "prospect", "contacts": {"totalCount": 0}}
    claimed = await gql.ok("mutation($id: ID!) { claimFromPool(id: $id) { inPool } }", {"id": pooled}, "rep2")
    assert claimed["claimFromPool"] == {"inPool": False}
    await gql.ok("mutation($id: ID!) { deleteAccount(id: $id) { id } }", {"id": pooled}, "rep2")  # now rep2's


async def test_idle_accounts_return_to_the_pool_automatically(gql, clock):
    idle, followed = await gql.account("rep1"), await gql.account("rep1")
    clock.advance(days=29)
    await gql.ok(LOG, {"i": {"accountId": followed, "kind": "call", "subject": "电话回访"}}, "rep1")
    clock.advance(days=2)
    await gql.run_schedule("pool returns")
    assert (await gql.ok(OWNER, {"id": idle}, "admin"))["account"]["inPool"] is True
    assert (await gql.ok(OWNER, {"id": followed}, "admin"))["account"]["inPool"] is False


async def test_lifecycle_manual_change_history_and_first_order_rule(gql, app, platform_settings):
    account_id = await gql.account("rep1")
    change = """mutation($id: ID!, $s: String!, $r: String!) {
      changeLifecycleStage(id: $id, stage: $s, reason: $r) { lifecycleStage } }"""
    missing = await gql(change, {"id": account_id, "s": "loyal", "r": " "}, "rep1")
    assert missing["errors"][0]["extensions"]["field"] == "reason"

    async with app.state.db.unit_of_work() as uow:
        await lifecycle.on_order(uow, delivered(order(account_id)))
    assert (await gql.ok(OWNER, {"id": account_id}, "rep1"))["account"]["lifecycleStage"] == "new"
    await gql.ok(change, {"id": account_id, "s": "loyal", "r": "三年续约"}, "rep1")
    history = await gql.ok(
        "query($id: ID!) { account(id: $id) { lifecycleHistory { fromStage toStage reason automatic } } }",
        {"id": account_id},
        "rep1",
    )
    assert history["account"]["lifecycleHistory"] == [
        {"fromStage": "new", "toStage": "loyal", "reason": "三年续约", "automatic": False},
        {"fromStage": "prospect", "toStage": "new", "reason": "order placed", "automatic": True},
    ]
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.customer.account",
        2,
        match=lambda e: e["subject"] == account_id and e["type"] == "account.lifecycle_changed",
    )
    assert [json.loads(r.value)["data"]["to"] for r in records] == ["new", "loyal"]


async def test_inactivity_marks_at_risk_then_churned_and_an_activity_revives(gql, app, clock):
    account_id, churning = await gql.account("rep1"), await gql.account("rep1")
    async with app.state.db.unit_of_work() as uow:
        await lifecycle.on_order(uow, delivered(order(account_id)))
        await lifecycle.on_order(uow, delivered(order(churning)))
    clock.advance(days=61)
    await gql.run_schedule("inactivity lifecycle rules")
    assert (await gql.ok(OWNER, {"id": account_id}, "rep1"))["account"]["lifecycleStage"] == "at_risk"
    await gql.ok(LOG, {"i": {"accountId": account_id, "kind": "visit", "subject": "上门拜访"}}, "rep1")
    assert (await gql.ok(OWNER, {"id": account_id}, "rep1"))["account"]["lifecycleStage"] == "active"
    clock.advance(days=60)
    await gql.run_schedule("inactivity lifecycle rules")
    assert (await gql.ok(OWNER, {"id": churning}, "rep1"))["account"]["lifecycleStage"] == "churned"


async def test_an_activity_on_a_pool_account_is_recorded_without_counting_as_anyones_follow_up(gql, app, clock):
    account_id = await gql.account("rep1")
    async with app.state.db.unit_of_work() as uow:
        await lifecycle.on_order(uow, delivered(order(account_id)))
    clock.advance(days=61)
    await gql.run_schedule("inactivity lifecycle rules")
    await gql.ok(
        'mutation($id: ID!) { releaseToPool(id: $id, reason: "客户暂无需求") { id } }', {"id": account_id}, "rep1"
    )

    await gql.ok(LOG, {"i": {"accountId": account_id, "kind": "call", "subject": "客户来电咨询"}}, "rep2")

    shown = "query($id: ID!) { account(id: $id) { inPool lifecycleStage activities { totalCount } } }"
    assert (await gql.ok(shown, {"id": account_id}, "rep2"))["account"] == {
        "inPool": True,
        "lifecycleStage": "at_risk",
        "activities": {"totalCount": 1},
    }


async def test_an_activity_still_to_come_is_refused_at_its_time(gql, clock):
    account_id = await gql.account("rep1")
    later = (clock.now() + dt.timedelta(hours=1)).isoformat()

    refused = await gql.error(
        LOG,
        {"i": {"accountId": account_id, "kind": "visit", "subject": "拜访", "occurredAt": later}},
        "rep1",
        "BAD_USER_INPUT",
    )

    assert refused["extensions"]["field"] == "occurredAt"
    shown = "query($id: ID!) { account(id: $id) { activities { totalCount } } }"
    assert (await gql.ok(shown, {"id": account_id}, "rep1"))["account"]["activities"]["totalCount"] == 0


async def test_network_returns_paths_up_to_three_hops_within_scope(gql):
    a, b, c, d = [await gql.account("rep1") for _ in range(4)]
    hidden = await gql.account("rep2")
    link = "mutation($f: ID!, $t: ID!, $k: String!) { linkAccounts(fromId: $f, toId: $t, kind: $k) }"
    await gql.ok(link, {"f": a, "t": b, "k": "parent"}, "rep1")
    await gql.ok(link, {"f": c, "t": b, "k": "partner"}, "rep1")
    await gql.ok(link, {"f": c, "t": d, "k": "supplier"}, "rep1")
    await gql.ok(link, {"f": a, "t": hidden, "k": "competitor"}, "admin")
    network = "query($id: ID!, $d: Int!) { accountNetwork(id: $id, depth: $d) { account { id } depth path relations } }"
    nodes = {n["account"]["id"]: n for n in (await gql.ok(network, {"id": a, "d": 3}, "rep1"))["accountNetwork"]}
    assert set(nodes) == {a, b, c, d}  # rep2's account stays invisible to rep1
    assert nodes[d]["path"] == [a, b, c, d] and nodes[d]["relations"] == ["parent", "partner", "supplier"]
    assert nodes[b]["depth"] == 1
    assert hidden in {n["account"]["id"] for n in (await gql.ok(network, {"id": a, "d": 1}, "admin"))["accountNetwork"]}
    too_deep = await gql(network, {"id": a, "d": 4}, "rep1")
    assert too_deep["errors"][0]["extensions"]["field"] == "depth"


async def test_a_contact_shared_by_two_accounts_links_them_in_the_network(gql):
    a, b = await gql.account("rep1"), await gql.account("rep1")
    contact = (
        await gql.ok(
            "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
            {"i": {"accountId": a, "name": "顾问老刘"}},
            "rep1",
        )
    )["createContact"]["id"]
    link = 'mutation($c: ID!, $a: ID!) { linkContactToAccount(contactId: $c, accountId: $a, role: "influencer") }'
    assert (await gql(link, {"c": contact, "a": b}, "rep2"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql.ok(link, {"c": contact, "a": b}, "rep1"))["linkContactToAccount"] is True
    again = await gql(link, {"c": contact, "a": b}, "rep1")
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"
    network = "query($id: ID!) { accountNetwork(id: $id, depth: 1) { account { id } relations } }"
    nodes = {n["account"]["id"]: n for n in (await gql.ok(network, {"id": a}, "rep1"))["accountNetwork"]}
    assert nodes[b]["relations"] == ["contact:顾问老刘"]
