"""Saved views of the accounts list: validated, private to their owner unless shared with the owner's unit."""

SAVE = """mutation($i: SaveViewInput!) { saveView(input: $i) { id name filter orderBy shared } }"""
VIEWS = '{ savedViews(list: "accounts") { name filter orderBy shared } }'
DELETE = "mutation($id: ID!) { deleteView(id: $id) }"


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
