"""The organisation's policy that administrators sign in with TOTP, set by administrators at run time."""

import asyncio
import uuid

import jwt
import pyotp

CREATE = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
SETTINGS = "{ securitySettings { requireAdminTotp enforcedByConfiguration updatedAt } }"
UPDATE = "mutation($on: Boolean!) { updateSecuritySettings(requireAdminTotp: $on) { requireAdminTotp } }"
AUDIT = "query($f: AuditFilterInput) { auditLog(filter: $f) { edges { node { changes } } } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


async def new_admin(gql, admin):
    email = f"a{uuid.uuid4().hex[:8]}@example.com"
    data = {"email": email, "displayName": "管理员", "password": "admin-pass-1", "roles": ["admin"]}
    assert "errors" not in await gql(CREATE, {"i": data}, token=admin)
    return email


async def test_with_the_policy_on_an_admin_without_totp_may_only_enrol_until_they_do(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    email = await new_admin(gql, admin)
    assert (await gql(UPDATE, {"on": True}, token=admin))["data"]["updateSecuritySettings"]["requireAdminTotp"]
    try:
        session = await gql.login(email, "admin-pass-1")
        token = session["accessToken"]
        assert claims(token)["roles"] == [] and claims(token)["perms"] == ["identity:self:mfa"]
        assert (await gql(SETTINGS, token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await gql("{ me { email } }", token=token))["data"]["me"]["email"] == email
        assert claims((await gql.login("rep1@example.com"))["accessToken"])["roles"] == ["sales_rep"]

        secret = (await gql("mutation { enrollTotp { secret } }", token=token))["data"]["enrollTotp"]["secret"]
        confirm = "mutation($c: String!) { confirmTotp(code: $c) }"
        assert (await gql(confirm, {"c": pyotp.TOTP(secret).now()}, token=token))["data"]["confirmTotp"]
        full = (await gql(REFRESH, {"t": session["refreshToken"]}))["data"]["refreshToken"]["accessToken"]
        assert claims(full)["roles"] == ["admin"]
        assert (await gql(SETTINGS, token=full))["data"]["securitySettings"]["requireAdminTotp"] is True
    finally:
        assert "errors" not in await gql(UPDATE, {"on": False}, token=admin)
    assert claims((await gql.login("admin@example.com"))["accessToken"])["roles"] == ["admin"]


async def test_only_administrators_change_the_policy_and_managers_may_read_it(gql):
    manager = (await gql.login("manager@example.com"))["accessToken"]
    rep = (await gql.login("rep1@example.com"))["accessToken"]
    assert (await gql(SETTINGS, token=manager))["data"]["securitySettings"]["requireAdminTotp"] is False
    assert (await gql(UPDATE, {"on": True}, token=manager))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(SETTINGS, token=rep))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = (await gql.login("admin@example.com"))["accessToken"]
    assert claims(admin)["roles"] == ["admin"]  # the manager's attempt changed nothing


async def test_the_deployment_can_require_it_whatever_the_organisation_chooses(gql, app):
    settings = app.state.identity.auth.settings
    admin = (await gql.login("admin@example.com"))["accessToken"]
    settings.require_admin_totp = True
    try:
        assert "errors" not in await gql(UPDATE, {"on": False}, token=admin)
        shown = (await gql(SETTINGS, token=admin))["data"]["securitySettings"]
        assert shown["requireAdminTotp"] is True and shown["enforcedByConfiguration"] is True
        assert claims((await gql.login("admin@example.com"))["accessToken"])["roles"] == []
    finally:
        settings.require_admin_totp = False


async def test_a_policy_change_is_audited_with_before_and_after(gql, app):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    await gql(UPDATE, {"on": True}, token=admin)
    await gql(UPDATE, {"on": False}, token=admin)
    tasks = [asyncio.create_task(app.state.relay.run()), asyncio.create_task(app.state.audit_log.run())]
    try:
        for _ in range(100):
            body = await gql(AUDIT, {"f": {"action": "security_settings.updated"}}, token=admin)
            changes = [e["node"]["changes"] for e in body["data"]["auditLog"]["edges"]]
            if len(changes) >= 2:
                break
            await asyncio.sleep(0.2)
        assert {"requireAdminTotp": {"before": True, "after": False}} in changes
        assert {"requireAdminTotp": {"before": False, "after": True}} in changes
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
