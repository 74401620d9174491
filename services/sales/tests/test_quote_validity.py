"""A quote's validity date: offered until then, never already expired."""

import datetime as dt

CREATE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id status validUntil } }"
SUBMIT = "mutation($id: ID!) { submitQuote(id: $id) { status } }"


async def test_a_quote_valid_only_until_a_past_day_is_refused_at_its_validity(gql, clock):
    today = clock.now().date()
    lines = [{"productId": await gql.product(), "quantity": "1"}]
    opportunity = await gql.opportunity()

    said = [
        await gql.error(CREATE, {"i": {"opportunityId": opportunity, "lines": lines, "validUntil": day}}, "rep1", None)
        for day in ("2000-01-01", (today - dt.timedelta(days=1)).isoformat(), "2101-01-01")
    ]

    assert [(e["extensions"]["code"], e["extensions"]["field"], e["message"]) for e in said] == [
        ("BAD_USER_INPUT", "validUntil", f"Field 'validUntil' must be between {today} and 2100-12-31")
    ] * 3
    assert (await gql.ok("{ quotes { totalCount } }"))["quotes"]["totalCount"] == 0


async def test_a_quote_past_its_validity_is_not_submitted(gql, clock):
    lines = [{"productId": await gql.product(), "quantity": "1"}]
    today = clock.now().date().isoformat()
    made = await gql.ok(
        CREATE, {"i": {"opportunityId": await gql.opportunity(), "lines": lines, "validUntil": today}}, "rep1"
    )
    quote = made["createQuote"]["id"]
    clock.advance(days=1)

    refused = await gql.error(SUBMIT, {"id": quote}, "rep1", "CONFLICT", "zh-CN")

    assert refused["message"] == "报价已过有效期"
    assert (await gql.ok("query($id: ID!) { quote(id: $id) { status } }", {"id": quote}))["quote"]["status"] == "draft"
