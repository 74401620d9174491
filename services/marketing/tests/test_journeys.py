"""Journeys on the real database, broker and SMTP sink: drafts refused with the field named, an event read
from the topic enrols a contact, the email step sends one mail, a wait then a branch on "opened" takes the
right path, a click read back from the topic ends a wait early, editing a live journey leaves those inside
on their version, and runners killed mid-journey and started again neither lose nor repeat a step."""

import asyncio
import json
import logging
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
from sqlalchemy import select
from sqlmodel import col

from crm_contracts.customer import ACCOUNT_TOPIC, CONTACT_TOPIC, ContactCreated
from crm_shared.auth import Principal
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.db import utcnow
from crm_shared.testing import read_topic
from crm_shared.testing.events import account_created, consumed, put_on_topic
from marketing.journeys.demo import seed_journey
from marketing.journeys.models import ContactTag, Enrolment, HandOver, StepRun
from marketing.journeys.runner import JourneyRunner
from marketing.journeys.service import enter_from_segment
from marketing.segments.models import SegmentMember
from marketing.sending.models import CampaignSend, SendStatus
from marketing.sending.rules import not_before
from marketing.sms.models import SmsSend

SAVE = "mutation($i: JourneyInput!, $id: ID) { saveJourney(input: $i, id: $id) { id status liveVersion } }"
PUBLISH = "mutation($id: ID!) { publishJourney(id: $id) { status liveVersion } }"
SEGMENT = "mutation($i: SaveSegmentInput!) { saveSegment(input: $i) { id } }"
MEMBERS = "query($id: ID!) { segment(id: $id) { memberCount } }"
PROGRESS = """query($id: ID!, $c: ID) { journeyProgress(id: $id, contactId: $c) {
    enrolled active waiting finished exited goalReached steps { version step active waiting }
    position { step state stepsTaken goalReached } } }"""
SCHEMAS = Path(__file__).resolve().parents[3] / "tests" / "contract" / "events"
DAY = 86400


def welcome(template):
    """Mail, wait three days, then tag and count the goal for those who opened; the others leave."""
    return [
        {"key": "welcome", "type": "EMAIL", "templateId": template, "next": "pause"},
        {"key": "pause", "type": "WAIT", "waitSeconds": 3 * DAY, "next": "opened"},
        {
            "key": "opened",
            "type": "BRANCH",
            "condition": {"kind": "OPENED", "step": "welcome"},
            "yes": "engaged",
            "no": "bye",
        },
        {"key": "engaged", "type": "ADD_TAG", "tag": "活跃", "next": "won"},
        {"key": "won", "type": "GOAL"},
        {"key": "bye", "type": "EXIT"},
    ]


def segment_trigger(segment):
    return {"type": "SEGMENT", "segmentId": str(segment)}


async def save(gql, steps, trigger, journey=None, as_="marketer1"):
    data = {"name": "新客培育", "campaignId": await gql.campaign(as_), "trigger": trigger, "steps": steps}
    return (await gql.ok(SAVE, {"i": data, "id": journey}, as_))["saveJourney"]


async def live(gql, steps, trigger):
    journey = (await save(gql, steps, trigger))["id"]
    assert (await gql.ok(PUBLISH, {"id": journey}, "marketer1"))["publishJourney"] == {
        "status": "LIVE",
        "liveVersion": 1,
    }
    return journey


async def progress(gql, journey, contact=None):
    return (await gql.ok(PROGRESS, {"id": journey, "c": contact}))["journeyProgress"]


def contact_event(account, email, name="李经理"):
    return ContactCreated(
        id=uuid.uuid4(),
        account_id=uuid.UUID(account),
        name=name,
        title=None,
        role="primary",
        has_phone=False,
        has_email=True,
        email_hash=lookup_hash(email),
        email_enc=encrypt(email),
    ).envelope("/crm/customer")


async def contact_created(bootstrap, account, email):
    """customer's `contact.created` for a new contact of the account, on its topic."""
    envelope = contact_event(account, email)
    await put_on_topic(bootstrap, CONTACT_TOPIC, [envelope])
    return envelope.subject


async def until(check, tries=300):
    for _ in range(tries):
        if found := await check():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("not reached")


async def taken(app, contact):
    """The steps the contact's enrolment took, in order."""
    async with app.state.db.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(StepRun.seq), col(StepRun.step), col(StepRun.outcome))
            .join(Enrolment, col(Enrolment.id) == col(StepRun.enrolment_id))
            .where(col(Enrolment.person_id) == uuid.UUID(contact))
            .order_by(col(StepRun.seq))
        )
        return [(step, outcome) for _, step, outcome in rows]


