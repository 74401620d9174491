"""Customer's accounts and contacts as support's running consumer applies them: an import's burst, each fetched
batch in one transaction."""

import logging
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from crm_contracts.customer import ACCOUNT_TOPIC, CONTACT_TOPIC, AccountUpdated, ContactCreated
from crm_shared.accounts import AccountRef
from crm_shared.contacts import ContactRef
from crm_shared.events.outbox import InboxRecord
from crm_shared.testing.events import account_created, consumed, put_on_topic

CREATE = "mutation($i: CreateTicketInput!) { createTicket(input: $i) { account { id } contactId } }"


async def test_an_imports_burst_of_accounts_and_contacts_is_applied_in_batches_once_each(
    app, gql, platform_settings, caplog
):
    """An import sends a hundred accounts and a contact for each, some delivered twice: support applies each
    fetched batch in one transaction, and an agent opens a ticket for an imported account's contact at once."""
    owner = gql.personas["rep1"].user_id
    accounts = [account_created(owner, source="import").envelope("/crm/customer") for _ in range(100)]
    contacts = [
        ContactCreated(
            id=uuid.uuid4(),
            account_id=uuid.UUID(account.subject),
            name=f"导入联系人{i}",
            title=None,
            role="primary",
            has_phone=False,
            has_email=False,
        ).envelope("/crm/customer")
        for i, account in enumerate(accounts)
    ]
    bootstrap = platform_settings.kafka_bootstrap_servers
    await put_on_topic(bootstrap, ACCOUNT_TOPIC, accounts + accounts[:20])  # 20 delivered twice
    await put_on_topic(bootstrap, CONTACT_TOPIC, contacts + contacts[:20])
    caplog.set_level(logging.INFO, logger="crm_shared.events.consumer")
    envelopes = accounts + contacts

    async def applied():
        async with app.state.db.read() as session:
            known = [
                await session.scalar(select(func.count()).where(col(model.id).in_([e.subject for e in made])))
                for model, made in ((AccountRef, accounts), (ContactRef, contacts))
            ]
            inbox = await session.scalar(
                select(func.count()).where(col(InboxRecord.event_id).in_([e.id for e in envelopes]))
            )
        return (known, inbox) if known == [100, 100] else None

    assert await consumed(app.state.consumer, applied) == ([100, 100], 200)  # each event applied once
    assert app.state.consumer.batches  # a fetched batch in one transaction,
    assert "goes one by one" not in caplog.text  # none of them falling back to one event at a time

    data = {"subject": "新客户报修", "accountId": accounts[7].subject, "contactId": contacts[7].subject}
    made = (await gql.ok(CREATE, {"i": data}, "agent1"))["createTicket"]
    assert made == {"account": {"id": accounts[7].subject}, "contactId": contacts[7].subject}


TICKETS = """query { tickets(filter: {search: "改名前的工单"}, first: 5) {
    edges { node { subject account { id name } } } } }"""


async def test_a_tickets_account_is_named_from_supports_copy_with_its_latest_name(app, gql, platform_settings):
    """The queue names a ticket's account itself, as customer last announced it: no fetch from customer, and a
    rename shows as soon as support has applied it."""
    created = account_created(gql.personas["rep1"].user_id, name="旧名称科技有限公司")
    renamed = AccountUpdated(**{**created.model_dump(exclude={"time"}), "name": "新名称科技有限公司"})
    bootstrap = platform_settings.kafka_bootstrap_servers

    async def named(name: str):
        async def applied():
            async with app.state.db.read() as session:
                ref = await session.get(AccountRef, created.id)
            return ref if ref is not None and ref.name == name else None

        return await consumed(app.state.consumer, applied)

    await put_on_topic(bootstrap, ACCOUNT_TOPIC, [created.envelope("/crm/customer")])
    await named("旧名称科技有限公司")
    await gql.ok(CREATE, {"i": {"subject": "改名前的工单", "accountId": str(created.id)}}, "agent1")
    queue = (await gql.ok(TICKETS, {}, "admin"))["tickets"]["edges"]
    assert [e["node"] for e in queue] == [
        {"subject": "改名前的工单", "account": {"id": str(created.id), "name": "旧名称科技有限公司"}}
    ]

    await put_on_topic(bootstrap, ACCOUNT_TOPIC, [renamed.envelope("/crm/customer")])
    await named("新名称科技有限公司")
    queue = (await gql.ok(TICKETS, {}, "admin"))["tickets"]["edges"]
    assert [e["node"]["account"]["name"] for e in queue] == ["新名称科技有限公司"]
