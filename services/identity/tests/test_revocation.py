"""Identity refuses its own users' earlier tokens once they are deactivated or their grants change, and
every user event carries the grants version the other services' directories compare tokens with."""

import asyncio
import json

import jwt

from crm_shared.testing import read_topic

ME = "{ me { roles } }"
PASSWORD = "revocation-pass-1"


async def refused(gql, token, seconds=10.0):
    for _ in range(int(seconds / 0.1)):
        body = await gql(ME, token=token)
        if body.get("errors") and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED":
            return True
        await asyncio.sleep(0.1)
    return False


async def test_roles_change_and_deactivation_refuse_earlier_tokens_and_raise_the_version(gql, platform_settings):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    email, user_id = await gql.new_user(PASSWORD, "撤销测试", ["sales_manager"])
    first = (await gql.login(email, PASSWORD))["accessToken"]
    assert jwt.decode(first, options={"verify_signature": False})["ver"] == 0
    assert (await gql(ME, token=first))["data"]["me"]["roles"] == ["sales_manager"]

    demote = 'mutation($u: ID!) { assignRoles(userId: $u, roles: ["sales_rep"]) { id } }'
    assert "errors" not in await gql(demote, {"u": user_id}, token=admin)
    assert await refused(gql, first)  # issued before the change: its grants are stale
    second = (await gql.login(email, PASSWORD))["accessToken"]
    claims = jwt.decode(second, options={"verify_signature": False})
    assert claims["ver"] == 1 and claims["roles"] == ["sales_rep"]
    assert (await gql(ME, token=second))["data"]["me"]["roles"] == ["sales_rep"]

    assert "errors" not in await gql(
        "mutation($id: ID!) { deactivateUser(id: $id) { id } }", {"id": user_id}, token=admin
    )
    assert await refused(gql, second)

    await gql.publish()
    events = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.identity.user", 3, match=lambda e: e["subject"] == user_id
    )
    versions = [(json.loads(r.value)["type"], json.loads(r.value)["data"]["authzVersion"]) for r in events]
    assert versions == [("user.created", 0), ("user.roles_changed", 1), ("user.deactivated", 2)]