async def tags(app):
    async with app.state.db.unit_of_work() as uow:
        rows = await uow.session.execute(select(col(ContactTag.contact_id), col(ContactTag.tag)))
        return sorted((str(c), t) for c, t in rows)


async def test_a_draft_that_cannot_run_is_refused_naming_the_field_and_nothing_is_saved(gql):
    template = await gql.template()
    lonely = [
        {"key": "welcome", "type": "EMAIL", "templateId": template},
        {"key": "orphan", "type": "GOAL"},
    ]
    trigger = {"type": "EVENT", "eventType": "contact.created"}
    data = {"name": "坏旅程", "campaignId": await gql.campaign(), "trigger": trigger, "steps": lonely}
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert error["message"] == "字段“steps[1]”：从第一个步骤无法到达步骤 orphan"
    data["steps"] = [{"key": "welcome", "type": "EMAIL", "templateId": str(uuid.uuid4())}]
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert error["message"] == "Field 'steps[0].templateId' names no email template"
    data["steps"] = [
        {"key": "tag", "type": "ADD_TAG", "tag": "x", "next": "again"},
        {"key": "again", "type": "BRANCH", "condition": {"kind": "CLICKED"}, "yes": "tag", "no": "tag"},
    ]
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert error["message"] == "Field 'steps[0]': the step tag is in a loop without a wait"
    data["campaignId"] = await gql.campaign("lead")  # another team's campaign
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert error["message"] == "Field 'campaignId' names no campaign you may see"
    assert (await gql.ok("{ journeys { id } }", None, "marketer1"))["journeys"] == []


async def test_an_event_from_the_topic_enrols_a_contact_who_gets_one_mail_and_goes_the_way_their_open_decides(
    app, gql, sink, clock, platform_settings
):
    sink.start()
    account = await gql.account()
    trigger = {
        "type": "EVENT",
        "eventType": "contact.created",
        "conditions": [{"kind": "FIELD", "field": "accountId", "value": account}],
    }
    journey = await live(gql, welcome(await gql.template()), trigger)
    bootstrap = platform_settings.kafka_bootstrap_servers
    opener = await contact_created(bootstrap, account, "open@example.cn")
    ignorer = await contact_created(bootstrap, account, "ignore@example.cn")

    async def both_enrolled():
        return (await progress(gql, journey))["enrolled"] == 2

    await consumed(app.state.consumer, both_enrolled)
    for contact in (opener, ignorer):
        await gql.consent(contact)
    assert await app.state.journeys.run_once() == 2
    await gql.run_schedule("campaign-sender")
    assert sorted(m["To"] for m in sink.messages) == ["ignore@example.cn", "open@example.cn"]
    found = await progress(gql, journey)
    assert (found["waiting"], found["steps"]) == (2, [{"version": 1, "step": "pause", "active": 0, "waiting": 2}])

    [mail] = sink.to("open@example.cn")
    pixel = mail.get_body(("html",)).get_content().split('<img src="')[1].split('"')[0]
    await gql.rest("GET", pixel.removeprefix("https://mail.example.com"), None)
    assert await app.state.journeys.run_once() == 0  # nobody is due before the three days are over
    clock.advance(days=3)
    assert await app.state.journeys.run_once() == 2
    await gql.run_schedule("campaign-sender")

    found = await progress(gql, journey, opener)
    assert {k: found[k] for k in ("enrolled", "active", "waiting", "finished", "exited", "goalReached")} == {
        "enrolled": 2,
        "active": 0,
        "waiting": 0,
        "finished": 1,
        "exited": 1,
        "goalReached": 1,
    }
    assert found["position"] == {"step": "won", "state": "FINISHED", "stepsTaken": 5, "goalReached": True}
    assert await taken(app, opener) == [
        ("welcome", "done"),
        ("pause", "done"),
        ("opened", "yes"),
        ("engaged", "done"),
        ("won", "done"),
    ]
    assert await taken(app, ignorer) == [("welcome", "done"), ("pause", "done"), ("opened", "no"), ("bye", "done")]
    assert await tags(app) == [(opener, "活跃")]
    assert len(sink.messages) == 2  # the mail was sent once

    await gql.publish()
    records = await read_topic(bootstrap, "crm.marketing.journey", 7, match=lambda e: e["data"]["personId"] == opener)
    envelopes = [json.loads(r.value) for r in records]
    for envelope in envelopes:
        schema = json.loads((SCHEMAS / f"{envelope['type']}.schema.json").read_text())
        jsonschema.validate(envelope, schema, format_checker=jsonschema.FormatChecker())
    assert [(e["type"], e["data"]["step"]) for e in envelopes] == [
        ("journey.enrolled", "welcome"),
        ("journey.step_completed", "welcome"),
        ("journey.step_completed", "pause"),
        ("journey.step_completed", "opened"),
        ("journey.step_completed", "engaged"),
        ("journey.step_completed", "won"),
        ("journey.finished", "won"),
    ]


