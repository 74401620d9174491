"""A create whose process died after its commit but before its answer was stored, sent again with its
Idempotency-Key once the key's lease has ended: the client gets what the first run made, not a duplicate."""

import uuid

from sqlalchemy import text

from crm_shared.testing import answer_lost

ACCOUNT = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name } }"
CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id name } }"
BOTH = """mutation($a: CreateAccountInput!, $b: CreateAccountInput!) {
  first: createAccount(input: $a) { id } second: createAccount(input: $b) { id } }"""


async def count(app, sql: str, **values) -> int:
    async with app.state.db.read() as session:
        return int((await session.execute(text(sql), values)).scalar_one())


async def test_a_create_run_again_after_a_crash_answers_what_it_made(gql, app):
    key = {"Idempotency-Key": uuid.uuid4().hex}
    name = f"重试客户{uuid.uuid4().hex[:6]}有限公司"
    first = await gql(ACCOUNT, {"i": {"name": name}}, "rep1", headers=key)
    await answer_lost(app.state.db, key["Idempotency-Key"])
    again = await gql(ACCOUNT, {"i": {"name": name}}, "rep1", headers=key)

    assert again == first
    assert await count(app, "SELECT count(*) FROM accounts WHERE name = :n", n=name) == 1

    contact_key = {"Idempotency-Key": uuid.uuid4().hex}
    fields = {"i": {"name": "重试联系人", "accountId": first["data"]["createAccount"]["id"]}}
    made = await gql(CONTACT, fields, "rep1", headers=contact_key)
    await answer_lost(app.state.db, contact_key["Idempotency-Key"])
    assert await gql(CONTACT, fields, "rep1", headers=contact_key) == made
    assert (
        await count(app, "SELECT count(*) FROM contacts WHERE account_id = :a", a=uuid.UUID(fields["i"]["accountId"]))
        == 1
    )


async def test_two_creates_in_one_request_are_each_found_again(gql, app):
    key = {"Idempotency-Key": uuid.uuid4().hex}
    names = {"a": {"name": f"甲{uuid.uuid4().hex[:6]}有限公司"}, "b": {"name": f"乙{uuid.uuid4().hex[:6]}有限公司"}}
    first = await gql(BOTH, names, "rep1", headers=key)
    await answer_lost(app.state.db, key["Idempotency-Key"])
    again = await gql(BOTH, names, "rep1", headers=key)

    assert again == first and first["data"]["first"]["id"] != first["data"]["second"]["id"]


async def test_the_same_key_for_another_caller_makes_their_own(gql, app):
    key = {"Idempotency-Key": uuid.uuid4().hex}
    name = f"各自客户{uuid.uuid4().hex[:6]}"
    mine = await gql(ACCOUNT, {"i": {"name": name + "甲"}}, "rep1", headers=key)
    theirs = await gql(ACCOUNT, {"i": {"name": name + "乙"}}, "rep2", headers=key)

    assert mine["data"]["createAccount"]["name"] == name + "甲"
    assert theirs["data"]["createAccount"]["name"] == name + "乙"
