"""Saved views of the accounts list: validated, private to their owner unless shared with the owner's unit."""

SAVE = """mutation($i: SaveViewInput!) { saveView(input: $i) { id name filter orderBy shared } }"""
VIEWS = '{ savedViews(list: "accounts") { name filter orderBy shared } }'
DELETE = "mutation($id: ID!) { deleteView(id: $id) }"
STAGES = "prospect, new, active, loyal, at_risk, churned"


async def test_a_view_keeps_its_filter_and_sort_and_is_private_unless_shared(gql):
    filter_ = {"level": "A", "tags": ["重点", " "], "custom": {"tier": "gold"}, "search": "  "}
    made = await gql.ok(
        SAVE, {"i": {"list": "accounts", "name": "A 级重点", "filter": filter_, "orderBy": "NAME_ASC"}}, "rep1"
    )
    assert made["saveView"]["filter"] == {"level": "A", "tags": ["重点"], "custom": {"tier": "gold"}}
    await gql.ok(
        SAVE, {"i": {"list": "accounts", "name": "团队公海", "filter": {"inPool": True}, "shared": True}}, "rep1"
    )

    assert (await gql.ok(VIEWS, None, "rep1"))["savedViews"] == [
        {"name": "A 级重点", "filter": made["saveView"]["filter"], "orderBy": "NAME_ASC", "shared": False},
        {"name": "团队公海", "filter": {"inPool": True}, "orderBy": None, "shared": True},
    ]
    assert [v["name"] for v in (await gql.ok(VIEWS, None, "rep2"))["savedViews"]] == ["团队公海"]
    assert (await gql.ok(VIEWS, None, "rep3"))["savedViews"] == []


async def test_only_the_owner_renames_or_deletes_a_view(gql):
    shared = (await gql.ok(SAVE, {"i": {"list": "accounts", "name": "共享", "shared": True}}, "rep1"))["saveView"]
    other = {"i": {"id": shared["id"], "list": "accounts", "name": "改名"}}
    assert (await gql(SAVE, other, "rep2"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(DELETE, {"id": shared["id"]}, "rep2"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    renamed = (await gql.ok(SAVE, other, "rep1"))["saveView"]
    assert (renamed["id"], renamed["name"], renamed["shared"]) == (shared["id"], "改名", False)
    assert (await gql.ok(VIEWS, None, "rep2"))["savedViews"] == []
    assert (await gql.ok(DELETE, {"id": shared["id"]}, "rep1"))["deleteView"] is True
    assert (await gql.ok(VIEWS, None, "rep1"))["savedViews"] == []


async def test_bad_views_are_refused_naming_the_field_and_nothing_is_kept(gql):
    await gql.ok(SAVE, {"i": {"list": "accounts", "name": "我的视图"}}, "rep1")
    cases = (
        ({"list": "orders", "name": "x"}, "list", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "  "}, "name", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "x", "filter": {"colour": "red"}}, "filter.colour", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "x", "filter": {"level": 3}}, "filter.level", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "x", "filter": {"ownerId": "me"}}, "filter.ownerId", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "x", "filter": [1]}, "filter", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "x", "orderBy": "RANDOM"}, "orderBy", "BAD_USER_INPUT"),
        ({"list": "accounts", "name": "我的视图"}, "name", "CONFLICT"),
    )
    for value, field, code in cases:
        [error] = (await gql(SAVE, {"i": value}, "rep1"))["errors"]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == (code, field), value
    conflict = await gql(SAVE, {"i": {"list": "accounts", "name": "我的视图"}}, "rep1", "zh-CN")
    assert conflict["errors"][0]["message"] == "您已有同名的视图"
    assert [v["name"] for v in (await gql.ok(VIEWS, None, "rep1"))["savedViews"]] == ["我的视图"]


async def test_a_refused_view_says_why_in_the_callers_language(gql):
    cases = (
        ({"orderBy": "RANDOM"}, "字段“orderBy”须为以下之一：UPDATED_DESC, CREATED_DESC, NAME_ASC"),
        ({"filter": {"inPool": "yes"}}, "字段“filter.inPool”的值无效：应为 Boolean 类型"),
        ({"filter": {"colour": "red"}}, "此请求不接受字段“filter.colour”"),
        (
            {"filter": {"custom": {"tier": ["gold"]}}},
            "字段“filter.custom”的值只能是不超过 200 个字符的文本、数字或布尔值，键名最多 50 个字符",
        ),
    )
    for value, message in cases:
        [error] = (await gql(SAVE, {"i": {"list": "accounts", "name": "x", **value}}, "rep1", "zh-CN"))["errors"]
        assert error["message"] == message, value
    assert (await gql.ok(VIEWS, None, "rep1"))["savedViews"] == []


async def test_a_view_keeps_every_filter_of_the_accounts_list_but_exact_phone_and_email(gql):
    fields = (
        '{ __type(name: "AccountFilter") { inputFields { name type { kind name ofType { name ofType { name } } } } } }'
    )
    samples = {
        "String": "华东",
        "ID": "00000000-0000-4000-8000-000000000001",
        "Boolean": True,
        "JSON": {"tier": "gold"},
    }
    chosen = {"level": "A", "size": "20-99", "lifecycleStage": "active"}  # texts the list takes from a few only
    filter_ = {}
    taken = (await gql.ok(fields, None, "rep1"))["__type"]["inputFields"]
    for field in [f for f in taken if f["name"] not in ("phone", "email")]:  # personal: refused below
        kind = field["type"]["name"] or field["type"]["ofType"]["ofType"]["name"]
        sample = chosen.get(field["name"], samples[kind])
        filter_[field["name"]] = [sample] if field["type"]["kind"] == "LIST" else sample
    made = await gql.ok(SAVE, {"i": {"list": "accounts", "name": "全部条件", "filter": filter_}}, "rep1")
    assert made["saveView"]["filter"] == filter_
    assert len(filter_) == len(taken) - 2
    [error] = (await gql(SAVE, {"i": {"list": "accounts", "name": "x", "filter": {"phone": "13800000000"}}}, "rep1"))[
        "errors"
    ]
    assert error["extensions"]["field"] == "filter.phone"


async def test_a_filter_the_accounts_list_refuses_is_refused_at_its_field_when_the_view_is_saved(gql):
    listed = "query($f: AccountFilter) { accounts(filter: $f) { totalCount } }"
    cases = (
        ({"search": "%"}, "search", "Field '{}' has no characters to search for"),
        ({"lifecycleStage": "zombie"}, "lifecycleStage", "Field '{}' must be one of: " + STAGES),
        ({"level": "Q"}, "level", "Field '{}' must be one of: A, B, C, D"),
        ({"size": "huge"}, "size", "Field '{}' must be one of: 1-19, 20-99, 100-499, 500-999, 1000+"),
        (
            {"industry": "制造", "lifecycleStage": "zombie", "level": "Q"},
            "level",
            "Field '{}' must be one of: A, B, C, D",
        ),
    )
    for filter_, field, message in cases:
        [refused] = (await gql(listed, {"f": filter_}, "rep1"))["errors"]
        assert (refused["extensions"]["field"], refused["message"]) == (field, message.format(field)), filter_
        [error] = (await gql(SAVE, {"i": {"list": "accounts", "name": "坏视图", "filter": filter_}}, "rep1"))["errors"]
        saved = f"filter.{field}"
        assert (error["extensions"]["field"], error["message"]) == (saved, message.format(saved)), filter_
    assert (await gql.ok(VIEWS, None, "rep1"))["savedViews"] == []