async def test_a_click_read_back_from_the_topic_ends_a_wait_for_it_before_the_timeout(app, gql, sink, clock):
    sink.start()
    steps = [
        {"key": "welcome", "type": "EMAIL", "templateId": await gql.template(), "next": "click"},
        {
            "key": "click",
            "type": "WAIT",
            "waitEvent": "message.clicked",
            "waitSeconds": 7 * DAY,
            "next": "clicked",
            "timeoutNext": "late",
        },
        {"key": "clicked", "type": "ADD_TAG", "tag": "点击"},
        {"key": "late", "type": "ADD_TAG", "tag": "未点击"},
    ]
    segment = await gql.segment()
    journey = await live(gql, steps, segment_trigger(segment))
    account = await gql.account()
    clicker, other = await gql.contact(account, "click@example.cn"), await gql.contact(account, "no@example.cn")
    for contact in (clicker, other):
        await gql.consent(contact)
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, segment, [uuid.UUID(clicker), uuid.UUID(other)])
    await app.state.journeys.run_once()
    await gql.run_schedule("campaign-sender")
    [mail] = sink.to("click@example.cn")
    click = mail.get_body(("html",)).get_content().split('href="')[1].split('"')[0]
    await gql.rest("GET", click.removeprefix("https://mail.example.com"), None)
    await gql.publish()  # message.clicked goes to the broker, and marketing reads it back

    async def seen():
        async with app.state.db.unit_of_work() as uow:
            return await uow.session.scalar(select(col(Enrolment.person_id)).where(col(Enrolment.event_seen)))

    assert str(await consumed(app.state.consumer, seen)) == clicker
    assert await app.state.journeys.run_once() == 1
    assert await tags(app) == [(clicker, "点击")]
    clock.advance(days=7)
    assert await app.state.journeys.run_once() == 1
    assert await tags(app) == sorted([(clicker, "点击"), (other, "未点击")])
    assert (await progress(gql, journey))["finished"] == 2


async def test_a_published_edit_is_for_newcomers_while_those_inside_finish_their_version(app, gql, clock):
    segment, elsewhere = await gql.segment(), await gql.segment()
    first = [
        {"key": "start", "type": "ADD_TAG", "tag": "v1", "next": "pause"},
        {"key": "pause", "type": "WAIT", "waitSeconds": DAY, "next": "end"},
        {"key": "end", "type": "ADD_TAG", "tag": "v1-end"},
    ]
    journey = await live(gql, first, segment_trigger(segment))
    account = await gql.account()
    early, late, outside = [uuid.UUID(await gql.contact(account, f"{n}@example.cn")) for n in ("a", "b", "c")]
    async with app.state.db.unit_of_work() as uow:
        assert await enter_from_segment(uow, segment, [early, early]) == 1
    await app.state.journeys.run_once()

    second = [{"key": "start", "type": "ADD_TAG", "tag": "v2"}]
    campaign = await gql.campaign()
    data = {"name": "新客培育", "campaignId": campaign, "trigger": segment_trigger(segment), "steps": second}
    assert (await gql.ok(SAVE, {"i": data, "id": journey}, "marketer1"))["saveJourney"]["liveVersion"] == 1
    assert (await gql.ok(PUBLISH, {"id": journey}, "marketer1"))["publishJourney"]["liveVersion"] == 2
    async with app.state.db.unit_of_work() as uow:
        assert await enter_from_segment(uow, segment, [early, late]) == 1  # the one inside is not enrolled again
        assert await enter_from_segment(uow, elsewhere, [outside]) == 0
    await app.state.journeys.run_once()
    found = await progress(gql, journey)
    assert found["steps"] == [{"version": 1, "step": "pause", "active": 0, "waiting": 1}]
    assert found["finished"] == 1
    clock.advance(days=1)
    await app.state.journeys.run_once()
    assert await tags(app) == sorted([(str(early), "v1"), (str(early), "v1-end"), (str(late), "v2")])


