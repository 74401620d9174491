"""Likely duplicates: what makes two accounts or two people the same, and what the CONFLICT tells whom.

The "masked" persona sees the team's phones and emails masked (138****0000): a conflict must not confirm the digits
the mask hides.
"""

import asyncio
import random
import uuid

from sqlalchemy import text

from crm_shared.db import Database
from crm_shared.db.migrate import upgrade
from crm_shared.testing import GraphQLClient, discard_database, service_app
from customer.app import create_app
from customer.settings import CustomerSettings

CREATE = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
CREATE_CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
MASKED = "masked"
ACCOUNT = "query($id: ID!) { account(id: $id) { phone contacts { edges { node { phone email } } } } }"


def mobile() -> str:
    return f"139{random.randrange(10**8):08d}"


def unique(name: str) -> str:
    return f"{name}{uuid.uuid4().hex[:6]}"


async def conflict(gql, query, fields, as_="rep1", lang="en"):
    return await gql.error(query, {"i": fields}, as_, "CONFLICT", lang)


async def person(gql, account, **fields):
    return (await gql.ok(CREATE_CONTACT, {"i": {"accountId": account, **fields}}, "rep1"))["createContact"]["id"]


async def test_a_name_differing_only_in_what_shows_nothing_width_or_case_is_the_same_account(gql):
    tag = uuid.uuid4().hex[:6]
    first = await gql.account("rep1", name=f"星辰科技{tag}有限公司")
    latin = await gql.account("rep1", name=f"Straße {tag} GmbH")

    for name, existing in (
        (f"星辰\u200d科技{tag}有限公司", first),  # a joiner: allowed in a name, nothing to tell two names apart
        (f"星辰\ufe0f科技{tag}有限公司", first),  # a variation selector
        (f"星辰\u200e科技{tag.upper()}有限公司", first),  # a direction mark, and the case of the tag
        (f"ＳＴＲＡＳＳＥ  {tag}  gmbh", latin),  # full-width letters, ß folded to ss, spaces
    ):
        error = await conflict(gql, CREATE, {"name": name})
        assert error["extensions"] == {"code": "CONFLICT", "field": "name", "existingId": existing}, name


async def test_a_name_whose_normal_form_outgrows_the_key_column_is_kept_and_found_again(gql):
    name = "\ufdfa" * 20  # NFKC writes each as 18 characters
    first = await gql.account("rep1", name=name)

    error = await conflict(gql, CREATE, {"name": name})

    assert error["extensions"] == {"code": "CONFLICT", "field": "name", "existingId": first}


async def test_a_contact_named_alike_at_the_account_is_the_same_person(gql):
    account = await gql.account("rep1")
    first = await person(gql, account, name="Zhang San")

    for name in ("zhang\u200d san", "ＺＨＡＮＧ  SAN"):
        error = await conflict(gql, CREATE_CONTACT, {"accountId": account, "name": name})
        assert error["extensions"] == {"code": "CONFLICT", "field": "name", "existingId": first}, name


async def test_a_phone_written_with_the_00_prefix_is_the_same_as_with_plus(gql):
    number = mobile()
    first = await gql.account("rep1", phone=f"+86 {number[:3]} {number[3:7]} {number[7:]}")
    account = await gql.account("rep1")
    li = await person(gql, account, name="李四", phone=f"+86{number}")

    by_account = await conflict(gql, CREATE, {"name": unique("别名"), "phone": f"0086 {number}"})
    by_contact = await conflict(gql, CREATE_CONTACT, {"accountId": account, "name": "李四", "phone": f"0086-{number}"})

    assert by_account["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": first}
    assert by_contact["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": li}


async def test_a_conflict_names_the_field_that_matched(gql):
    number, mail = mobile(), f"{uuid.uuid4().hex[:8]}@example.cn"
    first = await gql.account("rep1", phone=number, email=mail)
    account = await gql.account("rep1")
    wang = await person(gql, account, name="王五", email=mail)

    by_phone = await conflict(gql, CREATE, {"name": unique("电话"), "phone": number}, "rep1", "zh-CN")
    by_email = await conflict(gql, CREATE, {"name": unique("邮箱"), "email": mail.upper()})
    contact = await conflict(gql, CREATE_CONTACT, {"accountId": account, "name": "王六", "email": mail})
    not_reached = await conflict(gql, CREATE, {"name": unique("电话"), "phone": number}, "rep2")

    assert by_phone["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": first}
    assert by_phone["message"] == "已存在名称、电话或邮箱相同的客户"
    assert by_email["extensions"] == {"code": "CONFLICT", "field": "email", "existingId": first}
    assert contact["extensions"] == {"code": "CONFLICT", "field": "email", "existingId": wang}
    assert not_reached["extensions"] == {"code": "CONFLICT", "field": "phone"}  # rep1's account: not named to rep2


