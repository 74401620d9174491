"""Opportunities through GraphQL: pipeline stages, required fields, history, close, reopen, data scope."""

import json
import uuid
from decimal import Decimal

from crm_shared.testing import read_topic


async def test_create_move_close_reopen_with_history_and_events(gql, app, platform_settings, persona):
    stages = await gql.stages()
    assert [s["name"] for s in stages][:2] == ["初步接洽", "需求确认"]
    account = await gql.account("rep1")
    made = await gql.ok(
        """mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) {
        id amount currency amountBase status owner { id } stage { id name probability } account { id } } }""",
        {"i": {"name": "华为 CRM 项目", "amount": "128000.50", "currency": "USD", "accountId": account}},
        "rep1",
    )
    o = made["createOpportunity"]
    assert o["amount"] == "128000.50" and o["currency"] == "USD"
    assert Decimal(o["amountBase"]) == (Decimal("128000.50") * Decimal("7.10")).quantize(Decimal("0.01"))
    assert o["stage"] == {"id": stages[0]["id"], "name": "初步接洽", "probability": "10.00"}
    assert o["owner"]["id"] == str(persona["rep1"].user_id)

    move = "mutation($id: ID!, $s: ID!) { moveOpportunity(id: $id, stageId: $s) { stage { name } probability } }"
    error = await gql.error(move, {"id": o["id"], "s": stages[3]["id"]}, "rep1", code="BAD_USER_INPUT")  # needs a date
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "expectedCloseDate",
        "stage": "商务谈判",
    }
    zh = await gql.error(move, {"id": o["id"], "s": stages[3]["id"]}, "rep1", lang="zh-CN", code="BAD_USER_INPUT")
    assert "expectedCloseDate" in zh["message"] and "要求填写" in zh["message"]
    await gql.ok(
        'mutation($id: ID!) { updateOpportunity(id: $id, input: {expectedCloseDate: "2026-12-20"}) { id } }',
        {"id": o["id"]},
        "rep1",
    )
    moved = await gql.ok(move, {"id": o["id"], "s": stages[3]["id"]}, "rep1")
    assert moved["moveOpportunity"] == {"stage": {"name": "商务谈判"}, "probability": "75.00"}

    closed = await gql.ok(
        """mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "价格", competitor: "Salesforce") {
        status closeReason competitor probability stageHistory { stageName leftAt days } } }""",
        {"id": o["id"]},
        "rep1",
    )
    c = closed["closeOpportunity"]
    assert (c["status"], c["closeReason"], c["competitor"], c["probability"]) == (
        "lost",
        "价格",
        "Salesforce",
        "0.00",
    )
    assert [h["stageName"] for h in c["stageHistory"]] == ["初步接洽", "商务谈判"]
    assert all(h["leftAt"] for h in c["stageHistory"]) and all(h["days"] >= 0 for h in c["stageHistory"])
    again = await gql.error(move, {"id": o["id"], "s": stages[1]["id"]}, "rep1", code="CONFLICT")
    assert again["extensions"]["code"] == "CONFLICT"

    reopened = await gql.ok(
        "mutation($id: ID!, $s: ID!) { reopenOpportunity(id: $id, stageId: $s) { status stage { name } } }",
        {"id": o["id"], "s": stages[1]["id"]},
        "rep1",
    )
    assert reopened["reopenOpportunity"] == {"status": "open", "stage": {"name": "需求确认"}}

    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.sales.opportunity", 6, match=lambda e: e["subject"] == o["id"]
    )
    kinds = [json.loads(r.value)["type"] for r in records]
    assert kinds == [
        "opportunity.created",
        "opportunity.updated",
        "opportunity.stage_changed",
        "opportunity.lost",
        "opportunity.stage_changed",
        "opportunity.reopened",
    ]


