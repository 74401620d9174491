"""Customer's step of the lead-conversion saga: match or create the account, add the contact, answer once."""

import json
import uuid

from sqlalchemy import func, select

from crm_shared.crypto import encrypt
from crm_shared.events import CloudEvent
from crm_shared.testing import read_topic
from customer.accounts.conversion import on_conversion_requested
from customer.accounts.models import Account


def request(owner, company, name="李雷", phone=None, email=None):
    lead = str(uuid.uuid4())
    data = {
        "leadId": lead,
        "id": lead,
        "company": company,
        "contactName": name,
        "title": "采购经理",
        "industry": "制造",
        "province": "广东",
        "city": "深圳",
        "source": "展会",
        "ownerId": str(owner),
        "phoneEncrypted": encrypt(phone),
        "emailEncrypted": encrypt(email),
    }
    return CloudEvent(source="/crm/sales", type="lead.conversion_requested", subject=lead, data=data)


async def deliver(app, event):
    async with app.state.db.unit_of_work() as uow:
        await on_conversion_requested(uow, event)


async def answers(app, platform_settings, lead, count=1):
    while await app.state.relay.publish_batch():
        pass
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.customer.account",
        count,
        match=lambda e: e["data"].get("leadId") == lead,
    )
    return [json.loads(r.value) for r in records]


async def test_an_existing_account_is_matched_not_duplicated(gql, app, persona, platform_settings):
    name = f"鸿图{uuid.uuid4().hex[:6]}科技有限公司"
    existing = await gql.account("rep1", name=name)
    event = request(persona["rep1"].user_id, name.replace("有限公司", ""), phone="13800138123")
    await deliver(app, event)
    await deliver(
        app, CloudEvent(source="/crm/sales", type=event.type, subject=event.subject, data=event.data)
    )  # asked again
    found = await answers(app, platform_settings, event.data["leadId"], 2)
    assert [a["type"] for a in found] == ["account.lead_converted"] * 2
    assert found[0]["data"]["accountId"] == existing and found[0]["data"]["matched"] is True
    assert found[0]["data"]["contactId"] == found[1]["data"]["contactId"]
    contacts = await gql.ok(
        "query($id: ID!) { account(id: $id) { contacts { edges { node { name title phone } } } } }",
        {"id": existing},
        "rep1",
    )
    assert [e["node"] for e in contacts["account"]["contacts"]["edges"]] == [
        {"name": "李雷", "title": "采购经理", "phone": "13800138123"}
    ]


async def test_a_new_company_becomes_a_prospect_of_the_leads_owner(gql, app, persona, platform_settings):
    name = f"新客{uuid.uuid4().hex[:6]}有限公司"
    event = request(persona["rep2"].user_id, name, email="buyer@example.cn")
    await deliver(app, event)
    answer = (await answers(app, platform_settings, event.data["leadId"]))[0]
    assert answer["type"] == "account.lead_converted" and answer["data"]["matched"] is False
    account = await gql.ok(
        "query($id: ID!) { account(id: $id) { name owner { id } lifecycleStage source email } }",
        {"id": answer["data"]["accountId"]},
        "rep2",
    )
    assert account["account"] == {
        "name": name,
        "owner": {"id": str(persona["rep2"].user_id)},
        "lifecycleStage": "prospect",
        "source": "lead",
        "email": "buyer@example.cn",
    }


async def test_invalid_lead_data_answers_failure_and_writes_nothing(app, persona, platform_settings):
    name = f"坏数据{uuid.uuid4().hex[:6]}有限公司"
    event = request(persona["rep1"].user_id, name, name="", phone="13800138999")  # no contact name
    await deliver(app, event)
    answer = (await answers(app, platform_settings, event.data["leadId"]))[0]
    assert answer["type"] == "account.lead_conversion_failed" and answer["data"]["field"] == "name"
    assert "必填" in answer["data"]["reason"]
    async with app.state.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Account).where(Account.name == name)) == 0
