"""Accounts: validation, duplicates, data scope, search in Chinese and pinyin, soft delete."""

import json
import uuid

import pytest

from crm_shared.testing import read_topic

ACCOUNT = "query($id: ID!) { account(id: $id) { id name level tags phone email lifecycleStage owner { id } } }"
LIST = """query($f: AccountFilter, $first: Int!, $after: String, $o: AccountOrder!) {
  accounts(filter: $f, first: $first, after: $after, orderBy: $o) {
    totalCount totalCountIsExact pageInfo { hasNextPage endCursor } edges { node { id name } } } }"""


async def names(gql, as_, f=None, first=50):
    data = await gql.ok(LIST, {"f": f, "first": first, "o": "NAME_ASC"}, as_)
    return [e["node"]["name"] for e in data["accounts"]["edges"]]


async def test_create_normalises_and_each_role_sees_what_its_scope_allows(gql, persona):
    account_id = await gql.account(
        "rep1",
        level="a",
        phone="+86 138-0013-8001",
        email="Sales@HUAWEI.example.cn",
        tags=["重点客户", " 5G ", "重点客户"],
    )
    shown = (await gql.ok(ACCOUNT, {"id": account_id}, "rep1"))["account"]
    assert shown["level"] == "A" and shown["tags"] == ["5G", "重点客户"]
    assert shown["phone"] == "13800138001" and shown["email"] == "sales@huawei.example.cn"
    assert shown["owner"]["id"] == str(persona["rep1"].user_id) and shown["lifecycleStage"] == "prospect"
    for who, visible in (
        ("manager", True),
        ("admin", True),
        ("marketing", True),
        ("rep2", False),
        ("rep3", False),
    ):
        body = await gql(ACCOUNT, {"id": account_id}, who)
        if visible:
            assert body["data"]["account"]["id"] == account_id, who
        else:
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", who


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"level": "Z"}, "level"),
        ({"phone": "12"}, "phone"),
        ({"email": "not-mail"}, "email"),
        ({"name": " "}, "name"),
    ],
)
async def test_invalid_input_names_the_field_in_both_languages(gql, fields, field):
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    data = {"name": f"校验{uuid.uuid4().hex[:6]}", **fields}
    for lang in ("en", "zh-CN"):
        body = await gql(create, {"i": data}, "rep1", lang)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == field
        assert field in error["message"]


async def test_duplicates_are_detected_by_name_phone_or_email(gql):
    name = f"重复{uuid.uuid4().hex[:6]}科技有限公司"
    first = await gql.account("rep1", name=name, phone="13912345678")
    create = "mutation($i: CreateAccountInput!, $d: Boolean!) { createAccount(input: $i, allowDuplicate: $d) { id } }"
    for variant, field in (
        ({"name": name.replace("有限公司", "")}, "name"),
        ({"name": "别名公司" + uuid.uuid4().hex[:4], "phone": "139-1234-5678"}, "phone"),
    ):
        body = await gql(create, {"i": variant, "d": False}, "rep2", "zh-CN")
        assert body["errors"][0]["extensions"] == {"code": "CONFLICT", "field": field}  # rep1's: not named to rep2
        assert body["errors"][0]["message"] == "已存在名称、电话或邮箱相同的客户"
        seen = await gql(create, {"i": variant, "d": False}, "manager")
        assert seen["errors"][0]["extensions"] == {"code": "CONFLICT", "field": field, "existingId": first}
    forced = await gql(create, {"i": {"name": name}, "d": True}, "rep2")
    assert forced["data"]["createAccount"]["id"] != first


async def test_search_finds_chinese_fragments_pinyin_initials_contacts_and_exact_phone(gql):
    marker = uuid.uuid4().hex[:4]
    account_id = await gql.account("rep1", name=f"华为技术有限公司{marker}", phone="13700001111")
    await gql.ok(
        "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
        {"i": {"accountId": account_id, "name": f"任正非{marker}", "role": "decision_maker"}},
        "rep1",
    )
    for query in ("华为", "为技术", "hwjs", f"华为 {marker}"):
        assert f"华为技术有限公司{marker}" in await names(gql, "rep1", {"search": query}), query
    assert await names(gql, "rep1", {"search": f"任正 {marker}"}) == [f"华为技术有限公司{marker}"]
    assert await names(gql, "rep1", {"phone": "137 0000 1111"}) == [f"华为技术有限公司{marker}"]
    assert await names(gql, "rep2", {"search": f"华为 {marker}"}) == []  # outside rep2's scope
    assert await names(gql, "rep1", {"search": "q" * 2100}) == []  # a word over PostgreSQL's 2047 bytes


