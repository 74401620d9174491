"""A role refused for what it says is told why in the caller's language, at the field it came in."""

import pytest

ROLE = "mutation($i: CreateRoleInput!) { createRole(input: $i) { key } }"


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        ({"key": "Bad Key"}, "key", "字段“key”须为 2 到 64 个小写字母、数字或下划线，并以字母开头"),
        (
            {"scopes": [{"resource": "customer:account", "scope": "galaxy"}]},
            "scopes",
            "字段“scopes”：customer:account 的数据范围须为以下之一：own, unit, subtree, all",
        ),
        (
            {"maskedFields": ["customer:contact.nope"]},
            "maskedFields",
            "字段“maskedFields”：customer:contact.nope 不是可脱敏的字段",
        ),
    ],
)
async def test_a_bad_role_key_scope_or_masked_field_is_refused_in_the_callers_language(gql, role, field, message):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    body = await gql(ROLE, {"i": {"key": "fine_key", "name": "Fine"} | role}, token=admin, lang="zh-CN")
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"], error["message"]) == (
        "BAD_USER_INPUT",
        field,
        message,
    )
    assert "fine_key" not in {r["key"] for r in (await gql("{ roles { key } }", token=admin))["data"]["roles"]}
