"""A product listed in one currency on a deal in another: priced, and its discount measured, in the deal's currency."""

import uuid

QUOTE = """mutation($i: CreateQuoteInput!) { createQuote(input: $i) {
    id currency effectiveDiscount lines { listPrice unitPrice total } } }"""
SUBMIT = "mutation($id: ID!) { submitQuote(id: $id) { status } }"


async def product_in(gql, price, currency):
    data = {"code": f"P-{uuid.uuid4().hex[:8]}", "name": "进口设备", "listPrice": price, "currency": currency}
    made = await gql.ok("mutation($i: ProductInputFields!) { createProduct(input: $i) { id } }", {"i": data})
    return made["createProduct"]["id"]


async def test_a_product_listed_in_yuan_is_quoted_in_dollars_on_a_dollar_deal(gql):
    product = await product_in(gql, "36000", "CNY")
    deal = await gql.opportunity("rep1", "5000", name="usd deal", currency="USD")
    made = await gql.ok(QUOTE, {"i": {"opportunityId": deal, "lines": [{"productId": product}]}}, "rep1")
    # 36000 CNY at 7.10 CNY to the dollar: 5070.4225… USD, half-up to the cent
    assert made["createQuote"]["currency"] == "USD"
    assert made["createQuote"]["lines"] == [{"listPrice": "5070.42", "unitPrice": "5070.42", "total": "5070.42"}]
    assert made["createQuote"]["effectiveDiscount"] == "0.00"


async def test_a_dollar_product_sold_at_its_dollar_figure_on_a_yuan_deal_is_a_deep_discount_to_approve(gql):
    product = await product_in(gql, "10000", "USD")
    deal = await gql.opportunity("rep1", "10000")
    listed = await gql.ok(QUOTE, {"i": {"opportunityId": deal, "lines": [{"productId": product}]}}, "rep1")
    assert listed["createQuote"]["lines"] == [{"listPrice": "71000.00", "unitPrice": "71000.00", "total": "71000.00"}]

    cut = {"opportunityId": deal, "lines": [{"productId": product, "unitPrice": "10000"}]}
    quote = (await gql.ok(QUOTE, {"i": cut}, "rep1"))["createQuote"]
    assert (quote["currency"], quote["effectiveDiscount"]) == ("CNY", "85.92")  # 1 − 10000/71000
    assert (await gql.ok(SUBMIT, {"id": quote["id"]}, "rep1"))["submitQuote"]["status"] == "pending_approval"


async def test_a_price_book_in_the_deals_currency_prices_a_product_listed_in_another(gql):
    product = await product_in(gql, "36000", "CNY")
    book = {
        "name": f"USD-A{uuid.uuid4().hex[:6]}",
        "currency": "USD",
        "customerLevel": "A",
        "entries": [{"productId": product, "price": "4800"}],
    }
    await gql.ok("mutation($i: CreatePriceBookInput!) { createPriceBook(input: $i) { id } }", {"i": book})
    deal = await gql.opportunity("rep1", "5000", currency="USD", accountId=await gql.account("rep1", level="A"))
    quote = (await gql.ok(QUOTE, {"i": {"opportunityId": deal, "lines": [{"productId": product}]}}, "rep1"))[
        "createQuote"
    ]
    assert quote["lines"] == [{"listPrice": "5070.42", "unitPrice": "4800.00", "total": "4800.00"}]
    assert quote["effectiveDiscount"] == "5.33"  # 1 − 4800/5070.42


async def test_opportunity_lines_take_the_converted_list_price(gql):
    product = await product_in(gql, "36000", "CNY")
    deal = await gql.opportunity("rep1", None, currency="USD")
    lines = await gql.ok(
        'mutation($id: ID!, $p: ID!) { setOpportunityLines(id: $id, lines: [{productId: $p, quantity: "2"}]) '
        "{ amount currency lines { unitPrice total } } }",
        {"id": deal, "p": product},
        "rep1",
    )
    assert lines["setOpportunityLines"] == {
        "amount": "10140.84",
        "currency": "USD",
        "lines": [{"unitPrice": "5070.42", "total": "10140.84"}],
    }


async def test_a_list_price_too_large_once_converted_is_refused_at_its_line(gql):
    product = await product_in(gql, "9000000000000000", "USD")
    deal = await gql.opportunity("rep1", "1")
    refused = await gql.error(
        QUOTE, {"i": {"opportunityId": deal, "lines": [{"productId": product}]}}, "rep1", code="BAD_USER_INPUT"
    )
    assert refused["extensions"]["field"] == "lines[0].productId"