async def test_a_duplicate_found_only_by_a_value_masked_to_the_caller_names_neither_field_nor_record(gql):
    number, mail = mobile(), f"{uuid.uuid4().hex[:8]}@example.cn"
    account = await gql.account("rep1", phone=number)
    await person(gql, account, name="赵六", phone=number, email=mail)
    shown = (await gql.ok(ACCOUNT, {"id": account}, MASKED))["account"]
    assert shown["phone"] == f"{number[:3]}****{number[-4:]}"
    assert shown["contacts"]["edges"][0]["node"]["phone"] == f"{number[:3]}****{number[-4:]}"
    assert shown["contacts"]["edges"][0]["node"]["email"] == f"{mail[0]}***@example.cn"

    by_phone = await conflict(gql, CREATE, {"name": unique("猜号"), "phone": number}, MASKED, "zh-CN")
    by_contact_phone = await conflict(
        gql, CREATE_CONTACT, {"accountId": account, "name": "甲", "phone": number}, MASKED
    )
    by_contact_email = await conflict(gql, CREATE_CONTACT, {"accountId": account, "name": "乙", "email": mail}, MASKED)
    rest = await gql.rest("POST", "/api/v1/accounts", MASKED, json={"name": unique("猜号"), "phone": number})

    for error in (by_phone, by_contact_phone, by_contact_email):
        assert error["extensions"] == {"code": "CONFLICT"}
    assert by_phone["message"] == "已存在名称、电话或邮箱相同的客户"
    assert by_contact_email["message"] == "This account already has a contact with the same phone, email or name"
    assert rest.status_code == 409 and "field" not in rest.json() and "existingId" not in rest.json()


async def test_a_match_on_a_field_the_masked_caller_sees_is_still_named_with_its_record(gql):
    number = mobile()
    name = unique("明名")
    account = await gql.account("rep1", name=name, phone=number)

    same_name = await conflict(gql, CREATE, {"name": name, "phone": number}, MASKED)
    unmasked = await conflict(gql, CREATE, {"name": unique("经理"), "phone": number}, "manager")

    assert same_name["extensions"] == {"code": "CONFLICT", "field": "name", "existingId": account}
    assert unmasked["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": account}


async def test_an_account_named_before_keys_ignored_invisible_characters_is_found_by_its_visible_name(
    postgres, platform_settings, tokens, persona
):
    name = f"customer_{uuid.uuid4().hex[:8]}"
    url = await postgres.ensure_database(name, f"{name}-pw")
    database = Database(url, source="/crm/customer")
    try:
        await asyncio.to_thread(upgrade, "customer", url, "20270101_0119")
        stored, rep1 = uuid.uuid4(), persona["rep1"].user_id
        async with database.unit_of_work() as uow:  # keyed as before: U+200B kept
            await uow.session.execute(
                text(
                    "INSERT INTO accounts (id, name, name_key, tags, lifecycle_stage, in_pool, custom, owner_id,"
                    " created_at, updated_at) VALUES (:id, :name, :key, '{}', 'prospect', false, '{}', :owner, now(),"
                    " now())"
                ),
                {"id": stored, "name": "星辰\u200b科技有限公司", "key": "星辰\u200b科技", "owner": rep1},
            )
        await asyncio.to_thread(upgrade, "customer", url)
        app = await service_app(create_app, CustomerSettings(), platform_settings, tokens, persona, database)
        async with GraphQLClient(app, tokens, persona, base_url="http://customer") as gql:
            error = await gql.error(CREATE, {"i": {"name": "星辰科技有限公司"}}, "rep1", "CONFLICT")
            assert error["extensions"] == {"code": "CONFLICT", "field": "name", "existingId": str(stored)}
    finally:
        await discard_database(postgres, database)
