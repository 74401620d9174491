"""SMS campaigns through the local provider server (a real HTTP server checking each request's signature):
one text per consenting recipient with a mobile number, in Aliyun's and Tencent Cloud's formats; a failing
provider is retried, a crash after it accepted a text repeats nothing; quiet hours hold texts until 8:00;
the frequency cap holds back one too many; receipts and 退订 replies come back through signed callbacks."""

import dataclasses
import datetime as dt
import json
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import text

from crm_contracts.customer import AccountUpdated, LifecycleStage
from crm_shared.devstack.sms import callback_signature
from crm_shared.testing import read_topic
from marketing.sending.rules import in_quiet_hours, not_before
from marketing.sms.sender import SmsSender

SEND = "mutation($id: ID!) { sendCampaign(id: $id) { status sendProgress { queued sent failed skipped } } }"
PROGRESS = "query($id: ID!) { campaign(id: $id) { sendProgress { queued sent failed skipped delivered } } }"
CHOOSE = "mutation($id: ID!, $t: ID!) { setCampaignSmsTemplate(id: $id, templateId: $t) { smsTemplateId } }"
MEMBERS = "mutation($id: ID!, $c: [ID!]) { addCampaignMembers(id: $id, contactIds: $c) { id } }"


async def sms_campaign(gql, *contacts, template=None):
    """An approved SMS campaign with an SMS template and the contacts as members."""
    campaign = await gql.approved(type="SMS")
    chosen = await gql.ok(CHOOSE, {"id": campaign, "t": template or await gql.sms_template()}, "marketer1")
    assert chosen["setCampaignSmsTemplate"]["smsTemplateId"]
    await gql.ok(MEMBERS, {"id": campaign, "c": list(contacts)}, "marketer1")
    return campaign


async def texting(gql, *phones):
    """Contacts with these numbers who opted in to SMS."""
    account = await gql.account()
    found = []
    for i, phone in enumerate(phones):
        contact = await gql.contact(account, name=f"客户{i}", phone=phone)
        await gql.consent(contact, channel="SMS")
        found.append(contact)
    return found


async def progress(gql, campaign):
    return (await gql.ok(PROGRESS, {"id": campaign}))["campaign"]["sendProgress"]


async def test_a_marketing_template_without_the_opt_out_is_refused_naming_the_field(gql):
    saving = "mutation($i: SmsTemplateInput!) { saveSmsTemplate(input: $i) { id } }"
    data = {"name": "无退订", "providerCode": "SMS_1", "signature": "【示例科技】", "content": "春季优惠"}
    refused = await gql.error(saving, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert (refused["message"], refused["extensions"]["field"]) == (
        "Field 'content': a marketing text must tell how to opt out (回T退订)",
        "content",
    )
    unsigned = await gql.error(
        saving,
        {"i": {**data, "content": "春季优惠，回T退订", "signature": "示例科技"}},
        "marketer1",
        code="BAD_USER_INPUT",
    )
    assert unsigned["extensions"]["field"] == "signature"
    listed = await gql.ok("{ smsTemplates { name } }", {}, "marketer1")
    assert listed["smsTemplates"] == []  # nothing half-written
    notice = await gql.ok(saving, {"i": {**data, "kind": "NOTIFICATION", "content": "您的资料已寄出"}}, "marketer1")
    assert notice["saveSmsTemplate"]["id"]
    template = await gql.sms_template()
    [shown] = [t for t in (await gql.ok("{ smsTemplates { id sample } }"))["smsTemplates"] if t["id"] == template]
    assert shown["sample"] == "【示例科技】【春季促销】张三您好，全场八折，回T退订"


async def test_an_sms_campaign_texts_each_consenting_number_once_through_aliyuns_send_sms(
    gql, sms_provider, platform_settings
):
    yes, also = await texting(gql, "13800138001", "13800138002")
    account = await gql.account()
    out = await gql.contact(account, phone="13800138003")
    await gql.consent(out, channel="SMS", granted=False)
    mail_only = await gql.contact(account, email="mail@example.cn")  # consents to SMS, but has no number
    await gql.consent(mail_only, channel="SMS")
    campaign = await sms_campaign(gql, yes, also, out, mail_only)
    sent = (await gql.ok(SEND, {"id": campaign}, "marketer1"))["sendCampaign"]
    assert sent == {"status": "RUNNING", "sendProgress": {"queued": 2, "sent": 0, "failed": 0, "skipped": 0}}
    await gql.run_schedule("sms-sender")
    await gql.run_schedule("sms-sender")
    assert sorted(r.phone for r in sms_provider.received) == ["13800138001", "13800138002"]
    [got] = sms_provider.to("13800138001")
    assert (got.provider, got.sign_name, got.template_code) == ("aliyun", "示例科技", "SMS_0001")
    assert got.params == {"name": "客户0", "offer": "全场八折"}
    assert await progress(gql, campaign) == {"queued": 0, "sent": 2, "failed": 0, "skipped": 0, "delivered": 0}
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.marketing.message",
        4,
        match=lambda e: e["data"]["campaignId"] == campaign,
    )
    found = sorted((e["type"], e["data"]["channel"]) for e in (json.loads(r.value) for r in records))
    assert found == [("message.queued", "sms")] * 2 + [("message.sent", "sms")] * 2
    sent_ids = {e["data"]["id"] for e in (json.loads(r.value) for r in records) if e["type"] == "message.sent"}
    assert sent_ids == {r.out_id for r in sms_provider.received}  # OutId is the send row's id


