"""A contract's dates and reasons as people enter them: refused when they cannot be, never bent into shape."""

import datetime as dt

CREATE = "mutation($i: CreateContractInput!) { createContract(input: $i) { id } }"
SIGN = "mutation($id: ID!, $on: Date) { signContract(id: $id, signedOn: $on) { status signedOn } }"
TERMINATE = "mutation($id: ID!, $r: String!) { terminateContract(id: $id, reason: $r) { status terminationReason } }"
SHOWN = "query($id: ID!) { contract(id: $id) { status signedOn terminationReason } }"


async def approved_contract(gql, today: dt.date) -> str:
    data = {
        "accountId": await gql.account("rep1"),
        "title": "年度服务合同",
        "value": "1000",
        "startDate": today.isoformat(),
        "endDate": (today + dt.timedelta(days=365)).isoformat(),
    }
    contract = (await gql.ok(CREATE, {"i": data}, "rep1"))["createContract"]["id"]
    await gql.ok("mutation($id: ID!) { submitContract(id: $id) { id } }", {"id": contract}, "rep1")
    await gql.decided("contract", contract)
    return contract


async def test_a_contract_dated_outside_2000_to_2100_is_refused_at_the_date(gql):
    account = await gql.account("rep1")
    base = {"accountId": account, "title": "合同", "value": "1000", "startDate": "2026-01-01", "endDate": "2027-01-01"}

    said = [
        await gql.error(CREATE, {"i": {**base, **dates}}, "rep1", "BAD_USER_INPUT", lang)
        for dates, lang in (({"startDate": "1999-12-31"}, "en"), ({"endDate": "2101-01-01"}, "zh-CN"))
    ]

    assert [(e["extensions"]["field"], e["message"]) for e in said] == [
        ("startDate", "Field 'startDate' must be between 2000-01-01 and 2100-12-31"),
        ("endDate", "字段“endDate”须在 2000-01-01 到 2100-12-31 之间"),
    ]
    assert (await gql.ok("{ contracts { totalCount } }", None, "rep1"))["contracts"]["totalCount"] == 0


async def test_a_contract_is_signed_neither_in_the_future_nor_before_it_was_drawn_up(gql, clock):
    drawn_up = clock.now().date()
    contract = await approved_contract(gql, drawn_up)
    clock.advance(days=10)
    today = clock.now().date()

    for day in (
        "2099-01-01",
        (today + dt.timedelta(days=1)).isoformat(),
        (drawn_up - dt.timedelta(days=1)).isoformat(),
    ):
        refused = await gql.error(SIGN, {"id": contract, "on": day}, "rep1", "BAD_USER_INPUT")
        assert refused["extensions"]["field"] == "signedOn", day
        assert refused["message"] == f"Field 'signedOn' must be between {drawn_up} and {today}", day
    assert (await gql.ok(SHOWN, {"id": contract}, "rep1"))["contract"]["status"] == "approved"

    on = (drawn_up + dt.timedelta(days=3)).isoformat()
    assert (await gql.ok(SIGN, {"id": contract, "on": on}, "rep1"))["signContract"] == {
        "status": "active",
        "signedOn": on,
    }


async def test_a_termination_reason_over_500_characters_is_refused_not_cut(gql, clock):
    contract = await approved_contract(gql, clock.now().date())
    await gql.ok(SIGN, {"id": contract}, "rep1")

    refused = await gql.error(TERMINATE, {"id": contract, "r": "因" * 600}, "rep1", "BAD_USER_INPUT", "zh-CN")
    kept = await gql.ok(SHOWN, {"id": contract}, "rep1")
    ended = await gql.ok(TERMINATE, {"id": contract, "r": "因" * 500}, "rep1")

    assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason", "maximum": 500}
    assert refused["message"] == "字段“reason”过长：最多 500 个字符"
    assert kept["contract"] == {"status": "active", "signedOn": str(clock.now().date()), "terminationReason": None}
    assert ended["terminateContract"] == {"status": "terminated", "terminationReason": "因" * 500}
