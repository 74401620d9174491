"""A new quote version supersedes the open ones, whatever their status, each saying so exactly once."""

import asyncio
from collections import Counter

from sqlalchemy import select
from sqlmodel import col

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.events.outbox import OutboxMessage

QUOTE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id version } }"
SUBMIT = "mutation($id: ID!) { submitQuote(id: $id) { status } }"


async def superseded_notices(app, quote_ids):
    """Per quote, the `quote.superseded` events and audit records its transaction left in the outbox."""
    async with app.state.db.unit_of_work() as uow:
        rows = await uow.session.scalars(select(OutboxMessage).where(col(OutboxMessage.key).in_(quote_ids)))
        events, audits = Counter(), Counter()
        for row in rows.all():
            if row.topic == "crm.sales.quote" and row.payload["type"] == "quote.superseded":
                assert row.payload["data"]["status"] == "superseded"
                events[row.key] += 1
            if row.topic == AUDIT_TOPIC and row.payload["data"]["action"] == "quote.superseded":
                audits[row.key] += 1
    return events, audits


async def test_every_version_a_new_one_supersedes_says_so_once_even_when_created_at_once(gql, app):
    o = await gql.opportunity("rep1")
    product = await gql.product("100.00")

    async def version(discount="0"):
        data = {"opportunityId": o, "lines": [{"productId": product}], "discountPercent": discount}
        return (await gql.ok(QUOTE, {"i": data}, "rep1"))["createQuote"]["id"]

    approved = await version()
    assert (await gql.ok(SUBMIT, {"id": approved}, "rep1"))["submitQuote"]["status"] == "approved"
    rejected = await version("40")
    await gql.ok(SUBMIT, {"id": rejected}, "rep1")
    await gql.decided("quote", rejected, approve=False, comment="折扣过大")
    draft = await version()
    at_once = await asyncio.gather(*(version() for _ in range(6)))

    listed = await gql.ok(
        "query($o: ID!) { quotes(opportunityId: $o, first: 50) { edges { node { id version status } } } }",
        {"o": o},
        "rep1",
    )
    statuses = {e["node"]["version"]: (e["node"]["id"], e["node"]["status"]) for e in listed["quotes"]["edges"]}
    assert sorted(statuses) == list(range(1, 10))
    assert [statuses[v][1] for v in range(1, 10)] == ["superseded"] * 8 + ["draft"]
    assert {approved, rejected, draft, *at_once} == {quote_id for quote_id, _ in statuses.values()}

    earlier = [statuses[v][0] for v in range(1, 9)]
    events, audits = await superseded_notices(app, [*earlier, statuses[9][0]])
    assert events == Counter(earlier) and audits == Counter(earlier)
