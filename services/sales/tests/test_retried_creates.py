"""A lead or an opportunity whose process died after its commit but before its answer was stored, sent
again with its Idempotency-Key once the key's lease has ended: the client gets what the first run made."""

import uuid

from sqlalchemy import text

from crm_shared.testing import answer_lost

LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id company } }"
OPPORTUNITY = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id name } }"


async def count(app, sql: str, **values) -> int:
    async with app.state.db.read() as session:
        return int((await session.execute(text(sql), values)).scalar_one())


async def test_a_lead_and_an_opportunity_run_again_after_a_crash_answer_what_they_made(gql, app):
    company = f"重试{uuid.uuid4().hex[:6]}公司"
    lead = {"i": {"company": company, "contactName": "孙八", "email": f"{uuid.uuid4().hex[:8]}@example.com"}}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await gql(LEAD, lead, "rep1", headers=key)
    await answer_lost(app.state.db, key["Idempotency-Key"])
    assert await gql(LEAD, lead, "rep1", headers=key) == first  # not "an open lead with the same email"
    assert await count(app, "SELECT count(*) FROM leads WHERE company = :c", c=company) == 1

    opportunity = {"i": {"name": f"重试商机{uuid.uuid4().hex[:6]}", "accountId": await gql.account("rep1")}}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    made = await gql(OPPORTUNITY, opportunity, "rep1", headers=key)
    await answer_lost(app.state.db, key["Idempotency-Key"])
    assert await gql(OPPORTUNITY, opportunity, "rep1", headers=key) == made
    name = opportunity["i"]["name"]
    assert await count(app, "SELECT count(*) FROM opportunities WHERE name = :n", n=name) == 1
