"""A role is described in Chinese as well as English: the built-in ones out of the box, databases from before
the Chinese descriptions included, and an administrator's own roles as they write them."""

import asyncio
import uuid

from sqlalchemy import text

from crm_shared.db import Database
from crm_shared.db.migrate import upgrade
from crm_shared.testing import discard_database
from identity.roles.builtin import BUILTIN_ROLES

ROLES = "{ roles { key description descriptionZh } }"
CREATE = "mutation($i: CreateRoleInput!) { createRole(input: $i) { key description descriptionZh } }"
UPDATE = "mutation($k: ID!, $i: UpdateRoleInput!) { updateRole(key: $k, input: $i) { descriptionZh } }"


async def admin(gql):
    return (await gql.login("admin@example.com"))["accessToken"]


async def described(gql, token, key):
    roles = (await gql(ROLES, token=token))["data"]["roles"]
    return next(r for r in roles if r["key"] == key)


async def test_a_builtin_role_answers_its_chinese_description_beside_its_english_one(gql):
    assert await described(gql, await admin(gql), "sales_rep") == {
        "key": "sales_rep",
        "description": "Sees and edits only their own customers, leads and opportunities.",
        "descriptionZh": "只能查看和编辑自己负责的客户、线索与商机。",
    }


async def test_a_roles_chinese_description_is_saved_trimmed_and_an_overlong_one_is_refused_at_its_field(gql):
    token, key = await admin(gql), f"auditor_{uuid.uuid4().hex[:6]}"
    made = await gql(CREATE, {"i": {"key": key, "name": "Auditor", "descriptionZh": " 查看审计日志。\n"}}, token=token)
    assert made["data"]["createRole"] == {"key": key, "description": "", "descriptionZh": "查看审计日志。"}

    changed = await gql(UPDATE, {"k": key, "i": {"descriptionZh": "查看审计日志，核对哈希链。"}}, token=token)
    assert changed["data"]["updateRole"] == {"descriptionZh": "查看审计日志，核对哈希链。"}

    for lang, message in (
        ("en", "Field 'descriptionZh' is too long: at most 500 characters"),
        ("zh-CN", "字段“descriptionZh”过长：最多 500 个字符"),
    ):
        long = await gql(
            UPDATE, {"k": key, "i": {"name": "Renamed", "descriptionZh": "审" * 501}}, lang=lang, token=token
        )
        [error] = long["errors"]
        assert (error["extensions"]["field"], error["message"]) == ("descriptionZh", message)
    kept = await gql("{ roles { key name descriptionZh } }", token=token)
    assert {"key": key, "name": "Auditor", "descriptionZh": "查看审计日志，核对哈希链。"} in kept["data"]["roles"]


INSERT_ROLE = """INSERT INTO roles (key, name, name_zh, description, builtin, permissions, scopes, masked_fields,
    created_at, updated_at) VALUES (:key, :name, '', :description, :builtin, '{}', '{}', '{}', now(), now())"""


async def test_upgrading_describes_the_builtin_roles_already_there_in_chinese_and_leaves_custom_ones(postgres):
    name = f"identity_{uuid.uuid4().hex[:8]}"
    url = await postgres.ensure_database(name, f"{name}-pw")
    database = Database(url, source="/crm/identity")
    try:
        await asyncio.to_thread(upgrade, "identity", url, "20261221_0013")
        async with database.unit_of_work() as uow:
            for role in BUILTIN_ROLES:
                values = {"key": role.key, "name": role.name, "description": role.description, "builtin": True}
                await uow.session.execute(text(INSERT_ROLE), values)
            custom = {"key": "auditor", "name": "Auditor", "description": "Reads the audit log.", "builtin": False}
            await uow.session.execute(text(INSERT_ROLE), custom)
        await asyncio.to_thread(upgrade, "identity", url)
        async with database.read() as session:
            rows = (await session.execute(text("SELECT key, description_zh FROM roles"))).all()
        assert dict(rows) == {**{role.key: role.description_zh for role in BUILTIN_ROLES}, "auditor": ""}
        assert all(role.description_zh for role in BUILTIN_ROLES)
    finally:
        await discard_database(postgres, database)