async def test_a_move_saves_the_fields_its_stage_requires_or_nothing(gql):
    stages = await gql.stages()
    assert stages[3]["requiredFields"] == ["amount", "expected_close_date"]
    o = await gql.opportunity("rep1", None)
    move = """mutation($id: ID!, $s: ID!, $i: UpdateOpportunityInput, $l: [LineItemInput!]) {
      moveOpportunity(id: $id, stageId: $s, input: $i, lines: $l) { stage { name } amount expectedCloseDate } }"""
    read = "query($id: ID!) { opportunity(id: $id) { stage { name } amount expectedCloseDate } }"
    untouched = {"opportunity": {"stage": {"name": "初步接洽"}, "amount": None, "expectedCloseDate": None}}

    bad = await gql.error(move, {"id": o, "s": stages[3]["id"], "i": {"amount": "12,8x"}}, code="BAD_USER_INPUT")
    assert bad["extensions"]["field"] == "amount"
    partial = {"id": o, "s": stages[3]["id"], "i": {"expectedCloseDate": "2026-12-20"}}
    lacking = await gql.error(move, partial, "rep1", code="BAD_USER_INPUT")
    assert lacking["extensions"] == {"code": "BAD_USER_INPUT", "field": "amount", "stage": "商务谈判"}
    assert await gql.ok(read, {"id": o}, "rep1") == untouched  # nothing of a refused move is kept

    filled = {"id": o, "s": stages[3]["id"], "i": {"amount": "88000", "expectedCloseDate": "2026-12-20"}}
    moved = await gql.ok(move, filled, "rep1")
    assert moved["moveOpportunity"] == {
        "stage": {"name": "商务谈判"},
        "amount": "88000.00",
        "expectedCloseDate": "2026-12-20",
    }
    await gql.error(move, {"id": o, "s": stages[0]["id"], "i": {"amount": "1"}}, "rep2", code="NOT_FOUND")

    # products make the amount a stage asks for
    other = await gql.opportunity("rep1", None)
    lines = {"id": other, "s": stages[2]["id"], "l": [{"productId": await gql.product("2500.00"), "quantity": "2"}]}
    priced = await gql.ok(move, lines, "rep1")
    assert priced["moveOpportunity"] == {"stage": {"name": "方案报价"}, "amount": "5000.00", "expectedCloseDate": None}


async def test_the_board_shows_each_opportunity_in_its_own_stage_with_its_own_products(gql):
    stages = await gql.stages()
    move = """mutation($id: ID!, $s: ID!, $l: [LineItemInput!]) {
      moveOpportunity(id: $id, stageId: $s, lines: $l) { id } }"""
    first, second, third = [await gql.opportunity("rep2", None) for _ in range(3)]
    one, two = await gql.product("100.00"), await gql.product("200.00")
    await gql.ok(move, {"id": first, "s": stages[1]["id"], "l": [{"productId": one, "quantity": "1"}]}, "rep2")
    both = [{"productId": one, "quantity": "1"}, {"productId": two, "quantity": "3"}]
    await gql.ok(move, {"id": second, "s": stages[2]["id"], "l": both}, "rep2")

    board = await gql.ok(
        "{ opportunities(first: 200) { edges { node { id stage { name } lines { productId total } } } } }", None, "rep2"
    )
    shown = {e["node"]["id"]: e["node"] for e in board["opportunities"]["edges"]}
    assert {key: (node["stage"]["name"], node["lines"]) for key, node in shown.items()} == {
        first: ("需求确认", [{"productId": one, "total": "100.00"}]),
        second: ("方案报价", [{"productId": one, "total": "100.00"}, {"productId": two, "total": "600.00"}]),
        third: ("初步接洽", []),
    }


async def test_reps_see_their_own_and_managers_their_team(gql):
    mine = await gql.opportunity("rep1")
    other = await gql.opportunity("rep3", accountId=await gql.account("rep3"))
    query = "query($id: ID!) { opportunity(id: $id) { id } }"
    await gql.error(query, {"id": mine}, "rep2", code="NOT_FOUND")
    assert (await gql.ok(query, {"id": mine}, "manager"))["opportunity"]["id"] == mine
    await gql.error(query, {"id": other}, "manager", code="NOT_FOUND")
    listed = await gql.ok("{ opportunities(first: 200) { edges { node { id } } } }", None, "rep2")
    assert mine not in {e["node"]["id"] for e in listed["opportunities"]["edges"]}
    # an account another rep owns is not one rep2 may sell to
    error = await gql.error(
        "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
        {"i": {"name": "x", "accountId": await gql.account("rep1")}},
        "rep2",
        code="BAD_USER_INPUT",
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "accountId"}