async def test_an_account_or_contact_without_a_name_is_refused_naming_it(gql):
    nameless = await gql.rest("POST", "/api/v1/accounts", "rep1", json={"name": None, "industry": "无名"})
    assert (nameless.status_code, nameless.json()["field"]) == (422, "name")
    account = await gql.account("rep1")
    contact = 'mutation($a: ID!) { createContact(input: {accountId: $a, title: "CTO"}) { id } }'
    refused = await gql.error(contact, {"a": account}, "rep1", "BAD_USER_INPUT")
    assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    listed = await gql.ok("query($id: ID!) { account(id: $id) { contacts { totalCount } } }", {"id": account}, "rep1")
    assert listed["account"]["contacts"]["totalCount"] == 0


async def test_lists_filter_sort_and_page_with_total_count(gql):
    tag = f"tag{uuid.uuid4().hex[:6]}"
    for n in range(5):
        await gql.account("rep1", name=f"分页{tag}{n}", tags=[tag], level="B", industry="制造")
    page = await gql.ok(LIST, {"f": {"tags": [tag], "level": "B"}, "first": 2, "o": "NAME_ASC"}, "rep1")
    assert (page["accounts"]["totalCount"], page["accounts"]["totalCountIsExact"]) == (5, True)
    seen = [e["node"]["name"] for e in page["accounts"]["edges"]]
    cursor = page["accounts"]["pageInfo"]["endCursor"]
    while cursor:
        more = await gql.ok(LIST, {"f": {"tags": [tag]}, "first": 2, "after": cursor, "o": "NAME_ASC"}, "rep1")
        seen += [e["node"]["name"] for e in more["accounts"]["edges"]]
        cursor = more["accounts"]["pageInfo"]["endCursor"] if more["accounts"]["pageInfo"]["hasNextPage"] else None
    assert seen == [f"分页{tag}{n}" for n in range(5)]
    assert (await gql.ok(LIST, {"f": {"tags": [tag]}, "first": 10, "o": "NAME_ASC"}, "manager"))["accounts"][
        "totalCount"
    ] == 5
    assert (await gql.ok(LIST, {"f": {"tags": [tag]}, "first": 10, "o": "NAME_ASC"}, "rep2"))["accounts"][
        "totalCount"
    ] == 0


async def test_update_is_scoped_and_published(gql, platform_settings, app):
    account_id = await gql.account("rep1")
    update = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { industry level } }"
    denied = await gql(update, {"id": account_id, "i": {"industry": "能源"}}, "rep2")
    assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    done = await gql.ok(update, {"id": account_id, "i": {"industry": "能源", "level": "C"}}, "rep1")
    assert done["updateAccount"] == {"industry": "能源", "level": "C"}
    same = await gql.ok(update, {"id": account_id, "i": {"industry": "能源"}}, "rep1")  # changes nothing: no event
    assert same["updateAccount"] == {"industry": "能源", "level": "C"}
    await gql.ok(update, {"id": account_id, "i": {"level": "B"}}, "rep1")
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.customer.account", 3, match=lambda e: e["subject"] == account_id
    )
    events = [json.loads(r.value) for r in records]
    assert [e["type"] for e in events] == ["account.created", "account.updated", "account.updated"]
    assert events[1]["data"]["industry"] == "能源" and "phone" not in events[1]["data"]
    assert (events[2]["data"]["industry"], events[2]["data"]["level"]) == ("能源", "B")


