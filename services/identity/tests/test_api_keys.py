"""Service accounts: scoped tokens for integrations, keys kept only as hashes, deactivation stops them."""

import jwt
from sqlalchemy import text

from crm_shared.service import named

ACCOUNT = """mutation($i: CreateServiceAccountInput!) {
  createServiceAccount(input: $i) { id scopes { resource scope } } }"""
KEY = 'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "erp") { secret key { id } } }'
EXCHANGE = "mutation($k: String!) { apiKeyToken(apiKey: $k) { accessToken } }"


async def account_with_key(gql, admin, permissions, scopes=()):
    made = await gql(ACCOUNT, {"i": {"name": "集成", "permissions": permissions, "scopes": list(scopes)}}, token=admin)
    account = made["data"]["createServiceAccount"]
    return account, (await gql(KEY, {"id": account["id"]}, token=admin))["data"]["createApiKey"]["secret"]


async def test_a_key_yields_a_token_with_only_the_accounts_permissions(gql, client):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    scopes = [{"resource": "identity:user", "scope": "all"}]
    account, secret = await account_with_key(gql, admin, ["identity:user:read"], scopes)
    assert account["scopes"] == scopes
    response = await client.post("/api/v1/auth/token", json={"api_key": secret})
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"
    token = response.json()["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["sub"] == account["id"]
    assert (await gql("{ users { totalCount } }", token=token))["data"]["users"]["totalCount"] == 9
    create = 'mutation { createOrgUnit(input: {name: "集成组"}) { id } }'
    assert (await gql(create, token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_deactivating_the_account_stops_every_key_and_new_ones(gql, client):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    account, secret = await account_with_key(gql, admin, ["customer:account:read"])
    assert "errors" not in await gql(EXCHANGE, {"k": secret})
    deactivate = "mutation($id: ID!) { deactivateServiceAccount(id: $id) { isActive } }"
    assert (await gql(deactivate, {"id": account["id"]}, token=admin))["data"]["deactivateServiceAccount"] == {
        "isActive": False
    }
    refused = await gql(EXCHANGE, {"k": secret}, lang="zh-CN")
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert refused["errors"][0]["message"] == "API 密钥无效或已吊销"
    response = await client.post("/api/v1/auth/token", json={"api_key": secret})
    assert response.status_code == 401 and response.json()["code"] == "UNAUTHENTICATED"
    another = await gql(KEY, {"id": account["id"]}, token=admin)
    assert another["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "serviceAccountId"}


async def test_permissions_and_scopes_outside_the_catalogue_are_refused(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    for permissions, scopes, field in (
        (["identity:user:fly"], [], "permissions"),
        (["*"], [], "permissions"),
        (["customer:account:read"], [{"resource": "customer:account", "scope": "galaxy"}], "scopes"),
    ):
        body = await gql(ACCOUNT, {"i": {"name": "坏", "permissions": permissions, "scopes": scopes}}, token=admin)
        assert body["errors"][0]["extensions"]["field"] == field, body


async def test_a_refused_service_account_says_why_in_the_callers_language(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    read = ["customer:account:read"]
    cases = (
        ({"name": " ", "permissions": read, "scopes": []}, "字段“name”为必填项"),
        ({"name": "集" * 101, "permissions": read, "scopes": []}, "字段“name”过长：最多 100 个字符"),
        (
            {"name": "坏", "permissions": read, "scopes": [{"resource": "customer:account", "scope": "galaxy"}]},
            "字段“scopes”：customer:account 的数据范围须为以下之一：own, unit, subtree, all",
        ),
        (
            {"name": "坏", "permissions": read, "scopes": [{"resource": "customer:galaxy", "scope": "all"}]},
            "未知资源“customer:galaxy”",
        ),
    )
    for data, message in cases:
        error = (await gql(ACCOUNT, {"i": data}, token=admin, lang="zh-CN"))["errors"][0]
        assert (error["extensions"]["code"], error["message"]) == ("BAD_USER_INPUT", message), data


async def test_a_service_account_name_already_taken_is_a_conflict_at_its_field(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    data = {"name": "ERP 集成", "permissions": ["customer:account:read"], "scopes": []}
    assert "errors" not in await gql(ACCOUNT, {"i": data}, token=admin)
    again = await gql(ACCOUNT, {"i": {**data, "permissions": []}}, token=admin, lang="zh-CN")
    [error] = again["errors"]
    assert (error["extensions"], error["message"]) == ({"code": "CONFLICT", "field": "name"}, "该名称的服务账号已存在")
    listed = await gql("{ serviceAccounts { name } }", token=admin)
    assert [a["name"] for a in listed["data"]["serviceAccounts"]].count("ERP 集成") == 1


async def test_the_database_keeps_only_a_hash_of_the_secret(gql, app):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    _, secret = await account_with_key(gql, admin, [])
    async with app.state.db.read() as session:
        rows = (await session.execute(text("SELECT * FROM api_keys"))).all()
    assert rows and not any(secret in str(value) for row in rows for value in row)
    assert not any(secret.rsplit("_", 1)[-1] in str(value) for row in rows for value in row)


async def test_the_demo_data_holds_the_service_accounts_make_run_hands_their_keys(gql, client):
    granted = {
        "support": (
            ["customer:account:read", "customer:task:create"],
            {"customer:account": "all", "customer:task": "all"},
        ),
        "marketing": (
            ["customer:account:read", "customer:task:create", "sales:lead:create"],
            {"customer:account": "all", "customer:task": "all", "sales:lead": "all"},
        ),
    }
    automation = named("automation").calls_as
    assert automation is not None
    granted["automation"] = (sorted(automation.permissions), dict(automation.scopes))
    for service, grants in granted.items():
        key = named(service).calls_as
        assert key is not None
        response = await client.post("/api/v1/auth/token", json={"api_key": key.dev_key(service)})
        assert response.status_code == 200
        claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
        assert (sorted(claims["perms"]), claims["scopes"]) == grants
    admin = (await gql.login("admin@example.com"))["accessToken"]
    accounts = (await gql("{ serviceAccounts { name isActive } }", token=admin))["data"]["serviceAccounts"]
    assert sorted(a["name"] for a in accounts) == ["automation service", "marketing service", "support service"]
    assert all(a["isActive"] for a in accounts)
