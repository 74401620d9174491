"""Identity refuses its own users' earlier tokens once they are deactivated or their grants change, and
every user event carries the grants version the other services' directories compare tokens with."""

import asyncio
import json
import uuid

import jwt
from sqlalchemy import select
from sqlmodel import col

from crm_contracts.identity import USER_TOPIC
from crm_shared.events.outbox import OutboxMessage
from crm_shared.testing import read_topic

ME = "{ me { roles } }"
PASSWORD = "revocation-pass-1"


async def refused(gql, token, seconds=10.0, query=ME):
    for _ in range(int(seconds / 0.1)):
        body = await gql(query, token=token)
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


UNIT = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }"
MOVE_UNIT = "mutation($id: ID!, $p: ID) { updateOrgUnit(id: $id, input: {parentId: $p}) { id } }"
PLACE = "mutation($id: ID!, $u: ID) { updateUser(id: $id, input: {orgUnitId: $u}) { id } }"


async def unit(gql, admin, parent=None):
    """A new unit under `parent`, or under the company."""
    body = await gql(UNIT, {"i": {"name": "撤销组", "parentId": parent or await gql.company(admin)}}, token=admin)
    assert "errors" not in body, body
    return body["data"]["createOrgUnit"]["id"]


async def placed_user(gql, admin, unit_id):
    """A user of the unit and a token issued after they were placed there."""
    email, user_id = await gql.new_user(PASSWORD, "组织撤销", ["sales_rep"])
    assert "errors" not in await gql(PLACE, {"id": user_id, "u": unit_id}, token=admin)
    return (await gql.login(email, PASSWORD))["accessToken"]


async def test_moving_a_user_to_another_unit_refuses_their_earlier_tokens(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    email, user_id = await gql.new_user(PASSWORD, "换组", ["sales_rep"])
    token = (await gql.login(email, PASSWORD))["accessToken"]
    assert "errors" not in await gql(PLACE, {"id": user_id, "u": await unit(gql, admin)}, token=admin)
    assert await refused(gql, token)


async def test_changing_a_roles_permissions_refuses_its_holders_earlier_tokens(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    key = f"revoked_{uuid.uuid4().hex[:6]}"
    role = {"key": key, "name": "Revoked", "permissions": ["identity:org_unit:read"]}
    assert "errors" not in await gql(
        "mutation($i: CreateRoleInput!) { createRole(input: $i) { key } }", {"i": role}, token=admin
    )
    email, holder = await gql.new_user(PASSWORD, "角色撤销", [key])
    token = (await gql.login(email, PASSWORD))["accessToken"]
    assert "errors" not in await gql(ME, token=token)
    update = 'mutation($k: ID!) { updateRole(key: $k, input: {permissions: ["identity:user:read"]}) { key } }'
    assert "errors" not in await gql(update, {"k": key}, token=admin)
    assert await refused(gql, token)
    # the holder is published again with what the role now permits, for the services' directories
    async with gql.app.state.db.read() as session:
        published = await session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.topic == USER_TOPIC, OutboxMessage.key == holder)
            .order_by(col(OutboxMessage.id))
        )
    assert [(e["type"], e["data"]["permissions"]) for e in published.all()] == [
        ("user.created", ["identity:org_unit:read"]),
        ("user.updated", ["identity:user:read"]),
    ]


async def test_moving_or_deleting_a_unit_refuses_the_tokens_of_the_units_whose_subtree_changed(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    top, old_parent, new_parent, elsewhere = [await unit(gql, admin) for _ in range(4)]
    assert "errors" not in await gql(MOVE_UNIT, {"id": old_parent, "p": top}, token=admin)
    admin = (await gql.login("admin@example.com"))["accessToken"]  # placed at the company, whose subtree changed
    moved = await unit(gql, admin, old_parent)
    tokens = {
        name: await placed_user(gql, admin, u)
        for name, u in [
            ("top", top),
            ("old", old_parent),
            ("new", new_parent),
            ("moved", moved),
            ("elsewhere", elsewhere),
        ]
    }

    assert "errors" not in await gql(MOVE_UNIT, {"id": moved, "p": new_parent}, token=admin)
    assert [name for name, token in tokens.items() if await refused(gql, token, 1.0)] == ["top", "old", "new"]
    admin = (await gql.login("admin@example.com"))["accessToken"]

    empty = await unit(gql, admin, new_parent)
    fresh = await placed_user(gql, admin, new_parent)
    assert "errors" not in await gql("mutation($id: ID!) { deleteOrgUnit(id: $id) }", {"id": empty}, token=admin)
    assert await refused(gql, fresh)
    assert "errors" not in await gql(ME, token=tokens["elsewhere"])


async def test_a_service_accounts_tokens_are_refused_once_a_key_of_it_is_revoked_or_it_is_deactivated(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    made = await gql(
        "mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { id } }",
        {"i": {"name": "撤销集成", "permissions": ["identity:user:read"]}},
        token=admin,
    )
    account = made["data"]["createServiceAccount"]["id"]
    create_key = 'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "k") { secret key { id } } }'
    first, second = [(await gql(create_key, {"id": account}, token=admin))["data"]["createApiKey"] for _ in range(2)]
    exchange = "mutation($k: String!) { apiKeyToken(apiKey: $k) { accessToken } }"

    async def token_of(key):
        return (await gql(exchange, {"k": key["secret"]}))["data"]["apiKeyToken"]["accessToken"]

    users = "{ users { totalCount } }"
    earlier = await token_of(first)
    assert "errors" not in await gql(users, token=earlier)
    revoke = "mutation($id: ID!) { revokeApiKey(id: $id) }"
    assert "errors" not in await gql(revoke, {"id": first["key"]["id"]}, token=admin)
    assert await refused(gql, earlier, query=users)
    later = await token_of(second)  # the account's other key still yields a token, carrying the new version
    assert jwt.decode(later, options={"verify_signature": False})["ver"] == 1
    assert "errors" not in await gql(users, token=later)

    deactivate = "mutation($id: ID!) { deactivateServiceAccount(id: $id) { id } }"
    assert "errors" not in await gql(deactivate, {"id": account}, token=admin)
    assert await refused(gql, later, query=users)
    # published for every service's directory, which refuses the tokens as identity does
    async with gql.app.state.db.read() as session:
        published = await session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.topic == USER_TOPIC, OutboxMessage.key == account)
            .order_by(col(OutboxMessage.id))
        )
    assert [(e["type"], e["data"]) for e in published.all()] == [
        ("service_account.key_revoked", {"id": account, "isActive": True, "authzVersion": 1}),
        ("service_account.deactivated", {"id": account, "isActive": False, "authzVersion": 1}),
    ]