async def test_soft_delete_hides_and_restore_brings_back(gql):
    account_id = await gql.account("rep1")
    await gql.ok("mutation($id: ID!) { deleteAccount(id: $id) { id } }", {"id": account_id}, "rep1")
    assert (await gql(ACCOUNT, {"id": account_id}, "rep1"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    await gql.ok("mutation($id: ID!) { restoreAccount(id: $id) { id } }", {"id": account_id}, "rep1")
    assert (await gql.ok(ACCOUNT, {"id": account_id}, "rep1"))["account"]["id"] == account_id


async def test_accounts_other_services_name_are_resolved_together_each_by_the_callers_scope(gql):
    """The gateway asks for a page's accounts in one `_entities` call: each answers as `account` would."""
    mine, teammates, deleted = (await gql.account("rep1"), await gql.account("rep2"), await gql.account("rep1"))
    pooled = await gql.account("rep1")
    await gql.ok("mutation($id: ID!) { deleteAccount(id: $id) { id } }", {"id": deleted}, "rep1")
    await gql.ok('mutation($id: ID!) { releaseToPool(id: $id, reason: "客户暂无需求") { id } }', {"id": pooled}, "rep1")
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id inPool } } }"
    refs = [{"__typename": "Account", "id": i} for i in (mine, teammates, deleted, pooled, mine)]
    body = await gql(query, {"r": refs}, "rep1")
    assert body["data"]["_entities"] == [
        {"id": mine, "inPool": False},
        None,
        None,
        {"id": pooled, "inPool": True},
        {"id": mine, "inPool": False},
    ]
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["_entities", 1], "NOT_FOUND"),
        (["_entities", 2], "NOT_FOUND"),
    ]
    seen = await gql(query, {"r": refs[:2]}, "manager")
    assert [e["id"] for e in seen["data"]["_entities"]] == [mine, teammates]


async def test_the_people_a_page_names_show_by_name_from_the_directory(gql):
    """Owners' names come from customer's own directory: the gateway needs no second fetch from identity."""
    ids = [await gql.account("rep1"), await gql.account("rep2")]
    query = (
        "query($f: AccountFilter) { accounts(filter: $f, first: 50) { edges { node { id owner { displayName } } } } }"
    )
    listed = (await gql.ok(query, {"f": {"search": "测试客户"}}, "manager"))["accounts"]["edges"]
    names = {e["node"]["id"]: e["node"]["owner"]["displayName"] for e in listed if e["node"]["id"] in ids}
    assert names == {ids[0]: "rep1", ids[1]: "rep2"}


async def test_percent_underscore_and_backslash_in_a_search_match_only_themselves(gql):
    m = uuid.uuid4().hex[:6]
    for name, tags in (
        (f"折扣500公司 {m}", []),
        (f"折扣50%公司 {m}", []),
        (f"百分%公司 {m}", []),
        (f"满减客户 {m}", ["满50%减"]),
        (f"A_B工作室 {m}", []),
        (f"A B设计室 {m}", []),
        (f"路径\\公司 {m}", []),
        (f"路径公司 {m}", []),
    ):
        await gql.account("rep1", name=name, tags=tags)
    person = await gql.account("rep1", name=f"联系人客户 {m}")
    await gql.ok(
        "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
        {"i": {"accountId": person, "name": "A_B先生"}},
        "rep1",
    )
    for search, found in (
        (f"50% {m}", {f"折扣50%公司 {m}", f"满减客户 {m}"}),
        (f"%公司 {m}", {f"折扣50%公司 {m}", f"百分%公司 {m}"}),
        (f"A_B {m}", {f"A_B工作室 {m}", f"联系人客户 {m}"}),
        (f"径\\公 {m}", {f"路径\\公司 {m}"}),
        (f"50 {m}", {f"折扣500公司 {m}", f"折扣50%公司 {m}", f"满减客户 {m}"}),  # no wildcard: words as before
    ):
        assert set(await names(gql, "rep1", {"search": search})) == found, search
    listed = await gql.rest("GET", "/api/v1/accounts", "rep1", params={"search": f"50% {m}"})
    assert {a["name"] for a in listed.json()["items"]} == {f"折扣50%公司 {m}", f"满减客户 {m}"}

    for lang, message in (
        ("en", "Field 'search' has no characters to search for"),
        ("zh-CN", "字段“search”不含可搜索的字符"),
    ):
        refused = await gql.error(
            LIST, {"f": {"search": "%"}, "first": 5, "o": "NAME_ASC"}, "rep1", "BAD_USER_INPUT", lang
        )
        assert (refused["extensions"]["field"], refused["message"]) == ("search", message)
        rest = await gql.rest(
            "GET", "/api/v1/accounts", "rep1", params={"search": "%"}, headers={"Accept-Language": lang}
        )
        assert (rest.status_code, rest.json()["field"], rest.json()["detail"]) == (422, "search", message)
