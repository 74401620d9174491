"""Creating users: administrators only, validated, announced on crm.identity.user."""

import json
import uuid

import pytest

from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import read_topic
from identity.roles.builtin import BUILTIN_ROLES

CREATE = """mutation($input: CreateUserInput!) { createUser(input: $input) { id email displayName roles } }"""


def new_user(**overrides):
    return {
        "email": f"u{uuid.uuid4().hex[:8]}@example.com",
        "displayName": "周新人",
        "password": "s3cret-pass",
        "roles": ["sales_rep"],
        **overrides,
    }


async def test_admin_creates_user_who_can_log_in_and_event_is_published(gql, app, platform_settings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, ["crm.identity.user"])
    admin = (await gql.login("admin@example.com"))["accessToken"]
    data = new_user()
    created = (await gql(CREATE, {"input": data}, token=admin))["data"]["createUser"]
    assert created["roles"] == ["sales_rep"]
    assert (await gql.login(data["email"], "s3cret-pass"))["accessToken"]

    await app.state.relay.publish_batch()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.identity.user",
        1,
        match=lambda e: e["subject"] == created["id"],
    )
    event = json.loads(records[0].value)
    assert event["type"] == "user.created"
    assert event["data"] == {
        "id": created["id"],
        "email": data["email"],
        "displayName": "周新人",
        "roles": ["sales_rep"],
        "orgUnitId": None,
        "isActive": True,
        "authzVersion": 0,
        # what the role permits, so that services assign them only what they can open
        "permissions": sorted(next(r for r in BUILTIN_ROLES if r.key == "sales_rep").permissions),
    }
    assert "passwordHash" not in json.dumps(event)


@pytest.mark.parametrize("login", ["manager@example.com", "rep1@example.com", "agent@example.com"])
async def test_non_admins_cannot_create_users(gql, login):
    token = (await gql.login(login))["accessToken"]
    body = await gql(CREATE, {"input": new_user()}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "bad"}, "email"),
        ({"password": "short"}, "password"),
        ({"roles": ["pope"]}, "roles"),
        ({"displayName": "  "}, "displayName"),
    ],
)
async def test_invalid_user_input_names_the_field_and_writes_nothing(gql, overrides, field):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    data = new_user(**overrides)
    body = await gql(CREATE, {"input": data}, token=admin)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field
    if field != "email":
        failed = await gql(
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            {"i": {"email": data["email"], "password": data["password"]}},
        )
        assert failed["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_display_name_empty_or_too_long_is_refused_in_the_callers_language(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    said = []
    for name in ("  ", "名" * 201):
        body = await gql(CREATE, {"input": new_user(displayName=name)}, token=admin, lang="zh-CN")
        said.append((body["errors"][0]["extensions"]["field"], body["errors"][0]["message"]))
    assert said == [
        ("displayName", "字段“displayName”为必填项"),
        ("displayName", "字段“displayName”过长：最多 200 个字符"),
    ]


async def test_duplicate_email_is_a_conflict(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    body = await gql(CREATE, {"input": new_user(email="REP1@example.com")}, token=admin, lang="zh-CN")
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert body["errors"][0]["message"] == "该邮箱已被其他用户使用"


async def test_rest_post_with_idempotency_key_creates_once_and_replays(gql, client):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    headers = {"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex}
    body = {
        "email": f"i{uuid.uuid4().hex[:8]}@example.com",
        "display_name": "幂等",
        "password": "long-enough",
    }
    first = await client.post("/api/v1/users", json=body, headers=headers)
    again = await client.post("/api/v1/users", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"

    other = await client.post("/api/v1/users", json={**body, "display_name": "别的"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
