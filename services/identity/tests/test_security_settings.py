"""The organisation's policy that administrators sign in with TOTP, set by administrators at run time."""

import datetime as dt
import json

import jwt
import pyotp

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.testing import read_topic

SETTINGS = "{ securitySettings { requireAdminTotp enforcedByConfiguration updatedAt } }"
UPDATE = "mutation($on: Boolean!) { updateSecuritySettings(requireAdminTotp: $on) { requireAdminTotp } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


async def new_admin(gql, admin):
    return (await gql.new_user("admin-pass-1", "管理员", ["admin"], token=admin, prefix="a"))[0]


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
    settings = app.state.identity.settings
    admin = (await gql.login("admin@example.com"))["accessToken"]
    settings.require_admin_totp = True
    try:
        assert "errors" not in await gql(UPDATE, {"on": False}, token=admin)
        shown = (await gql(SETTINGS, token=admin))["data"]["securitySettings"]
        assert shown["requireAdminTotp"] is True and shown["enforcedByConfiguration"] is True
        assert claims((await gql.login("admin@example.com"))["accessToken"])["roles"] == []
    finally:
        settings.require_admin_totp = False


async def test_a_policy_change_is_audited_with_before_and_after(gql, app, platform_settings):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    since = dt.datetime.now(dt.UTC)
    await gql(UPDATE, {"on": True}, token=admin)
    await gql(UPDATE, {"on": False}, token=admin)
    while await app.state.relay.publish_batch():
        pass
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        AUDIT_TOPIC,
        2,
        match=lambda e: (
            e["data"]["action"] == "security_settings.updated" and dt.datetime.fromisoformat(e["data"]["at"]) >= since
        ),
    )
    changes = [json.loads(r.value)["data"]["changes"] for r in records]
    assert changes == [
        {"requireAdminTotp": {"before": False, "after": True}},
        {"requireAdminTotp": {"before": True, "after": False}},
    ]