async def test_tencent_clouds_send_sms_carries_the_numbers_parameters_and_session_context(gql, sms_provider, app):
    app.state.schedules.schedules[:] = [
        dataclasses.replace(s, job=SmsSender(app.state.settings.model_copy(update={"sms_provider": "tencent"})).run)
        if s.name == "sms-sender"
        else s
        for s in app.state.schedules.schedules
    ]
    [contact] = await texting(gql, "13900139000")
    campaign = await sms_campaign(gql, contact)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("sms-sender")
    [got] = sms_provider.received
    assert (got.provider, got.phone, got.sign_name, got.params) == (
        "tencent",
        "+8613900139000",
        "示例科技",
        ["客户0", "全场八折"],
    )
    uuid.UUID(got.out_id)
    assert (await progress(gql, campaign))["sent"] == 1


async def test_a_failing_provider_is_retried_and_a_crash_after_it_accepted_repeats_no_text(
    gql, sms_provider, app, marketing_db
):
    first, second = await texting(gql, "13700137001", "13700137002")
    campaign = await sms_campaign(gql, first, second)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    sms_provider.fail(2)
    await gql.run_schedule("sms-sender")
    assert sms_provider.received == []
    assert await progress(gql, campaign) == {"queued": 2, "sent": 0, "failed": 0, "skipped": 0, "delivered": 0}
    sender = SmsSender(app.state.settings)
    try:
        async with marketing_db.unit_of_work() as uow:
            await sender.run(uow)
            raise RuntimeError("the process dies before its commit")
    except RuntimeError:
        pass
    assert len(sms_provider.received) == 2  # the provider took both texts; our marks were lost
    await gql.run_schedule("sms-sender")
    assert sorted(r.phone for r in sms_provider.received) == ["13700137001", "13700137002"]
    assert sms_provider.requests == 6  # 2 refused, 2 taken, 2 recognised by their OutId
    assert (await progress(gql, campaign))["sent"] == 2


async def test_texts_due_in_quiet_hours_wait_until_eight_in_the_contacts_zone(
    gql, sms_provider, app, marketing_db, zone_where
):
    night = zone_where(daytime=False)
    app.state.settings.sms_time_zone = night
    [contact] = await texting(gql, "13600136000")
    campaign = await sms_campaign(gql, contact)
    before = dt.datetime.now(dt.UTC)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("sms-sender")
    assert sms_provider.received == []
    assert (await progress(gql, campaign))["queued"] == 1
    async with marketing_db.unit_of_work() as uow:
        due = await uow.session.scalar(
            text("select next_attempt_at from sms_sends where campaign_id = :c"),
            {"c": uuid.UUID(campaign)},
        )
    assert due == not_before(before, ZoneInfo(night))
    assert due.astimezone(ZoneInfo(night)).time() == dt.time(8, 0)


