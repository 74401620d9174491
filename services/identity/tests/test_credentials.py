"""Lockout, password change and reset by email, TOTP, service accounts with API keys, key rotation."""

import asyncio
import re
import uuid

import jwt
import pyotp


async def new_user(gql, password="first-pass-1", roles=None):
    return (await gql.new_user(password, "凭证", roles or ["sales_rep"], prefix="c"))[0]


async def attempt(gql, email, password, source, lang="en", code=None):
    return await gql(
        gql.LOGIN,
        {"input": {"email": email, "password": password, "totpCode": code}},
        lang=lang,
        source=source,
    )


async def test_five_failures_from_one_address_lock_it_out_of_the_account_with_the_remaining_time(gql, clock):
    email = await new_user(gql)
    for _ in range(5):
        body = await attempt(gql, email, "wrong-pass-1", "10.1.0.1")
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    locked = await attempt(gql, email, "first-pass-1", "10.1.0.1", lang="zh-CN")  # even the right password waits
    error = locked["errors"][0]
    assert error["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert error["extensions"]["retryAfterSeconds"] == 900  # time stood still: the whole window remains
    assert error["message"] == "登录失败次数过多，请在 15 分钟后重试"
    assert "errors" not in await attempt(gql, email, "first-pass-1", "10.1.0.9")  # the owner, elsewhere, is not


async def test_one_source_address_failing_on_many_accounts_is_locked(gql):
    source = f"10.2.{uuid.uuid4().int % 250}.1"
    for n in range(20):
        await attempt(gql, f"nobody{n}@example.com", "wrong-pass-1", source)
    blocked = await attempt(gql, "rep2@example.com", "crm-demo", source)
    assert blocked["errors"][0]["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert "errors" not in await attempt(gql, "rep2@example.com", "crm-demo", "10.3.0.1")  # others are not


async def test_change_password_requires_the_current_one_and_ends_other_sessions(gql):
    email = await new_user(gql)
    session = await gql.login(email, "first-pass-1")
    change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
    wrong = await gql(change, {"c": "nope-nope-1", "n": "second-pass-2"}, token=session["accessToken"])
    assert wrong["errors"][0]["extensions"]["field"] == "currentPassword"
    weak = await gql(change, {"c": "first-pass-1", "n": "password"}, token=session["accessToken"])
    assert weak["errors"][0]["extensions"]["field"] == "newPassword"
    assert (await gql(change, {"c": "first-pass-1", "n": "second-pass-2"}, token=session["accessToken"]))["data"]
    refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"
    assert (await gql(refresh, {"t": session["refreshToken"]}))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.login(email, "second-pass-2"))["accessToken"]


async def test_changing_a_password_to_the_current_one_is_refused_at_the_new_password(gql):
    email = await new_user(gql)
    session = await gql.login(email, "first-pass-1")
    change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
    same = await gql(change, {"c": "first-pass-1", "n": "first-pass-1"}, token=session["accessToken"], lang="zh-CN")
    [error] = same["errors"]
    assert (error["extensions"], error["message"]) == (
        {"code": "BAD_USER_INPUT", "field": "newPassword"},
        "新密码不能与当前密码相同",
    )
    refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"
    assert "errors" not in await gql(refresh, {"t": session["refreshToken"]})  # nothing changed: the session goes on


async def test_password_reset_link_arrives_by_mail_and_works_once(gql, smtp_sink):
    email = await new_user(gql)
    request = "mutation($e: String!) { requestPasswordReset(email: $e) }"
    assert (await gql(request, {"e": email}))["data"]["requestPasswordReset"] is True
    assert (await gql(request, {"e": "ghost@example.com"}))["data"]["requestPasswordReset"] is True  # no hint
    for _ in range(50):
        if smtp_sink.to(email):
            break
        await asyncio.sleep(0.1)
    mail = smtp_sink.to(email)[0]
    body = mail.get_content()
    assert "重置密码" in mail["Subject"] and "Reset" in mail["Subject"] and "30" in body
    token = re.search(r"https://crm\.example\.com/reset\?token=(\S+)", body).group(1)
    assert not smtp_sink.to("ghost@example.com")

    reset = "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }"
    assert (await gql(reset, {"t": token, "p": "after-reset-3"}))["data"]["resetPassword"] is True
    assert (await gql.login(email, "after-reset-3"))["accessToken"]
    again = await gql(reset, {"t": token, "p": "another-one-4"}, lang="zh-CN")
    assert again["errors"][0]["extensions"]["field"] == "token"
    assert again["errors"][0]["message"] == "重置链接无效、已过期或已被使用"


async def test_totp_second_factor_is_required_once_confirmed(gql):
    email = await new_user(gql)
    token = (await gql.login(email, "first-pass-1"))["accessToken"]
    enrollment = (await gql("mutation { enrollTotp { secret uri } }", token=token))["data"]["enrollTotp"]
    assert enrollment["uri"].startswith("otpauth://totp/CRM:")
    totp = pyotp.TOTP(enrollment["secret"])
    bad = await gql("mutation($c: String!) { confirmTotp(code: $c) }", {"c": "000000"}, token=token)
    assert bad["errors"][0]["extensions"]["field"] == "code"
    assert (await gql("mutation($c: String!) { confirmTotp(code: $c) }", {"c": totp.now()}, token=token))["data"]

    missing = await attempt(gql, email, "first-pass-1", "10.4.0.1")
    assert missing["errors"][0]["extensions"]["code"] == "TOTP_REQUIRED"
    wrong = await attempt(gql, email, "first-pass-1", "10.4.0.1", code="123456")
    assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    ok = await attempt(gql, email, "first-pass-1", "10.4.0.1", code=totp.now())
    assert ok["data"]["login"]["accessToken"]


async def test_service_account_api_key_yields_scoped_tokens_until_revoked(gql, app):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    made = await gql(
        """mutation { createServiceAccount(input: {name: "ERP 同步", permissions: ["customer:account:read"],
        scopes: [{resource: "customer:account", scope: "all"}]}) { id name } }""",
        token=admin,
    )
    account_id = made["data"]["createServiceAccount"]["id"]
    key = (
        await gql(
            'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "prod") { secret key { id prefix } } }',
            {"id": account_id},
            token=admin,
        )
    )["data"]["createApiKey"]
    assert key["secret"].startswith(f"crm_{key['key']['prefix']}_")

    exchange = "mutation($k: String!) { apiKeyToken(apiKey: $k) { accessToken expiresIn } }"
    issued = (await gql(exchange, {"k": key["secret"]}))["data"]["apiKeyToken"]
    claims = jwt.decode(issued["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == account_id and claims["roles"] == ["service_account"]
    assert claims["perms"] == ["customer:account:read"] and claims["scopes"] == {"customer:account": "all"}
    listed = await gql("{ serviceAccounts { name apiKeys { lastUsedAt } } }", token=admin)
    assert listed["data"]["serviceAccounts"][0]["apiKeys"][0]["lastUsedAt"]

    await gql("mutation($id: ID!) { revokeApiKey(id: $id) }", {"id": key["key"]["id"]}, token=admin)
    assert (await gql(exchange, {"k": key["secret"]}))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    response = await gql.client.post("/api/v1/auth/token", json={"api_key": key["secret"]})
    assert response.status_code == 401


async def test_key_rotation_keeps_old_tokens_valid_until_the_old_key_is_retired(gql, client):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    old = (await gql.login("rep1@example.com"))["accessToken"]
    old_kid = jwt.get_unverified_header(old)["kid"]
    rotated = (await gql("mutation { rotateSigningKey { kid } }", token=admin))["data"]["rotateSigningKey"]["kid"]
    kids = {k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]}
    assert kids == {old_kid, rotated}

    new = (await gql.login("rep1@example.com"))["accessToken"]
    assert jwt.get_unverified_header(new)["kid"] == rotated
    assert "errors" not in await gql("{ me { id } }", token=old)
    current = await gql("mutation($k: ID!) { retireSigningKey(kid: $k) }", {"k": rotated}, token=admin)
    assert current["errors"][0]["extensions"]["field"] == "kid"
    admin = (await gql.login("admin@example.com"))["accessToken"]
    assert (await gql("mutation($k: ID!) { retireSigningKey(kid: $k) }", {"k": old_kid}, token=admin))["data"]
    assert (await gql("{ me { id } }", token=old))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "errors" not in await gql("{ me { id } }", token=new)
    assert old_kid not in {k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]}


async def test_when_the_organisation_requires_it_an_admin_without_totp_may_only_enrol(gql, app):
    settings = app.state.identity.settings
    email = await new_user(gql, roles=["admin"])
    settings.require_admin_totp = True
    try:
        token = (await gql.login(email, "first-pass-1"))["accessToken"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["roles"] == [] and claims["perms"] == ["identity:self:mfa"]
        assert (await gql("{ users { totalCount } }", token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await gql("{ me { email } }", token=token))["data"]["me"]["email"] == email
        secret = (await gql("mutation { enrollTotp { secret } }", token=token))["data"]["enrollTotp"]["secret"]
        await gql("mutation($c: String!) { confirmTotp(code: $c) }", {"c": pyotp.TOTP(secret).now()}, token=token)
        full = await attempt(gql, email, "first-pass-1", "10.5.0.1", code=pyotp.TOTP(secret).now())
        assert jwt.decode(full["data"]["login"]["accessToken"], options={"verify_signature": False})["roles"] == [
            "admin"
        ]
    finally:
        settings.require_admin_totp = False
