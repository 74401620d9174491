"""Customer's step of the lead-conversion saga: match or create the account, add the contact, answer once."""

import json
import uuid

from sqlalchemy import func, select

from crm_contracts.sales import LeadConversionRequested, LeadStatus
from crm_shared import clock
from crm_shared.crypto import encrypt
from crm_shared.testing import read_topic
from crm_shared.testing.events import delivered
from customer.accounts.conversion import on_conversion_requested
from customer.accounts.models import Account


def request(owner, company, name="李雷", phone=None, email=None):
    lead = uuid.uuid4()
    return LeadConversionRequested(
        id=lead,
        lead_id=lead,
        company=company,
        contact_name=name,
        title="采购经理",
        industry="制造",
        province="广东",
        city="深圳",
        source="展会",
        campaign_id=None,
        status=LeadStatus.QUALIFIED,
        score=80,
        owner_id=owner,
        has_phone=phone is not None,
        has_email=email is not None,
        created_at=clock.now(),
        phone_encrypted=encrypt(phone),
        email_encrypted=encrypt(email),
        requested_by=owner,
    )


async def deliver(app, event):
    async with app.state.db.unit_of_work() as uow:
        await on_conversion_requested(uow, delivered(event))


async def answers(gql, platform_settings, lead, count=1):
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.customer.account",
        count,
        match=lambda e: e["data"].get("leadId") == str(lead),
    )
    return [json.loads(r.value) for r in records]


async def test_an_existing_account_is_matched_not_duplicated(gql, app, persona, platform_settings):
    name = f"鸿图{uuid.uuid4().hex[:6]}科技有限公司"
    existing = await gql.account("rep1", name=name)
    event = request(persona["rep1"].user_id, name.replace("有限公司", ""), phone="13800138123")
    await deliver(app, event)
    await deliver(app, event)  # asked again
    found = await answers(gql, platform_settings, event.lead_id, 2)
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
    answer = (await answers(gql, platform_settings, event.lead_id))[0]
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


async def test_invalid_lead_data_answers_failure_and_writes_nothing(gql, app, persona, platform_settings):
    name = f"坏数据{uuid.uuid4().hex[:6]}有限公司"
    event = request(persona["rep1"].user_id, name, name="", phone="13800138999")  # no contact name
    await deliver(app, event)
    answer = (await answers(gql, platform_settings, event.lead_id))[0]
    assert answer["type"] == "account.lead_conversion_failed" and answer["data"]["field"] == "name"
    assert "必填" in answer["data"]["reason"]
    async with app.state.db.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Account)) == 0


async def test_a_known_person_at_the_matched_account_is_reused(gql, app, persona, platform_settings):
    name = f"老客{uuid.uuid4().hex[:6]}有限公司"
    account_id = await gql.account("rep1", name=name)
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
    known = {"accountId": account_id, "name": "韩梅梅", "phone": "13900139000"}
    contact_id = (await gql.ok(create, {"i": known}, "rep1"))["createContact"]["id"]
    event = request(persona["rep1"].user_id, name, name="韩经理", phone="139 0013 9000")  # same phone, new title
    await deliver(app, event)
    answer = (await answers(gql, platform_settings, event.lead_id))[0]
    assert (answer["data"]["accountId"], answer["data"]["contactId"]) == (account_id, contact_id)