async def test_bad_amounts_name_the_field(gql):
    account = await gql.account("rep1")
    for amount, field in (("12,80x", "amount"), ("-5", "amount"), ("1.123456", "amount")):
        error = await gql.error(
            "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
            {"i": {"name": "x", "accountId": account, "amount": amount}},
            "rep1",
            code="BAD_USER_INPUT",
        )
        assert error["extensions"]["field"] == field, (amount, error)
    error = await gql.error(
        "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
        {"i": {"name": "x", "accountId": account, "currency": "XYZ"}},
        "rep1",
        code="BAD_USER_INPUT",
    )
    assert error["extensions"]["field"] == "currency"


async def test_managers_reshape_a_stage_and_reps_cannot(gql, persona):
    made = await gql.ok(
        """mutation($n: String!, $u: ID!) { createPipeline(input: {name: $n, unitId: $u,
        stages: [{name: "接洽", probability: "10"}, {name: "报价", probability: "40"}]})
        { id unitId stages { id } } }""",
        {"n": f"渠道{uuid.uuid4().hex[:6]}", "u": str(persona["manager"].unit_id)},
        "manager",
    )
    assert made["createPipeline"]["unitId"] == str(persona["manager"].unit_id)
    stage = made["createPipeline"]["stages"][1]["id"]
    update = """mutation($id: ID!, $i: StageFields!) {
      updateStage(id: $id, input: $i) { name probability requiredFields } }"""
    changed = await gql.ok(
        update, {"id": stage, "i": {"name": "方案报价", "probability": "45.5", "requiredFields": ["amount"]}}, "manager"
    )
    assert changed["updateStage"] == {
        "name": "方案报价",
        "probability": "45.50",
        "requiredFields": ["amount"],
    }
    bad = await gql.error(
        update, {"id": stage, "i": {"name": "x", "probability": "120"}}, "manager", code="BAD_USER_INPUT"
    )
    assert bad["extensions"]["field"] == "stages[0].probability" or bad["extensions"]["field"].endswith("probability")
    denied = await gql.error(update, {"id": stage, "i": {"name": "x", "probability": "1"}}, "rep1", code="FORBIDDEN")
    assert denied["extensions"]["code"] == "FORBIDDEN"
    o = await gql.opportunity("rep1", None, pipelineId=made["createPipeline"]["id"])
    lacking = await gql.error(
        "mutation($id: ID!, $s: ID!) { moveOpportunity(id: $id, stageId: $s) { id } }",
        {"id": o, "s": stage},
        "rep1",
        code="BAD_USER_INPUT",
    )
    assert lacking["extensions"]["field"] == "amount"  # the new requirement holds


async def test_an_opportunity_goes_only_to_an_owner_within_the_callers_scope(gql, persona):
    account = await gql.account("rep1")
    create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { owner { id } } }"
    for_rep2 = {"name": "代建", "accountId": account, "ownerId": str(persona["rep2"].user_id)}
    assert (await gql.error(create, {"i": for_rep2}, "rep1", code="BAD_USER_INPUT"))["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "ownerId",
    }
    made = await gql.ok(create, {"i": for_rep2}, "manager")
    assert made["createOpportunity"]["owner"]["id"] == str(persona["rep2"].user_id)


async def test_an_opportunity_names_its_campaign_for_marketing_to_resolve_and_announces_it(gql, platform_settings):
    campaign, account = await gql.campaign(), await gql.account("rep1")
    create = """mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) {
        id campaignId campaign { id } } }"""
    for unknown in (str(uuid.uuid4()), account):  # no campaign, or another kind of record
        i = {"name": "展会商机", "accountId": account, "campaignId": unknown}
        refused = await gql.error(create, {"i": i}, "rep1", code="BAD_USER_INPUT", lang="zh-CN")
        assert (refused["extensions"]["field"], refused["message"]) == (
            "campaignId",
            "字段“campaignId”不是已有的市场活动",
        )
    made = await gql.ok(create, {"i": {"name": "展会商机", "accountId": account, "campaignId": campaign}}, "rep1")
    o = made["createOpportunity"]
    assert (o["campaignId"], o["campaign"]) == (campaign, {"id": campaign})
    plain = await gql.ok(
        "query($id: ID!) { opportunity(id: $id) { campaign { id } } }", {"id": await gql.opportunity()}
    )
    assert plain["opportunity"]["campaign"] is None
    await gql.publish()
    [record] = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.sales.opportunity", 1, match=lambda e: e["subject"] == o["id"]
    )
    assert json.loads(record.value)["data"]["campaignId"] == campaign