async def test_runners_killed_mid_journey_and_started_again_neither_lose_nor_repeat_a_step(app, gql, sink, clock):
    sink.start()
    template = await gql.template()
    steps = [
        {"key": "welcome", "type": "EMAIL", "templateId": template, "next": "pause"},
        {"key": "pause", "type": "WAIT", "waitSeconds": DAY, "next": "tag"},
        {"key": "tag", "type": "ADD_TAG", "tag": "培育中", "next": "again"},
        {"key": "again", "type": "EMAIL", "templateId": template},
    ]
    segment = await gql.segment()
    journey = await live(gql, steps, segment_trigger(segment))
    account = await gql.account()
    people = [await gql.contact(account, f"p{i}@example.cn") for i in range(20)]
    for contact in people:
        await gql.consent(contact)
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, segment, [uuid.UUID(c) for c in people])

    async def killed_after_first_batch():
        runner = JourneyRunner(app.state.db, batch=7, poll_seconds=0.05)
        task = asyncio.create_task(runner.run())
        await until(lambda: asyncio.sleep(0, runner.moved > 0))
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    await killed_after_first_batch()
    replicas = [JourneyRunner(app.state.db, batch=7, poll_seconds=0.05) for _ in range(2)]
    tasks = [asyncio.create_task(r.run()) for r in replicas]

    async def waiting(count):
        return (await progress(gql, journey))["waiting"] == count

    await until(lambda: waiting(20))
    clock.advance(days=1)
    for task in tasks[:1]:  # one replica dies while the timers come due; the other carries on
        task.cancel()
    await killed_after_first_batch()

    async def finished():
        return (await progress(gql, journey))["finished"] == 20

    await until(finished)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    for contact in people:
        assert await taken(app, contact) == [("welcome", "done"), ("pause", "done"), ("tag", "done"), ("again", "done")]
    async with app.state.db.unit_of_work() as uow:
        sends = (await uow.session.scalars(select(CampaignSend))).all()
    assert len(sends) == 40
    await gql.run_schedule("campaign-sender")
    assert sorted(m["To"] for m in sink.messages) == sorted(f"p{i}@example.cn" for i in range(20) for _ in range(2))


async def test_a_task_and_a_lead_are_handed_over_once_for_the_accounts_owner(app, gql, persona):
    steps = [
        {"key": "call", "type": "TASK", "title": "电话回访", "dueDays": 2, "next": "handover"},
        {"key": "handover", "type": "LEAD"},
    ]
    segment = await gql.segment()
    await live(gql, steps, segment_trigger(segment))
    account = await gql.account(owner="rep1")
    contact = await gql.contact(account, "hand@example.cn", name="周总")
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, segment, [uuid.UUID(contact)])
    await app.state.journeys.run_once()
    await app.state.journeys.run_once()
    async with app.state.db.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(HandOver).order_by(col(HandOver.seq)))).all()
    assert [(r.kind, r.payload["title"] if r.kind == "task" else r.payload["contactName"]) for r in rows] == [
        ("task", "电话回访：周总"),
        ("lead", "周总"),
    ]
    assert rows[0].payload["assigneeId"] == str(persona["rep1"].user_id)
    assert rows[0].payload["accountId"] == account
    assert rows[1].payload["contactId"] == contact and "email" not in rows[1].payload


async def test_the_demo_journey_has_contacts_waiting_at_different_steps(app, gql, persona):
    account = await gql.account()
    people = [uuid.UUID(await gql.contact(account, f"demo{i}@example.cn")) for i in range(4)]
    marketer = persona["marketer1"]
    principal = Principal(user_id=marketer.user_id, permissions=frozenset({"*"}))
    campaign, template = await gql.campaign(), await gql.template()
    await seed_journey(app.state.db, principal, uuid.UUID(campaign), uuid.UUID(template), people)
    [journey] = (await gql.ok("{ journeys { id status liveVersion } }"))["journeys"]
    assert (journey["status"], journey["liveVersion"]) == ("LIVE", 1)
    assert (await progress(gql, journey["id"]))["steps"] == [
        {"version": 1, "step": "later", "active": 0, "waiting": 2},
        {"version": 1, "step": "pause", "active": 0, "waiting": 2},
    ]


