"""The input policy as a client meets it in sales: impossible dates, amounts beyond numeric(18, 2) and
wildcards in a search are answered by field, never by a server error."""

import uuid

CREATE = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id amount } }"


async def count(gql) -> int:
    return (await gql.ok("{ opportunities { totalCount } }"))["opportunities"]["totalCount"]


async def test_an_impossible_date_is_bad_input_naming_the_field(gql):
    account = await gql.account()
    data = {"name": "日期商机", "accountId": account, "amount": "100.00", "expectedCloseDate": "2026-02-30"}

    error = await gql.error(CREATE, {"i": data}, "rep1", "BAD_USER_INPUT", "zh-CN")

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "expectedCloseDate", "type": "Date"}
    assert error["message"] == "字段“expectedCloseDate”的值无效：应为 Date 类型"
    assert await count(gql) == 0


async def test_an_amount_of_ten_to_the_seventeen_is_refused_through_graphql_and_rest(gql):
    account = await gql.account()
    data = {"name": "巨额商机", "accountId": account, "amount": "100000000000000000"}

    error = await gql.error(CREATE, {"i": data}, "rep1", "BAD_USER_INPUT")
    rest = await gql.rest(
        "POST", "/api/v1/opportunities", "rep1", json={"name": "巨额商机", "account_id": account, "amount": "1e17"}
    )
    largest = await gql.ok(CREATE, {"i": {**data, "amount": "9999999999999999.99"}}, "rep1")

    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "amount")
    assert (rest.status_code, rest.json()["field"]) == (422, "amount")
    assert largest["createOpportunity"]["amount"] == "9999999999999999.99"
    assert await count(gql) == 1


async def test_a_quote_line_whose_total_would_overflow_is_refused_by_line(gql):
    product = await gql.product(price="9999999999999999.00")
    opportunity = await gql.opportunity()
    quote = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }"
    lines = [{"productId": product, "quantity": "1"}, {"productId": product, "quantity": "2"}]

    error = await gql.error(quote, {"i": {"opportunityId": opportunity, "lines": lines}}, "admin", "BAD_USER_INPUT")

    assert error["extensions"]["field"] == "lines[1].quantity"


async def test_percent_and_underscore_in_a_lead_search_match_themselves(gql):
    marker = uuid.uuid4().hex[:6]
    create = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
    for company in (f"百分百{marker}有限公司", f"100%{marker}科技", f"下划_线{marker}"):
        lead = {"company": company, "contactName": "王五", "email": f"{uuid.uuid4().hex[:8]}@example.com"}
        await gql.ok(create, {"i": lead}, "admin")
    search = "query($s: String!) { leads(filter: {search: $s}) { edges { node { company } } } }"

    async def found(text):
        return [e["node"]["company"] for e in (await gql.ok(search, {"s": text}))["leads"]["edges"]]

    assert await found("%") == [f"100%{marker}科技"]
    assert await found("_") == [f"下划_线{marker}"]
    assert await found(f"%{marker}") == [f"100%{marker}科技"]


async def test_an_impossible_date_given_alone_names_the_argument_it_fills(gql):
    """Written in the query or passed as a variable of its own, the error names `asOf`, never the variable."""
    for query, variables in (
        ('{ receivablesAging(asOf: "2026-02-30") { total } }', None),
        ("query($d: Date) { receivablesAging(asOf: $d) { total } }", {"d": "2026-02-30"}),
    ):
        error = await gql.error(query, variables, "admin", "BAD_USER_INPUT", "en")

        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "asOf", "type": "Date"}, query
        assert error["message"] == "Invalid value for field 'asOf': expected Date", query


async def test_an_impossible_date_written_in_an_input_names_its_field_and_writes_nothing(gql):
    account = await gql.account()
    fields = f'name: "日期商机", accountId: "{account}", amount: "100.00", expectedCloseDate: "2026-02-30"'
    mutation = "mutation { createOpportunity(input: {" + fields + "}) { id } }"

    error = await gql.error(mutation, None, "rep1", "BAD_USER_INPUT", "zh-CN")

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "expectedCloseDate", "type": "Date"}
    assert error["message"] == "字段“expectedCloseDate”的值无效：应为 Date 类型"
    assert await count(gql) == 0