async def test_the_open_pipeline_counts_and_sums_every_open_opportunity_per_stage_in_the_callers_scope(gql):
    stages = await gql.stages()
    for amount in ("100000.00", "50000.50", "20000.00"):
        await gql.opportunity("rep1", amount=amount)
    moved = await gql.opportunity("rep1", amount="7000.00")
    await gql.ok(
        "mutation($id: ID!, $s: ID!) { moveOpportunity(id: $id, stageId: $s) { id } }",
        {"id": moved, "s": stages[1]["id"]},
        "rep1",
    )
    lost = await gql.opportunity("rep1", amount="900000.00")
    await gql.ok('mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "价格") { id } }', {"id": lost})
    await gql.opportunity("rep3", amount="300000.00", accountId=await gql.account("rep3"))
    pipeline = "query($o: ID) { openPipeline(ownerId: $o) { stage { id name position } count amountBase } }"
    first, second = ({"id": s["id"], "name": s["name"], "position": s["position"]} for s in stages[:2])
    rep1 = [
        {"stage": first, "count": 3, "amountBase": "170000.50"},
        {"stage": second, "count": 1, "amountBase": "7000.00"},
    ]

    assert (await gql.ok(pipeline, {"o": gql.user("rep1")}, "rep1"))["openPipeline"] == rep1
    assert (await gql.ok(pipeline, {"o": None}, "manager"))["openPipeline"] == rep1  # rep3 is another team's
    assert (await gql.ok(pipeline, {"o": gql.user("rep1")}, "rep2"))["openPipeline"] == []
    everyone = (await gql.ok(pipeline, {"o": None}, "admin"))["openPipeline"]
    assert [(s["stage"]["name"], s["count"], s["amountBase"]) for s in everyone] == [
        (stages[0]["name"], 4, "470000.50"),
        (stages[1]["name"], 1, "7000.00"),
    ]


async def test_an_opportunity_names_only_a_live_contact_of_its_own_account(gql):
    account, other = await gql.account(), await gql.account()
    own, partner, elsewhere = await gql.contact(account), await gql.contact(other, [account]), await gql.contact(other)
    create = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id contactId } }"
    update = "mutation($id: ID!, $c: ID!) { updateOpportunity(id: $id, input: {contactId: $c}) { contactId } }"
    listed = "query($a: ID!) { opportunities(filter: {accountId: $a}) { edges { node { contactId } } } }"

    for wrong in (str(uuid.uuid4()), elsewhere):
        i = {"name": "联系人商机", "accountId": account, "contactId": wrong}
        bad = await gql.error(create, {"i": i}, "rep1", code="BAD_USER_INPUT")
        assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "contactId"}
    assert await gql.ok(listed, {"a": account}, "rep1") == {"opportunities": {"edges": []}}  # nothing was made

    made = await gql.ok(create, {"i": {"name": "联系人商机", "accountId": account, "contactId": own}}, "rep1")
    assert made["createOpportunity"]["contactId"] == own
    o = made["createOpportunity"]["id"]
    assert await gql.ok(update, {"id": o, "c": partner}, "rep1") == {"updateOpportunity": {"contactId": partner}}
    bad = await gql.error(update, {"id": o, "c": elsewhere}, "rep1", code="BAD_USER_INPUT")
    assert bad["extensions"]["field"] == "contactId"

    await gql.contact_deleted(own)
    await gql.error(update, {"id": o, "c": own}, "rep1", code="BAD_USER_INPUT")
    assert await gql.ok(listed, {"a": account}, "rep1") == {
        "opportunities": {"edges": [{"node": {"contactId": partner}}]}
    }


