"""Reopening a closed opportunity: into a stage whose required fields it has, and never while a live order sells it."""

QUOTE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }"
REOPEN = "mutation($id: ID!, $s: ID) { reopenOpportunity(id: $id, stageId: $s) { status stage { name } probability } }"
LOSE = 'mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "预算取消") { status } }'
STATE = "query($id: ID!) { opportunity(id: $id) { status probability } }"


async def sold(gql, amount="8000.00"):
    """rep1's opportunity won by an accepted quote: its order."""
    o = await gql.opportunity("rep1")
    line = {"productId": await gql.product(amount), "quantity": "1"}
    quote = (await gql.ok(QUOTE, {"i": {"opportunityId": o, "lines": [line]}}, "rep1"))["createQuote"]["id"]
    await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { id } }", {"id": quote}, "rep1")
    accepted = await gql.ok(
        "mutation($id: ID!) { acceptQuote(id: $id) { order { id number } } }", {"id": quote}, "rep1"
    )
    return o, accepted["acceptQuote"]["order"]


async def test_a_deal_with_a_live_order_is_not_reopened(gql):
    o, order = await sold(gql)
    invoice = await gql.ok(
        'mutation($o: ID!) { issueInvoice(orderId: $o, amount: "5000") { id } }', {"o": order["id"]}, "manager"
    )
    await gql.ok(
        "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        {"i": {"invoiceId": invoice["issueInvoice"]["id"], "amount": "1000"}},
        "manager",
    )
    stage = (await gql.stages())[1]["id"]
    for variables in ({"id": o}, {"id": o, "s": stage}):
        error = await gql.error(REOPEN, variables, "rep1", code="CONFLICT")
        assert (error["extensions"]["order"], error["message"]) == (
            order["number"],
            f"The opportunity has a live order ({order['number']}); it can be reopened or sold again only once "
            "that order is cancelled",
        )
    zh = await gql.error(REOPEN, {"id": o}, "manager", code="CONFLICT", lang="zh-CN")
    assert zh["message"] == f"该商机已有有效订单（{order['number']}），取消该订单后才能重新打开或再次成交"
    assert (await gql.ok(STATE, {"id": o}, "rep1"))["opportunity"] == {"status": "won", "probability": "100.00"}
    await gql.error(LOSE, {"id": o}, "rep1", code="CONFLICT")  # still won: nothing to close


async def test_a_deal_whose_order_was_cancelled_can_be_reopened_and_lost(gql):
    o, order = await sold(gql)
    await gql.ok(
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "客户撤单") { id } }', {"id": order["id"]}, "manager"
    )
    reopened = await gql.ok(REOPEN, {"id": o, "s": (await gql.stages())[1]["id"]}, "rep1")
    assert reopened["reopenOpportunity"]["status"] == "open"
    assert (await gql.ok(LOSE, {"id": o}, "rep1"))["closeOpportunity"] == {"status": "lost"}


async def test_reopening_into_a_stage_needs_the_fields_it_requires_as_a_move_does(gql):
    stages = await gql.stages()
    assert [s["requiredFields"] for s in stages[3:]] == [
        ["amount", "expected_close_date"],
        ["amount", "expected_close_date", "contact_id"],
    ]
    o = await gql.opportunity("rep1", None)
    await gql.ok(LOSE, {"id": o}, "rep1")

    for stage, field, name in (
        (None, "amount", "合同签订"),  # the last stage, by default
        (stages[3]["id"], "amount", "商务谈判"),
    ):
        error = await gql.error(REOPEN, {"id": o, "s": stage}, "rep1", code="BAD_USER_INPUT")
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field, "stage": name}
        assert error["message"] == f"Stage '{name}' requires field '{field}'"
    assert (await gql.ok(STATE, {"id": o}, "rep1"))["opportunity"] == {"status": "lost", "probability": "0.00"}

    priced = await gql.opportunity("rep1", "30000", expectedCloseDate="2026-12-20")
    await gql.ok(LOSE, {"id": priced}, "rep1")
    error = await gql.error(REOPEN, {"id": priced}, "rep1", code="BAD_USER_INPUT", lang="zh-CN")
    assert (error["extensions"]["field"], error["message"]) == ("contactId", "阶段“合同签订”要求填写字段“contactId”")
    reopened = await gql.ok(REOPEN, {"id": priced, "s": stages[3]["id"]}, "rep1")
    assert reopened["reopenOpportunity"] == {"status": "open", "stage": {"name": "商务谈判"}, "probability": "75.00"}
