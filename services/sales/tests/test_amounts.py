"""Amounts as clients write them: one rule for GraphQL and REST, refused by field when malformed or finer than a
cent, and sums of the largest amounts kept exactly wherever sales adds them up."""

import datetime as dt
import uuid

from sqlalchemy import select

from sales.performance.models import ForecastSnapshot
from sales.periods import current

LARGEST = "9999999999999999.99"
CREATE = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id amount } }"
UPDATE = "mutation($id: ID!, $i: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $i) { amount } }"
CLOSE = 'mutation($id: ID!) { closeOpportunity(id: $id, won: true, reason: "r") { status } }'
QUOTE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { total effectiveDiscount } }"


async def count(gql) -> int:
    return (await gql.ok("{ opportunities { totalCount } }"))["opportunities"]["totalCount"]


async def test_two_opportunities_of_the_largest_amount_in_one_funnel_bucket_add_up_exactly(gql):
    """Same owner, month, source, campaign, stage and status: one running total, which no numeric(18, 2) holds."""
    account, source = await gql.account("rep1"), f"amounts-{uuid.uuid4().hex[:6]}"
    first = await gql.opportunity("rep1", LARGEST, accountId=account, source=source)
    made = await gql.rest(
        "POST",
        "/api/v1/opportunities",
        "rep1",
        json={"name": "第二", "account_id": account, "amount": "1", "source": source},
    )
    assert (made.status_code, made.json()["amount"]) == (201, "1.00")
    second = made.json()["id"]
    assert (await gql.ok(UPDATE, {"id": second, "i": {"amount": LARGEST}}, "rep1"))["updateOpportunity"] == {
        "amount": LARGEST
    }
    patched = await gql.rest("PATCH", f"/api/v1/opportunities/{second}", "rep1", json={"amount": "0.01"})
    assert (patched.status_code, patched.json()["amount"]) == (200, "0.01")
    for opportunity in (first, second):
        await gql.ok(CLOSE, {"id": opportunity}, "rep1")

    funnel = "query($s: String!) { funnel(filter: {source: $s}) { total won averageDealSize } }"
    forecast = "query($p: String!) { forecast(period: $p) { closedWon } }"
    assert (await gql.ok(funnel, {"s": source}, "rep1"))["funnel"] == {
        "total": 2,
        "won": 2,
        "averageDealSize": "5000000000000000.00",  # (9999999999999999.99 + 0.01) / 2
    }
    month = current("month").key
    assert (await gql.ok(forecast, {"p": month}, "rep1"))["forecast"] == {"closedWon": "10000000000000000.00"}


async def test_the_forecast_snapshot_of_an_owner_with_two_of_the_largest_amounts_holds_their_sum(gql, app, persona):
    for _ in range(2):
        await gql.opportunity("rep1", LARGEST, expectedCloseDate="2041-03-10", forecastCategory="commit")
    async with app.state.db.unit_of_work() as uow:
        await app.state.sales.analytics.take_snapshots(uow, dt.date(2041, 3, 1))
    async with app.state.db.read() as session:
        month = await session.scalar(
            select(ForecastSnapshot).where(
                ForecastSnapshot.period == "2041-03", ForecastSnapshot.owner_id == persona["rep1"].user_id
            )
        )
    assert (str(month.commit), str(month.best_case)) == ("19999999999999999.98", "19999999999999999.98")


async def test_a_malformed_amount_is_refused_at_its_field_alike_through_graphql_and_rest(gql):
    account = await gql.account("rep1")
    for written in ("1,,,,", "1,000.5,5", "abc", "1e3", "１２", "12,80"):
        graphql = await gql.error(
            CREATE, {"i": {"name": "x", "accountId": account, "amount": written}}, "rep1", "BAD_USER_INPUT", "zh-CN"
        )
        rest = await gql.rest(
            "POST",
            "/api/v1/opportunities",
            "rep1",
            json={"name": "x", "account_id": account, "amount": written},
            headers={"Accept-Language": "zh-CN"},
        )
        said = "字段“amount”不是有效的数字（如 12800.50）"
        assert (graphql["extensions"], graphql["message"]) == ({"code": "BAD_USER_INPUT", "field": "amount"}, said)
        assert (rest.status_code, rest.json()["field"], rest.json()["detail"]) == (422, "amount", said), written
    english = await gql.rest(
        "POST", "/api/v1/opportunities", "rep1", json={"account_id": account, "name": "x", "amount": "abc"}
    )
    assert english.json()["detail"] == "Field 'amount' is not a decimal number such as 12800.50"
    assert await count(gql) == 0


