"""The input policy as a client meets it in customer: refusals name the field, in both languages, and
leave nothing written."""

import uuid

from crm_shared.db.pages import encode_cursor
from customer.accounts.service import ORDERS

CREATE = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
ACCOUNTS = "query($a: String) { accounts(first: 5, after: $a) { totalCount } }"


async def count(gql) -> int:
    return (await gql.ok("{ accounts { totalCount } }"))["accounts"]["totalCount"]


async def test_u0000_in_an_account_name_is_bad_input_naming_the_field_through_graphql_and_rest(gql):
    body = await gql(CREATE, {"i": {"name": "华为\x00技术"}}, "rep1", "zh-CN")
    inline = await gql('mutation { createAccount(input: {name: "a\\u0000b"}) { id } }', as_="rep1")
    rest = await gql.rest("POST", "/api/v1/accounts", "rep1", json={"name": "华为\u0000技术"})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    assert body["errors"][0]["message"] == "字段“name”包含控制字符（如 U+0000）或不允许的换行"
    assert inline["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    assert rest.status_code == 422
    assert rest.headers["content-type"] == "application/problem+json"
    assert (rest.json()["code"], rest.json()["field"]) == ("BAD_USER_INPUT", "name")
    assert await count(gql) == 0


async def test_a_name_of_invisible_characters_and_an_over_long_one_are_refused(gql):
    invisible = await gql(CREATE, {"i": {"name": "\u200b\u3164\u200b"}}, "rep1")
    long = await gql(CREATE, {"i": {"name": "长" * 201}}, "rep1")

    assert invisible["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    assert invisible["errors"][0]["message"] == "Field 'name' must contain visible characters"
    assert long["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "name", "maximum": 200}
    assert await count(gql) == 0


async def test_a_name_beside_another_but_for_a_character_that_shows_nothing_is_refused_at_its_field(gql):
    """星辰\u200b科技有限公司 would sit next to 星辰科技有限公司 looking the same, past the duplicate check."""
    await gql.account("rep1", name="星辰科技有限公司")
    account = await gql.account("rep1")
    before = await count(gql)

    for hidden in ("\u200b", "\u00ad", "\u2060", "\ufeff", "\u034f"):
        name = f"星辰{hidden}科技有限公司"
        graphql = await gql.error(CREATE, {"i": {"name": name}}, "rep1", "BAD_USER_INPUT", "zh-CN")
        rest = await gql.rest("POST", "/api/v1/accounts", "rep1", json={"name": name})
        contact = await gql.error(
            "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
            {"i": {"accountId": account, "name": f"张{hidden}三"}},
            "rep1",
            "BAD_USER_INPUT",
        )
        assert graphql["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}, hex(ord(hidden))
        assert graphql["message"] == "字段“name”包含不显示的格式字符（如 U+200B 零宽空格、U+00AD 软连字符）"
        assert (rest.status_code, rest.json()["field"]) == (422, "name")
        assert contact["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    assert await count(gql) == before


async def test_a_website_that_is_no_web_address_is_refused_and_one_without_a_scheme_is_kept(gql):
    script = await gql(CREATE, {"i": {"name": "脚本公司", "website": "javascript:alert(1)"}}, "rep1", "zh-CN")
    rest = await gql.rest("POST", "/api/v1/accounts", "rep1", json={"name": "脚本公司", "website": "data:text/html,x"})

    assert script["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "website"}
    assert script["errors"][0]["message"] == "字段“website”须为 http 或 https 地址"
    assert (rest.status_code, rest.json()["field"]) == (422, "website")
    assert await count(gql) == 0
    made = await gql.ok(
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { website } }",
        {"i": {"name": "大疆创新", "website": "www.dji.com"}},
        "rep1",
    )
    assert made == {"createAccount": {"website": "www.dji.com"}}


async def test_malformed_cursors_and_ids_are_bad_input_not_server_errors(gql):
    for cursor in ("%%%", "bm90LWpzb24", "W10", "x" * 3000):
        error = await gql.error(ACCOUNTS, {"a": cursor}, code="BAD_USER_INPUT")
        assert error["extensions"]["field"] == "after", cursor
    error = await gql.error("query($id: ID!) { account(id: $id) { id } }", {"id": "42"}, code="BAD_USER_INPUT")
    listed = await gql.rest("GET", "/api/v1/accounts", params={"cursor": "not-a-cursor"})
    missing = await gql.rest("GET", "/api/v1/accounts/not-a-uuid")

    assert error["extensions"]["field"] == "id"
    assert (listed.status_code, listed.json()["field"]) == (422, "cursor")
    assert missing.status_code == 422


PAGE = "query($a: String, $o: AccountOrder) { accounts(first: 1, orderBy: $o, after: $a) { pageInfo { endCursor } } }"


async def test_a_cursor_with_a_nul_character_or_of_another_list_or_order_is_refused_at_its_field(gql):
    for name in ("甲公司", "乙公司"):
        await gql.account("rep1", name=name)
    updated = (await gql.ok(PAGE, {}, "rep1"))["accounts"]["pageInfo"]["endCursor"]
    nul = encode_cursor(ORDERS["NAME_ASC"].name, ["a\u0000", str(uuid.uuid4())])
    contacts = "query($a: String) { contacts(first: 1, after: $a) { totalCount } }"

    refused = [
        await gql.error(PAGE, {"a": nul, "o": "NAME_ASC"}, "rep1", "BAD_USER_INPUT", "zh-CN"),
        await gql.error(PAGE, {"a": updated, "o": "NAME_ASC"}, "rep1", "BAD_USER_INPUT"),
        await gql.error(contacts, {"a": updated}, "rep1", "BAD_USER_INPUT"),
    ]
    rest = await gql.rest(
        "GET", "/api/v1/accounts", "rep1", params={"cursor": nul}, headers={"Accept-Language": "zh-CN"}
    )

    assert [e["extensions"]["field"] for e in refused] == ["after", "after", "after"]
    assert refused[0]["message"] == "字段“after”不是本列表返回的有效游标"
    assert (rest.status_code, rest.json()["field"], rest.json()["detail"]) == (
        422,
        "cursor",
        "字段“cursor”不是本列表返回的有效游标",
    )
    assert (await gql.ok(PAGE, {"a": updated}, "rep1"))["accounts"]["pageInfo"]["endCursor"] != updated


async def test_rest_names_a_refused_filter_as_its_query_parameter(gql):
    for path in ("/api/v1/accounts", "/api/v1/accounts-export"):
        refused = await gql.rest("GET", path, "rep1", params={"lifecycle_stage": "bogus"})
        assert (refused.status_code, refused.json()["field"]) == (422, "lifecycle_stage"), path
        assert refused.json()["detail"] == (
            "Field 'lifecycle_stage' must be one of: prospect, new, active, loyal, at_risk, churned"
        ), path


async def test_rest_refuses_a_parameter_or_body_field_its_route_does_not_take_at_its_name(gql, persona):
    """GraphQL refuses `ownerId` on a new account; REST ignored `owner_id` and the filter `phone` it has not."""
    zh = {"Accept-Language": "zh-CN"}
    owner = str(persona["rep2"].user_id)
    created = await gql.rest(
        "POST", "/api/v1/accounts", "rep1", json={"name": "越权公司", "owner_id": owner}, headers=zh
    )
    filtered = await gql.rest("GET", "/api/v1/accounts", "rep1", params={"phone": "13912345678"}, headers=zh)

    assert (created.status_code, created.json()["field"], created.json()["detail"]) == (
        422,
        "owner_id",
        "此请求不接受字段“owner_id”",
    )
    assert (filtered.status_code, filtered.json()["field"]) == (422, "phone")
    assert await count(gql) == 0


async def test_ten_thousand_tags_are_refused(gql):
    error = await gql.error(
        CREATE, {"i": {"name": "标签公司", "tags": [f"t{n}" for n in range(10_000)]}}, "rep1", "BAD_USER_INPUT"
    )
    many = await gql.error(
        CREATE, {"i": {"name": "标签公司", "tags": [f"t{n}" for n in range(51)]}}, "rep1", "BAD_USER_INPUT"
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "tags", "maximum": 1000}
    assert many["extensions"] == {"code": "BAD_USER_INPUT", "field": "tags", "maximum": 50}


async def test_a_full_width_phone_is_the_same_phone_for_duplicate_checks(gql):
    first = await gql.account("rep1", phone="13912345678")

    body = await gql(
        CREATE, {"i": {"name": f"别名{uuid.uuid4().hex[:4]}", "phone": "１３９－１２３４－５６７８"}}, "rep1"
    )

    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert body["errors"][0]["extensions"]["existingId"] == first


async def test_a_resident_id_number_needs_its_check_digit(gql):
    account = await gql.account("rep1")
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id idNumber } }"
    contact = {"accountId": account, "name": "张三", "idNumber": "110101199003074478"}

    wrong = await gql.error(create, {"i": contact}, "rep1", "BAD_USER_INPUT", "zh-CN")
    right = await gql.ok(create, {"i": {**contact, "idNumber": "11010519491231002x"}}, "rep1")

    assert wrong["extensions"] == {"code": "BAD_USER_INPUT", "field": "idNumber"}
    assert wrong["message"] == "字段“idNumber”不是有效的居民身份证号（18 位，校验码须符合 GB 11643）"
    assert right["createContact"]["idNumber"] == "11010519491231002X"