async def test_an_sms_step_texts_once_with_consent_waits_out_quiet_hours_and_keeps_to_the_cap(
    app, gql, sms_provider, zone_where
):
    template = await gql.sms_template()
    steps = [{"key": "text", "type": "SMS", "templateId": template, "next": "done"}, {"key": "done", "type": "GOAL"}]
    first, second = await gql.segment(), await gql.segment()
    await live(gql, steps, segment_trigger(first))
    await live(gql, steps, segment_trigger(second))
    account = await gql.account()
    day = await gql.contact(account, name="白天", phone="13200132001")
    silent = await gql.contact(account, name="未同意", phone="13200132002")
    night = await gql.contact(account, name="夜里", phone="13200132003")
    for contact in (day, night):
        await gql.consent(contact, channel="SMS")
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, first, [uuid.UUID(day), uuid.UUID(silent)])
    await app.state.journeys.run_once()
    assert await taken(app, day) == [("text", "done"), ("done", "done")]
    assert await taken(app, silent) == [("text", "skipped"), ("done", "done")]  # no SMS consent
    await gql.run_schedule("sms-sender")
    await gql.run_schedule("sms-sender")
    [got] = sms_provider.received
    assert (got.phone, got.template_code, got.params) == (
        "13200132001",
        "SMS_0001",
        {"name": "白天", "offer": "全场八折"},
    )

    # at night where the contact is, the text waits in its row until 8:00 there, and the journey goes on
    zone = zone_where(daytime=False)
    app.state.settings.sms_time_zone = zone
    before = utcnow()
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, first, [uuid.UUID(night)])
    await app.state.journeys.run_once()
    assert await taken(app, night) == [("text", "done"), ("done", "done")]
    async with app.state.db.unit_of_work() as uow:
        waiting = await uow.session.scalar(select(SmsSend).where(col(SmsSend.contact_id) == uuid.UUID(night)))
    assert waiting is not None
    assert (waiting.status, waiting.next_attempt_at) == (SendStatus.QUEUED, not_before(before, ZoneInfo(zone)))
    assert waiting.step.startswith("journey:")

    # one text a week at most: the contact texted by the first journey is skipped by the second
    app.state.settings.sms_cap = 1
    async with app.state.db.unit_of_work() as uow:
        await enter_from_segment(uow, second, [uuid.UUID(day)])
    await app.state.journeys.run_once()
    both = [("done", "done"), ("done", "done"), ("text", "done"), ("text", "skipped")]
    assert sorted(await taken(app, day)) == both  # each journey's steps, the second's text over the cap
    await gql.run_schedule("sms-sender")
    assert len(sms_provider.received) == 1


async def test_an_imports_burst_of_contacts_is_applied_in_batches_each_segmented_and_enrolled_once(
    app, gql, platform_settings, caplog
):
    """An import sends hundreds of contacts at once, some delivered twice: marketing applies each fetched batch in
    one transaction, and every contact enters the segment its account matches and the journey that starts from
    `contact.created`, once."""
    key = uuid.uuid4().hex[:8]
    created = account_created(gql.personas["rep1"].user_id, level="A", tags=[key]).envelope("/crm/customer")
    account = created.subject
    async with app.state.db.unit_of_work() as uow:
        await app.state.consumer.handlers[ACCOUNT_TOPIC][created.type](uow, created)
    rules = {"match": "ALL", "conditions": [{"field": "TAGS", "operator": "CONTAINS", "value": key}]}
    saved = await gql.ok(SEGMENT, {"i": {"name": "导入的 A 级客户", "rules": rules}}, "marketer1")
    segment = saved["saveSegment"]["id"]
    trigger = {
        "type": "EVENT",
        "eventType": "contact.created",
        "conditions": [{"kind": "FIELD", "field": "accountId", "value": account}],
    }
    journey = await live(gql, welcome(await gql.template()), trigger)
    envelopes = [contact_event(account, f"buyer{i}@{key}.example.cn", f"采购{i}") for i in range(150)]
    await put_on_topic(platform_settings.kafka_bootstrap_servers, CONTACT_TOPIC, envelopes + envelopes[:20])  # 20 twice

    caplog.set_level(logging.INFO, logger="crm_shared.events.consumer")

    async def all_in():
        members = (await gql.ok(MEMBERS, {"id": segment}, "marketer1"))["segment"]["memberCount"]
        return members == 150 and (await progress(gql, journey))["enrolled"] == 150

    await consumed(app.state.consumer, all_in)
    async with app.state.db.unit_of_work() as uow:
        enrolled = await uow.session.scalars(
            select(col(Enrolment.person_id)).where(col(Enrolment.journey_id) == journey)
        )
        members = await uow.session.scalars(
            select(col(SegmentMember.contact_id)).where(col(SegmentMember.segment_id) == segment)
        )
        expected = sorted(uuid.UUID(e.subject) for e in envelopes)
        assert (sorted(enrolled.all()), sorted(members.all())) == (expected, expected)
    assert app.state.consumer.batches
    assert "goes one by one" not in caplog.text