async def test_an_amount_finer_than_a_cent_is_refused_never_rounded(gql):
    account = await gql.account("rep1")
    for written in ("0.001", "12.345"):
        graphql = await gql.error(
            CREATE, {"i": {"name": "x", "accountId": account, "amount": written}}, "rep1", "BAD_USER_INPUT"
        )
        rest = await gql.rest(
            "POST", "/api/v1/opportunities", "rep1", json={"name": "x", "account_id": account, "amount": written}
        )
        said = "Field 'amount' allows at most 2 decimal places"
        assert (graphql["extensions"], graphql["message"]) == (
            {"code": "BAD_USER_INPUT", "field": "amount", "places": 2},
            said,
        )
        assert (rest.status_code, rest.json()["field"], rest.json()["detail"]) == (422, "amount", said), written
    made = await gql.opportunity("rep1", "100.00", accountId=account)
    finer = await gql.error(UPDATE, {"id": made, "i": {"amount": "0.005"}}, "rep1", "BAD_USER_INPUT", "zh-CN")
    patched = await gql.rest("PATCH", f"/api/v1/opportunities/{made}", "rep1", json={"amount": "1,000.5,5"})
    assert (finer["extensions"]["field"], finer["message"]) == ("amount", "字段“amount”最多保留 2 位小数")
    assert (patched.status_code, patched.json()["field"]) == (422, "amount")
    assert (await gql.ok("query($id: ID!) { opportunity(id: $id) { amount } }", {"id": made}, "rep1")) == {
        "opportunity": {"amount": "100.00"}
    }


async def test_thousands_separators_and_trailing_zeros_are_read_as_written(gql):
    account = await gql.account("rep1")
    graphql = await gql.ok(CREATE, {"i": {"name": "x", "accountId": account, "amount": "1,000.50"}}, "rep1")
    rest = await gql.rest(
        "POST", "/api/v1/opportunities", "rep1", json={"name": "x", "account_id": account, "amount": " 12.340 "}
    )
    assert graphql["createOpportunity"]["amount"] == "1000.50"
    assert (rest.status_code, rest.json()["amount"]) == (201, "12.34")


async def test_a_quote_whose_totals_no_money_column_holds_is_refused_by_field(gql):
    listed = await gql.product(price=LARGEST)
    opportunity = await gql.opportunity()
    below_list = {"productId": listed, "quantity": "2", "unitPrice": "1"}  # 2 × the largest list price
    at_list = {"productId": listed, "quantity": "1"}

    lines = await gql.error(QUOTE, {"i": {"opportunityId": opportunity, "lines": [below_list]}}, code="BAD_USER_INPUT")
    taxed = await gql.error(
        QUOTE, {"i": {"opportunityId": opportunity, "lines": [at_list], "taxRate": "13"}}, code="BAD_USER_INPUT"
    )

    assert (lines["extensions"]["field"], taxed["extensions"]["field"]) == ("lines", "taxRate")
    assert lines["message"] == f"Field 'lines' is out of range: at most {LARGEST} in absolute value"


async def test_a_quote_priced_far_above_its_list_price_shows_its_markup_as_a_negative_discount(gql):
    product = await gql.product(price="1.00")
    opportunity = await gql.opportunity()
    line = {"productId": product, "quantity": "1", "unitPrice": "100000"}

    made = await gql.ok(QUOTE, {"i": {"opportunityId": opportunity, "lines": [line]}})

    assert made["createQuote"] == {"total": "100000.00", "effectiveDiscount": "-9999900.00"}


async def test_receivables_of_two_invoices_of_the_largest_amount_add_up_exactly(gql):
    product = await gql.product(price=LARGEST)
    for _ in range(2):
        opportunity = await gql.opportunity("rep1")
        quote = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }"
        lines = [{"productId": product, "quantity": "1"}]
        made = (await gql.ok(quote, {"i": {"opportunityId": opportunity, "lines": lines}}, "rep1"))["createQuote"]
        await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": made["id"]}, "rep1")
        accepted = await gql.ok(
            "mutation($id: ID!) { acceptQuote(id: $id) { order { id total } } }", {"id": made["id"]}, "rep1"
        )
        order = accepted["acceptQuote"]["order"]
        assert order["total"] == LARGEST
        await gql.ok("mutation($o: ID!) { issueInvoice(orderId: $o) { id } }", {"o": order["id"]}, "manager")

    aging = await gql.ok("{ receivablesAging { total buckets { label amount count } } }", None, "manager")

    assert aging["receivablesAging"]["total"] == "19999999999999999.98"
    assert aging["receivablesAging"]["buckets"][0] == {"label": "0-30", "amount": "19999999999999999.98", "count": 2}
