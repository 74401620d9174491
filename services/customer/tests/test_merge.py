"""Merging a duplicate moves everything to the target and tells other services."""

import asyncio
import json

from crm_shared.testing import read_topic


async def test_merge_moves_contacts_activities_tasks_links_and_fills_gaps(gql, app, platform_settings):
    target = await gql.account("rep1", tags=["老客户"])
    source = await gql.account("rep1", industry="医疗", phone="13612345678", tags=["重点客户"])
    partner = await gql.account("rep1")
    await gql.ok(
        "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
        {"i": {"accountId": source, "name": "钱七"}},
        "rep1",
    )
    await gql.ok(
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }",
        {"i": {"accountId": source, "kind": "call", "subject": "合并前的电话"}},
        "rep1",
    )
    await gql.ok(
        'mutation($f: ID!, $t: ID!) { linkAccounts(fromId: $f, toId: $t, kind: "partner") }',
        {"f": source, "t": partner},
        "rep1",
    )

    merge = "mutation($t: ID!, $s: ID!) { mergeAccounts(targetId: $t, sourceId: $s) { id industry phone tags } }"
    denied = await gql(merge, {"t": target, "s": source}, "rep2")
    assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    merged = (await gql.ok(merge, {"t": target, "s": source}, "rep1"))["mergeAccounts"]
    assert merged == {
        "id": target,
        "industry": "医疗",
        "phone": "13612345678",
        "tags": ["老客户", "重点客户"],
    }

    view = """query($id: ID!) { account(id: $id) { contacts { totalCount } activities { totalCount } } }"""
    moved = (await gql.ok(view, {"id": target}, "rep1"))["account"]
    assert moved == {"contacts": {"totalCount": 1}, "activities": {"totalCount": 1}}
    gone = await gql("query($id: ID!) { account(id: $id) { id } }", {"id": source}, "rep1")
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    network = await gql.ok(
        "query($id: ID!) { accountNetwork(id: $id, depth: 1) { account { id } } }", {"id": target}, "rep1"
    )
    assert partner in [n["account"]["id"] for n in network["accountNetwork"]]

    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.customer.account",
        1,
        match=lambda e: e["type"] == "account.merged" and e["data"]["sourceId"] == source,
    )
    assert json.loads(records[0].value)["data"]["targetId"] == target
    same = await gql(merge, {"t": target, "s": target}, "rep1")
    assert same["errors"][0]["extensions"]["field"] == "sourceId"


async def test_the_values_chosen_from_the_source_survive_the_merge(gql):
    target = await gql.account("rep1", name="杭州西湖科技有限公司", industry="软件", city="杭州", phone="13700000001")
    source = await gql.account("rep1", name="西湖智能科技集团", industry="互联网", phone="13700000002")
    merge = """mutation($t: ID!, $s: ID!, $k: [String!]!) {
      mergeAccounts(targetId: $t, sourceId: $s, keepFromSource: $k) { id name industry city phone } }"""
    bad = await gql(merge, {"t": target, "s": source, "k": ["owner"]}, "rep1")
    assert bad["errors"][0]["extensions"]["field"] == "keepFromSource"
    merged = (await gql.ok(merge, {"t": target, "s": source, "k": ["name", "phone"]}, "rep1"))["mergeAccounts"]
    assert merged == {
        "id": target,
        "name": "西湖智能科技集团",
        "industry": "软件",
        "city": "杭州",
        "phone": "13700000002",
    }


async def test_two_merges_of_the_same_pair_in_opposite_directions_one_wins_the_other_finds_nothing(gql):
    merge = "mutation($t: ID!, $s: ID!) { mergeAccounts(targetId: $t, sourceId: $s) { id } }"
    for _ in range(3):
        a, b = await gql.account("rep1"), await gql.account("rep1")

        answers = await asyncio.gather(gql(merge, {"t": a, "s": b}, "rep1"), gql(merge, {"t": b, "s": a}, "rep1"))

        codes = sorted(answer["errors"][0]["extensions"]["code"] if "errors" in answer else "OK" for answer in answers)
        assert codes == ["NOT_FOUND", "OK"]


async def test_two_transfers_naming_the_same_accounts_in_other_orders_both_go_through(gql, persona):
    transfer = "mutation($ids: [ID!]!, $to: ID!) { transferAccounts(accountIds: $ids, toUserId: $to) { id } }"
    for _ in range(3):
        a, b, c = [await gql.account("rep1") for _ in range(3)]
        to = {"to": str(persona["rep2"].user_id)}

        answers = await asyncio.gather(
            gql(transfer, {"ids": [a, b, c], **to}, "manager"), gql(transfer, {"ids": [c, b, a], **to}, "manager")
        )

        assert [answer.get("errors") for answer in answers] == [None, None]
        assert [e["id"] for e in answers[1]["data"]["transferAccounts"]] == [c, b, a]