async def test_an_amount_contact_or_date_given_as_null_is_cleared_unless_the_stage_requires_it(gql, platform_settings):
    stages = await gql.stages()
    account = await gql.account()
    contact = await gql.contact(account)
    fields = "name amount amountBase contactId expectedCloseDate stage { name }"
    made = await gql.ok(
        f"mutation($i: CreateOpportunityInput!) {{ createOpportunity(input: $i) {{ id {fields} }} }}",
        {"i": {"name": "清空测试", "amount": "5000", "accountId": account, "contactId": contact}},
        "rep1",
    )
    o = made["createOpportunity"]["id"]
    update = (
        f"mutation($id: ID!, $i: UpdateOpportunityInput!) {{ updateOpportunity(id: $id, input: $i) {{ {fields} }} }}"
    )
    dated = await gql.ok(update, {"id": o, "i": {"expectedCloseDate": "2026-12-20"}}, "rep1")
    assert dated["updateOpportunity"]["amount"] == "5000.00"  # what is not given stays
    assert dated["updateOpportunity"]["contactId"] == contact

    cleared = await gql.ok(update, {"id": o, "i": {"amount": None, "contactId": None}}, "rep1")
    assert cleared["updateOpportunity"] == {
        "name": "清空测试",
        "amount": None,
        "amountBase": "0.00",
        "contactId": None,
        "expectedCloseDate": "2026-12-20",
        "stage": {"name": stages[0]["name"]},
    }

    move = """mutation($id: ID!, $s: ID!, $i: UpdateOpportunityInput) {
        moveOpportunity(id: $id, stageId: $s, input: $i) { id } }"""
    await gql.ok(move, {"id": o, "s": stages[3]["id"], "i": {"amount": "8000"}}, "rep1")
    for name in ("amount", "expectedCloseDate"):
        refused = await gql.error(update, {"id": o, "i": {name: None}}, "rep1", code="BAD_USER_INPUT")
        assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": name, "stage": stages[3]["name"]}
    kept = await gql.ok(update, {"id": o, "i": {"contactId": None}}, "rep1")
    assert (kept["updateOpportunity"]["amount"], kept["updateOpportunity"]["expectedCloseDate"]) == (
        "8000.00",
        "2026-12-20",
    )

    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.sales.opportunity", 5, match=lambda e: e["subject"] == o
    )
    updates = [json.loads(r.value)["data"] for r in records if json.loads(r.value)["type"] == "opportunity.updated"]
    assert [(u["amount"], u["amountBase"]) for u in updates[:2]] == [("5000.00", "5000.00"), (None, "0.00")]


async def test_a_rest_merge_patch_changes_what_it_names_and_clears_what_it_sends_as_null(gql):
    account = await gql.account()
    contact = await gql.contact(account)
    made = await gql.rest(
        "POST",
        "/api/v1/opportunities",
        "rep1",
        json={"name": "补丁商机", "account_id": account, "amount": "1200", "contact_id": contact},
    )
    o = made.json()["id"]
    path = f"/api/v1/opportunities/{o}"

    renamed = await gql.rest("PATCH", path, "rep1", json={"name": "补丁商机二期", "expected_close_date": "2027-01-15"})
    assert renamed.status_code == 200
    r = renamed.json()
    assert (r["name"], r["amount"], r["contact_id"], r["expected_close_date"]) == (
        "补丁商机二期",
        "1200.00",
        contact,
        "2027-01-15",
    )
    cleared = (await gql.rest("PATCH", path, "rep1", json={"amount": None, "contact_id": None})).json()
    assert (cleared["name"], cleared["amount"], cleared["contact_id"], cleared["expected_close_date"]) == (
        "补丁商机二期",
        None,
        None,
        "2027-01-15",
    )
    bad = await gql.rest("PATCH", path, "rep1", json={"amount": "abc"}, headers={"Accept-Language": "zh-CN"})
    assert (bad.status_code, bad.json()["field"]) == (422, "amount")
    assert (await gql.rest("PATCH", path, "rep2", json={"name": "别人的"})).status_code == 404
    assert (await gql.rest("GET", path, "rep1")).json()["name"] == "补丁商机二期"
