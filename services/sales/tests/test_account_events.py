"""Customer's account events as sales' running consumer applies them: a fetched batch in one transaction."""

import logging
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from crm_contracts.customer import ACCOUNT_TOPIC, AccountOwnerChanged
from crm_shared.accounts import AccountRef
from crm_shared.events import CloudEvent
from crm_shared.events.outbox import InboxRecord
from crm_shared.testing.events import account_created, consumed, put_on_topic

CREATE = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }"


def created(account_id: uuid.UUID, owner: uuid.UUID) -> CloudEvent:
    return account_created(owner, id=account_id, name=f"批量客户{account_id.hex[:6]}", source="import").envelope(
        "/crm/customer"
    )


def transferred(account_id: uuid.UUID, owner: uuid.UUID, to: uuid.UUID) -> CloudEvent:
    return AccountOwnerChanged(
        id=account_id, from_owner_id=owner, to_owner_id=to, kind="transfer", reason="重新分配"
    ).envelope("/crm/customer")


async def test_an_imports_burst_of_accounts_is_applied_in_order_once_each(gql, app, platform_settings, caplog):
    """An import sends hundreds of accounts, some moved to another rep at once, some delivered twice: sales applies
    each fetched batch in one transaction and ends with every account, each with its latest owner."""
    rep1, rep2 = (gql.personas[name].user_id for name in ("rep1", "rep2"))
    accounts = [uuid.uuid4() for _ in range(150)]
    moved = accounts[::3]
    events = [created(a, rep1) for a in accounts]
    events += events[:20]  # redelivered
    events += [transferred(a, rep1, rep2) for a in moved]
    await put_on_topic(platform_settings.kafka_bootstrap_servers, ACCOUNT_TOPIC, events)

    caplog.set_level(logging.INFO, logger="crm_shared.events.consumer")

    async def all_applied():
        async with app.state.db.read() as session:
            rows = await session.execute(
                select(col(AccountRef.id), col(AccountRef.owner_id)).where(col(AccountRef.id).in_(accounts))
            )
            owners = dict(rows.all())
        return owners if len(owners) == len(accounts) and all(owners[a] == rep2 for a in moved) else None

    owners = await consumed(app.state.consumer, all_applied)
    assert owners == {a: rep2 if a in moved else rep1 for a in accounts}
    async with app.state.db.read() as session:
        inbox = await session.scalar(
            select(func.count()).where(col(InboxRecord.event_id).in_({uuid.UUID(e.id) for e in events}))
        )
    assert inbox == len(accounts) + len(moved)  # each event applied once
    assert app.state.consumer.batches  # a fetched batch in one transaction,
    assert "goes one by one" not in caplog.text  # none of them falling back to one event at a time

    # what reps may sell to follows the latest owner
    assert await gql.ok(CREATE, {"i": {"name": "批量商机", "accountId": str(moved[0])}}, "rep2")
    error = await gql.error(CREATE, {"i": {"name": "x", "accountId": str(moved[0])}}, "rep1", code="BAD_USER_INPUT")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "accountId"}
    assert await gql.ok(CREATE, {"i": {"name": "批量商机", "accountId": str(accounts[1])}}, "rep1")
