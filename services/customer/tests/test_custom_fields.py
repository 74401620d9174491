"""Custom fields: defined by administrators, validated, filterable and exported."""

import base64
import uuid

DEFINE = "mutation($i: DefineCustomFieldInput!) { defineCustomField(input: $i) { key type options } }"


async def test_custom_fields_are_typed_validated_filtered_and_exported(gql):
    suffix = uuid.uuid4().hex[:6]
    tier, since = f"tier_{suffix}", f"since_{suffix}"
    await gql.ok(
        DEFINE,
        {
            "i": {
                "key": tier,
                "label": "Tier",
                "labelZh": "客户分层",
                "type": "single_choice",
                "options": ["gold", "silver"],
            }
        },
    )
    await gql.ok(DEFINE, {"i": {"key": since, "label": "Customer since", "type": "date"}})
    denied = await gql(DEFINE, {"i": {"key": "x_" + suffix, "label": "X", "type": "text"}}, "rep1")
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    duplicate = await gql(DEFINE, {"i": {"key": tier, "label": "Tier", "type": "text"}}, "admin")
    assert duplicate["errors"][0]["extensions"]["code"] == "CONFLICT"

    gold = await gql.account("rep1", custom={tier: "gold", since: "2020-05-01"})
    await gql.account("rep1", custom={tier: "silver"})
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    for custom, field in (({tier: "platinum"}, tier), ({since: "yesterday"}, since), ({"nope": 1}, "nope")):
        body = await gql(create, {"i": {"name": f"自定义{uuid.uuid4().hex[:6]}", "custom": custom}}, "rep1")
        assert body["errors"][0]["extensions"]["field"] == f"custom.{field}", body

    listed = await gql.ok(
        "query($c: JSON) { accounts(filter: {custom: $c}) { totalCount edges { node { id custom } } } }",
        {"c": {tier: "gold"}},
        "rep1",
    )
    assert [e["node"]["id"] for e in listed["accounts"]["edges"]] == [gold]
    assert listed["accounts"]["edges"][0]["node"]["custom"] == {tier: "gold", since: "2020-05-01"}

    export = "mutation($c: JSON) { exportAccounts(filter: {custom: $c}) { contentBase64 } }"
    content = base64.b64decode((await gql.ok(export, {"c": {tier: "gold"}}, "rep1"))["exportAccounts"]["contentBase64"])
    header, row = content.decode("utf-8-sig").splitlines()[:2]
    assert f"custom.{tier}" in header and "gold" in row
    fields = await gql.ok("{ customFields { key } }", None, "marketing")
    assert tier in [f["key"] for f in fields["customFields"]]


async def test_a_custom_value_or_key_that_does_not_fit_is_refused_in_the_callers_language(gql):
    suffix = uuid.uuid4().hex[:6]
    tiers, score = f"tiers_{suffix}", f"score_{suffix}"
    multi = {"key": tiers, "label": "Tiers", "type": "multi_choice", "options": ["gold", "silver"]}
    await gql.ok(DEFINE, {"i": multi})
    await gql.ok(DEFINE, {"i": {"key": score, "label": "Score", "type": "number"}})
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    said = []
    for custom in ({tiers: ["gold", "bronze"]}, {score: "high"}):
        body = await gql(create, {"i": {"name": f"自定义{suffix}", "custom": custom}}, "rep1", "zh-CN")
        said.append(body["errors"][0]["message"])
    assert said == [
        f"字段“custom.{tiers}”只能包含以下值：gold, silver",
        f"字段“custom.{score}”不是有效的数字（如 12800.50）",
    ]
    wrong = (await gql(DEFINE, {"i": {"key": "Tier", "label": "Tier", "type": "text"}}, "admin", "zh-CN"))["errors"][0]
    assert (wrong["extensions"]["field"], wrong["message"]) == (
        "key",
        "字段“key”须以小写字母开头，且只能包含小写字母、数字和下划线",
    )
    listed = await gql.ok(
        "query($s: String) { accounts(filter: {search: $s}) { totalCount } }", {"s": f"自定义{suffix}"}
    )
    assert listed["accounts"]["totalCount"] == 0


async def test_custom_values_that_are_not_a_json_object_are_the_clients_error(gql):
    account = await gql.account("rep1")
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    update = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { id } }"
    contact = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
    listed = "query($c: JSON) { accounts(filter: {custom: $c}) { totalCount } }"
    for query, variables in (
        (create, {"i": {"name": f"自定义{uuid.uuid4().hex[:6]}", "custom": ["gold"]}}),
        (update, {"id": account, "i": {"custom": "gold"}}),
        (contact, {"i": {"accountId": account, "name": "张三", "custom": 1}}),
        (listed, {"c": "gold"}),
    ):
        body = await gql(query, variables, "rep1")
        error = body["errors"][0]["extensions"]
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "custom"), body


async def test_options_repeated_or_holding_a_comma_are_refused_at_their_position_and_nothing_is_defined(gql):
    repeated = "Field '{}' repeats an option given before it"
    cases = (
        (["a", "a", " a "], "options[1]", repeated.format("options[1]")),
        (["a", "b", " a "], "options[2]", repeated.format("options[2]")),
        (
            ["gold", "silver, bronze"],
            "options[1]",
            "Field 'options[1]' may not hold a comma: a multiple-choice value lists its options separated by commas",
        ),
        (
            ["gold", "a\u202eb"],
            "options[1]",
            "Field 'options[1]' contains characters that change the direction text is shown in "
            "(U+202A-U+202E, U+2066-U+2069)",
        ),
    )
    tiers = {"key": "pc_tiers", "label": "Tiers", "type": "multi_choice"}
    for options, field, message in cases:
        [error] = (await gql(DEFINE, {"i": {**tiers, "options": options}}, "admin"))["errors"]
        assert (error["extensions"]["field"], error["message"]) == (field, message), options
    said = (await gql(DEFINE, {"i": {**tiers, "options": ["a", "a"]}}, "admin", "zh-CN"))["errors"][0]
    assert said["message"] == "字段“options[1]”与前面的选项重复"
    assert (await gql.ok("{ customFields { key } }", None, "admin"))["customFields"] == []

    made = await gql.ok(DEFINE, {"i": {**tiers, "options": ["gold", " silver ", " "]}})
    assert made["defineCustomField"]["options"] == ["gold", "silver"]