async def test_the_frequency_cap_holds_back_texts_when_queued_and_again_when_sent(gql, sms_provider, app):
    app.state.settings.sms_cap = 2
    capped, free = await texting(gql, "13500135001", "13500135002")
    first = await sms_campaign(gql, capped, free)
    second = await sms_campaign(gql, capped)
    await gql.ok(SEND, {"id": first}, "marketer1")
    await gql.ok(SEND, {"id": second}, "marketer1")
    app.state.settings.sms_cap = 1
    third = await sms_campaign(gql, capped, free)
    queued = (await gql.ok(SEND, {"id": third}, "marketer1"))["sendCampaign"]["sendProgress"]
    assert queued["queued"] == 0  # each already has a text waiting
    await gql.run_schedule("sms-sender")
    assert sorted(r.phone for r in sms_provider.received) == ["13500135001", "13500135002"]
    skipped = [await progress(gql, c) for c in (first, second)]
    assert [(p["sent"], p["skipped"]) for p in skipped] == [(2, 0), (0, 1)]


async def test_receipts_and_opt_out_replies_arrive_through_signed_callbacks(gql, sms_provider, platform_settings, app):
    [contact] = await texting(gql, "13300133000")
    campaign = await sms_campaign(gql, contact)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("sms-sender")
    [sent] = sms_provider.received

    async def push(path, document, secret=app.state.settings.sms_callback_secret):
        body = json.dumps(document, ensure_ascii=False).encode()
        signed = {"X-Sms-Signature": callback_signature(secret, body), "Content-Type": "application/json"}
        return await gql.rest("POST", f"/api/v1/public/sms/{path}", None, content=body, headers=signed)

    receipt = [{"out_id": sent.out_id, "biz_id": sent.provider_id, "success": True, "err_code": "DELIVERED"}]
    assert (await push("reports", receipt, secret="not-our-secret-at-all")).status_code == 401
    odd = {"X-Sms-Signature": b"\xe9\xb2", "Content-Type": "application/json"}  # no ASCII: refused, not a 500
    assert (await gql.rest("POST", "/api/v1/public/sms/reports", None, content=b"[]", headers=odd)).status_code == 401
    assert (await push("reports", receipt)).json() == {"found": 1}
    assert (await push("reports", receipt)).json() == {"found": 1}  # again: delivered once
    assert (await progress(gql, campaign))["delivered"] == 1
    reply = [{"phone_number": "13300133000", "content": "TD", "send_time": "2027-03-01 10:00:00"}]
    assert (await push("replies", [{"phone_number": "13300133000", "content": "谢谢"}])).json() == {"optedOut": 0}
    assert (await push("replies", reply)).json() == {"optedOut": 1}
    standing = "query($c: ID!) { consent(contactId: $c) { channel granted source decision } }"
    states = (await gql.ok(standing, {"c": contact}, "marketer1"))["consent"]
    assert [s for s in states if s["channel"] == "SMS"] == [
        {"channel": "SMS", "granted": False, "source": "sms_reply", "decision": "OPTED_OUT"}
    ]
    await gql.publish()
    [delivered] = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.marketing.message",
        1,
        match=lambda e: e["type"] == "message.delivered" and e["data"]["campaignId"] == campaign,
    )
    assert json.loads(delivered.value)["data"]["id"] == sent.out_id


async def test_a_template_is_test_sent_with_sample_values_to_the_number_typed(gql, sms_provider):
    template = await gql.sms_template()
    test = "mutation($t: ID!, $p: String!) { sendSmsTest(id: $t, phone: $p) { accepted code text } }"
    sent = (await gql.ok(test, {"t": template, "p": "+86 139-0013-9000"}, "marketer1"))["sendSmsTest"]
    assert sent == {"accepted": True, "code": "OK", "text": "【示例科技】【春季促销】张三您好，全场八折，回T退订"}
    [got] = sms_provider.received
    assert (got.phone, got.sign_name, got.template_code, got.params) == (
        "13900139000",
        "示例科技",
        "SMS_0001",
        {"name": "张三", "offer": "全场八折"},
    )
    refused = await gql.error(test, {"t": template, "p": "12"}, "marketer1", code="BAD_USER_INPUT")
    assert (refused["extensions"]["field"], len(sms_provider.received)) == ("phone", 1)


