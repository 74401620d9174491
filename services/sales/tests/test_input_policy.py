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


async def test_a_day_off_the_calendar_is_refused_wherever_a_date_is_taken(gql):
    """9999-12-31 would be stored as PostgreSQL's `infinity`, and the aging report's days past due overflow."""
    for query, variables in (
        ('{ receivablesAging(asOf: "9999-12-31") { total } }', None),
        ("query($d: Date) { receivablesAging(asOf: $d) { total } }", {"d": "0001-01-01"}),
    ):
        error = await gql.error(query, variables, "admin", "BAD_USER_INPUT", "en")

        assert error["extensions"] == {
            "code": "BAD_USER_INPUT",
            "field": "asOf",
            "minimum": "1900-01-01",
            "maximum": "2199-12-31",
        }, query


async def test_an_impossible_date_written_in_an_input_names_its_field_and_writes_nothing(gql):
    account = await gql.account()
    fields = f'name: "日期商机", accountId: "{account}", amount: "100.00", expectedCloseDate: "2026-02-30"'
    mutation = "mutation { createOpportunity(input: {" + fields + "}) { id } }"

    error = await gql.error(mutation, None, "rep1", "BAD_USER_INPUT", "zh-CN")

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "expectedCloseDate", "type": "Date"}
    assert error["message"] == "字段“expectedCloseDate”的值无效：应为 Date 类型"
    assert await count(gql) == 0


async def test_a_funnel_period_that_is_none_is_refused_at_period_in_graphql_and_rest(gql):
    graphql = await gql.error('{ funnel(filter: {period: "9999-12"}) { total } }', None, "manager", "BAD_USER_INPUT")
    rest = await gql.rest("GET", "/api/v1/funnel", "manager", params={"period": "9999-12"})

    assert graphql["extensions"]["field"] == "period"
    assert (rest.status_code, rest.json()["field"]) == (422, "period")
    assert rest.json()["detail"] == "Field 'period' must be a year (2026), a quarter (2026-Q4) or a month (2026-11)"


async def test_a_target_for_a_unit_unknown_or_out_of_reach_is_bad_input_at_unit_id(gql, persona):
    target = """mutation($u: ID!) { setTarget(period: "2026-11", metric: "won_amount", amount: "1000", unitId: $u) {
        unitId amount } }"""
    unknown, other_team = str(uuid.uuid4()), str(persona["rep3"].unit_id)

    said = [
        await gql.error(target, {"u": unit}, caller, "BAD_USER_INPUT", "zh-CN")
        for unit, caller in ((unknown, "manager"), (other_team, "manager"), (unknown, "admin"))
    ]

    assert [(e["extensions"], e["message"]) for e in said] == [
        ({"code": "BAD_USER_INPUT", "field": "unitId"}, "字段“unitId”：部门不存在或不在您的权限范围内")
    ] * 3
    assert (await gql.ok(target, {"u": other_team}, "admin"))["setTarget"] == {
        "unitId": other_team,
        "amount": "1000.00",
    }


async def test_an_opportunitys_name_currency_or_forecast_category_given_as_null_is_refused_not_ignored(gql):
    opportunity = await gql.opportunity()
    update = "mutation($id: ID!, $i: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $i) { id } }"
    shown = "query($id: ID!) { opportunity(id: $id) { name currency forecastCategory } }"
    before = await gql.ok(shown, {"id": opportunity}, "rep1")

    for graphql, rest in (("name", "name"), ("currency", "currency"), ("forecastCategory", "forecast_category")):
        refused = await gql.error(update, {"id": opportunity, "i": {graphql: None}}, "rep1", "BAD_USER_INPUT")
        patched = await gql.rest("PATCH", f"/api/v1/opportunities/{opportunity}", "rep1", json={rest: None})

        assert (refused["extensions"]["field"], refused["message"]) == (graphql, f"Field '{graphql}' is required")
        assert (patched.status_code, patched.json()["field"]) == (422, rest)
    assert await gql.ok(shown, {"id": opportunity}, "rep1") == before
    renamed = await gql.rest("PATCH", f"/api/v1/opportunities/{opportunity}", "rep1", json={"name": "新名称"})
    assert (renamed.status_code, renamed.json()["name"]) == (200, "新名称")


async def test_a_web_form_filled_in_no_time_a_person_could_take_is_refused_and_makes_no_lead(app, gql):
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.41", 5000)), base_url="http://sales"
    ) as client:
        sent = [
            await client.post(
                "/api/v1/public/web-form",
                json={"company": "无时填表公司", "contact_name": "访客", "email": "t@example.cn", "filled_seconds": s},
            )
            for s in ("NaN", "Infinity", -1)
        ]

    assert [(r.status_code, r.json()["field"]) for r in sent] == [(422, "filled_seconds")] * 3
    assert (await gql.ok("{ leads { totalCount } }"))["leads"]["totalCount"] == 0
    assert (await gql.ok("{ quarantinedSubmissions { totalCount } }"))["quarantinedSubmissions"]["totalCount"] == 0


async def test_web_form_spam_is_listed_by_its_names_as_a_lead_would_hold_them(app, gql):
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.42", 5000)), base_url="http://sales"
    ) as client:
        sent = await client.post(
            "/api/v1/public/web-form",
            json={"company": "  机器人公司  ", "contact_name": " 访客 ", "email": "b@example.cn", "website": "x"},
        )
    spam = "{ quarantinedSubmissions { edges { node { company contactName } } } }"

    assert sent.status_code == 202
    listed = (await gql.ok(spam))["quarantinedSubmissions"]["edges"]
    assert [e["node"] for e in listed] == [{"company": "机器人公司", "contactName": "访客"}]