async def placed(gql, city):
    """An account customer places in `city`, as its event reaches marketing's projections."""
    account_id = await gql.account()
    event = AccountUpdated(
        id=uuid.UUID(account_id),
        name="海外客户",
        industry=None,
        size=None,
        province=None,
        city=city,
        level=None,
        source=None,
        tags=[],
        lifecycle_stage=LifecycleStage.ACTIVE,
        owner_id=gql.personas["rep1"].user_id,
        in_pool=False,
        has_phone=False,
        has_email=False,
        custom={},
    )
    async with gql.app.state.db.unit_of_work() as uow:
        await gql.app.state.consumer.handlers[event.topic][event.type](uow, event.envelope("/crm/test"))
    return account_id


CITIES = (
    ("Los Angeles", "America/Los_Angeles"),
    ("纽约", "America/New_York"),
    ("伦敦", "Europe/London"),
    ("迪拜", "Asia/Dubai"),
    ("东京", "Asia/Tokyo"),
    ("奥克兰", "Pacific/Auckland"),
)


async def test_quiet_hours_follow_each_contacts_local_time_from_their_accounts_place(gql, sms_provider, marketing_db):
    now = dt.datetime.now(dt.UTC)
    city, zone = next(
        (c, z)
        for c, z in CITIES
        if in_quiet_hours(now, ZoneInfo(z)) and in_quiet_hours(now + dt.timedelta(minutes=5), ZoneInfo(z))
    )
    home, abroad = await placed(gql, "上海"), await placed(gql, city)
    here = await gql.contact(home, name="国内客户", phone="13100131001")
    there = await gql.contact(abroad, name="海外客户", phone="13100131002")
    for contact in (here, there):
        await gql.consent(contact, channel="SMS")
    campaign = await sms_campaign(gql, here, there)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("sms-sender")
    # the mainland contact is in the default zone (daytime in these tests); the other is asleep
    assert [r.phone for r in sms_provider.received] == ["13100131001"]
    async with marketing_db.unit_of_work() as uow:
        due = await uow.session.scalar(
            text("select next_attempt_at from sms_sends where contact_id = :c"), {"c": uuid.UUID(there)}
        )
    assert due == not_before(now, ZoneInfo(zone))
    assert due.astimezone(ZoneInfo(zone)).time() == dt.time(8, 0)
    assert (await progress(gql, campaign))["queued"] == 1


async def test_a_page_of_campaigns_shows_each_its_texts_or_mails_sent(gql):
    first, second = await texting(gql, "13800138011", "13800138012")
    texts = await sms_campaign(gql, first, second)
    reader = await gql.contact(await gql.account(), email="reader@example.cn")
    await gql.consent(reader)
    mails = await gql.approved(type="EMAIL", templateId=await gql.template())
    await gql.ok(MEMBERS, {"id": mails, "c": [reader]}, "marketer1")
    for campaign in (texts, mails):
        await gql.ok(SEND, {"id": campaign}, "marketer1")
    unsent = await gql.approved(type="SMS")
    page = "{ campaigns(first: 20) { edges { node { id sendProgress { queued sent failed skipped delivered } } } } }"
    listed = {e["node"]["id"]: e["node"]["sendProgress"] for e in (await gql.ok(page))["campaigns"]["edges"]}
    assert [listed[c] for c in (texts, mails, unsent)] == [
        {"queued": 2, "sent": 0, "failed": 0, "skipped": 0, "delivered": 0},
        {"queued": 1, "sent": 0, "failed": 0, "skipped": 0, "delivered": 0},
        {"queued": 0, "sent": 0, "failed": 0, "skipped": 0, "delivered": 0},
    ]
