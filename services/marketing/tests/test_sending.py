"""Sending an email campaign through a real SMTP sink: exactly one mail per consenting recipient, none to
anyone else, a sender stopped by a failing relay neither loses nor repeats a mail, the relay gets a mail's
data only once it has room among the unrecorded, a relay without PIPELINING still gets the envelope, one-click
unsubscribe (RFC 8058) stops the next send, the tracking links follow only the template's own links, and the public
links are limited per client address."""

import base64
import dataclasses
import json
import smtplib
from pathlib import Path
from typing import Any

import dkim
import jsonschema
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.devstack.broker import free_port
from crm_shared.testing import read_topic
from marketing.sending.sender import CampaignSender, Unrecorded, transfer
from marketing.settings import MarketingSettings

SEND = "mutation($id: ID!) { sendCampaign(id: $id) { status sentAt sendProgress { queued sent failed } } }"
PROGRESS = """query($id: ID!) { campaign(id: $id) { sendProgress { queued sent failed opened clicked unsubscribed }
    memberCounts { status count } } }"""
SCHEMAS = Path(__file__).resolve().parents[3] / "tests" / "contract" / "events"


def conforms(envelope):
    """The event as emitted matches the JSON Schema `make compose` published for its type."""
    schema = json.loads((SCHEMAS / f"{envelope['type']}.schema.json").read_text())
    jsonschema.validate(envelope, schema, format_checker=jsonschema.FormatChecker())
    return envelope["type"]


async def email_campaign(gql, *contacts, template=None):
    """An approved email campaign with the template and the contacts as members."""
    campaign = await gql.approved(type="EMAIL", templateId=template or await gql.template())
    members = "mutation($id: ID!, $c: [ID!]) { addCampaignMembers(id: $id, contactIds: $c) { id } }"
    await gql.ok(members, {"id": campaign, "c": list(contacts)}, "marketer1")
    return campaign


async def progress(gql, campaign):
    return (await gql.ok(PROGRESS, {"id": campaign}))["campaign"]


def links_of(mail):
    html = mail.get_body(("html",)).get_content()
    return [part.split('"')[0] for part in html.split('href="')[1:]], html


async def test_a_send_mails_each_consenting_recipient_once_and_no_one_else(gql, sink, platform_settings):
    sink.start()
    account = await gql.account()
    yes = await gql.contact(account, "yes@example.cn", name="<b>王</b>经理")
    also = await gql.contact(account, "also@example.cn", name="李工")
    out = await gql.contact(account, "out@example.cn")
    never = await gql.contact(account, "never@example.cn")  # no consent recorded
    listed = await gql.contact(account, "listed@example.cn")
    silent = await gql.contact(account)  # no address
    for contact in (yes, also, out, listed, silent):
        await gql.consent(contact)
    await gql.consent(out, granted=False)
    dnc = 'mutation($c: ID!) { setDoNotContact(contactId: $c, listed: true, reason: "投诉") }'
    await gql.ok(dnc, {"c": listed}, "marketer1")
    campaign = await email_campaign(gql, yes, also, out, never, listed, silent)
    sent = (await gql.ok(SEND, {"id": campaign}, "marketer1"))["sendCampaign"]
    assert (sent["status"], sent["sendProgress"]) == ("RUNNING", {"queued": 2, "sent": 0, "failed": 0})
    again = await gql.error(SEND, {"id": campaign}, "marketer1", code="CONFLICT")
    assert again["message"] == "The campaign has been sent already"
    await gql.run_schedule("campaign-sender")
    await gql.run_schedule("campaign-sender")
    assert sorted(m["To"] for m in sink.messages) == ["also@example.cn", "yes@example.cn"]
    [mail] = sink.to("yes@example.cn")
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://mail.example.com/api/v1/public/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["From"].addresses[0].addr_spec == "marketing@crm.local"
    assert len({m["Message-ID"] for m in sink.messages}) == 2
    tracked, html = links_of(mail)
    assert "&lt;b&gt;王&lt;/b&gt;经理" in html  # the merge field escaped
    assert [link.rsplit("/", 2)[1] for link in tracked] == ["click"]
    assert mail.get_body(("plain",)).get_content().strip() == (
        f"<b>王</b>经理，您好 https://example.com/offer 退订 {unsubscribe[1:-1]}"
    )
    found = await progress(gql, campaign)
    assert found["sendProgress"] == {"queued": 0, "sent": 2, "failed": 0, "opened": 0, "clicked": 0, "unsubscribed": 0}
    assert found["memberCounts"] == [{"status": "TARGETED", "count": 4}, {"status": "SENT", "count": 2}]
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.marketing.message",
        4,
        match=lambda e: e["data"]["campaignId"] == campaign,
    )
    kinds = sorted(conforms(json.loads(r.value)) for r in records)
    assert kinds == ["message.queued", "message.queued", "message.sent", "message.sent"]
    campaign_events = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.marketing.campaign", 5, match=lambda e: e["subject"] == campaign
    )
    assert [conforms(json.loads(r.value)) for r in campaign_events] == [
        "campaign.created",
        "campaign.budget_submitted",
        "campaign.budget_approved",
        "campaign.members_added",
        "campaign.status_changed",
    ]
    consent_events = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.marketing.consent", 2, match=lambda e: e["subject"] == listed
    )
    assert [conforms(json.loads(r.value)) for r in consent_events] == [
        "consent.recorded",
        "consent.do_not_contact_changed",
    ]


async def test_a_sender_stopped_by_a_failing_relay_neither_loses_nor_repeats_a_mail(gql, sink, app, marketing_db):
    account = await gql.account()
    contacts = [await gql.contact(account, f"r{i}@example.cn") for i in range(5)]
    for contact in contacts:
        await gql.consent(contact)
    campaign = await email_campaign(gql, *contacts)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    dead = MarketingSettings(smtp_port=free_port(), send_retry_seconds=0, public_base_url="https://mail.example.com")
    async with marketing_db.unit_of_work() as uow:
        assert await CampaignSender(dead).run(uow) == 0  # the relay is not there: the run stops, rows stay queued
    assert (await progress(gql, campaign))["sendProgress"]["queued"] == 5
    sink.start()
    await gql.run_schedule("campaign-sender")
    await gql.run_schedule("campaign-sender")
    assert sorted(m["To"] for m in sink.messages) == sorted(f"r{i}@example.cn" for i in range(5))
    assert (await progress(gql, campaign))["sendProgress"]["sent"] == 5


class Crash(Exception):
    pass


class StoppedAfter(CampaignSender):
    """A sender whose process stops after the relay accepted `accepted` mails, in the middle of its batch."""

    def __init__(self, settings, accepted):
        super().__init__(settings)
        self.left = accepted

    def _send_one(self, smtp, mail, data, hold):
        if not self.left:
            raise Crash
        self.left -= 1
        return super()._send_one(smtp, mail, data, hold)


async def test_a_sender_stopped_midway_has_recorded_each_mail_the_relay_accepted_and_repeats_none(
    gql, sink, app, marketing_db, marketing_settings
):
    sink.start()
    account = await gql.account()
    contacts = [await gql.contact(account, f"m{i}@example.cn") for i in range(5)]
    for contact in contacts:
        await gql.consent(contact)
    campaign = await email_campaign(gql, *contacts)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    one_connection = marketing_settings.model_copy(update={"smtp_connections": 1})
    with pytest.raises(Crash):
        async with marketing_db.unit_of_work() as uow:
            await StoppedAfter(one_connection, 3).run(uow)
    assert len(sink.messages) == 3
    assert (await progress(gql, campaign))["sendProgress"] == {
        "queued": 2,
        "sent": 3,
        "failed": 0,
        "opened": 0,
        "clicked": 0,
        "unsubscribed": 0,
    }
    await gql.run_schedule("campaign-sender")
    assert sorted(m["To"] for m in sink.messages) == sorted(f"m{i}@example.cn" for i in range(5))
    assert len({m["Message-ID"] for m in sink.messages}) == 5
    assert (await progress(gql, campaign))["sendProgress"]["sent"] == 5


def test_the_relay_gets_a_mail_s_data_only_once_the_mail_has_room_among_those_not_yet_recorded(sink):
    sink.start()
    mail = b"From: marketing@crm.local\r\nTo: m@example.cn\r\nMessage-ID: <1@crm.local>\r\n\r\n.starts with a dot\r\n"

    def no_room():
        raise Unrecorded

    cut_off = smtplib.SMTP("127.0.0.1", sink.port)
    with pytest.raises(Unrecorded):
        transfer(cut_off, "marketing@crm.local", "m@example.cn", mail, no_room)
    cut_off.close()
    taken = []
    sent = smtplib.SMTP("127.0.0.1", sink.port)
    transfer(sent, "marketing@crm.local", "m@example.cn", mail, lambda: taken.append(len(sink.messages)))
    sent.quit()
    assert taken == [0]
    assert [(m["Message-ID"], m.get_content()) for m in sink.messages] == [("<1@crm.local>", ".starts with a dot\r\n")]


class LockstepRelay:
    """A relay that does not offer PIPELINING (aiosmtpd's own EHLO), refusing one mailbox."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == "gone@example.cn":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        return "250 Message accepted"


def test_a_relay_without_pipelining_is_sent_the_envelope_a_command_at_a_time():
    relay = LockstepRelay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp = smtplib.SMTP("127.0.0.1", controller.port)
        mail = b"From: marketing@crm.local\r\nTo: m@example.cn\r\n\r\nHello\r\n"
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            transfer(smtp, "marketing@crm.local", "gone@example.cn", mail, lambda: None)
        smtp.rset()
        transfer(smtp, "marketing@crm.local", "m@example.cn", mail, lambda: None)
        smtp.quit()
    finally:
        controller.stop()
    assert not smtp.has_extn("pipelining")
    assert refused.value.recipients == {"gone@example.cn": (550, b"5.1.1 No such user")}
    assert relay.received == [mail]


async def test_a_mail_the_relay_refuses_for_good_is_given_up_and_reported_bounced(gql, sink, platform_settings):
    sink.start()
    account = await gql.account()
    good = await gql.contact(account, "good@example.cn")
    await gql.consent(good)
    campaign = await email_campaign(gql, good)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    sink.refuse("good@example.cn")
    await gql.run_schedule("campaign-sender")
    assert (await progress(gql, campaign))["sendProgress"] == {
        "queued": 0,
        "sent": 0,
        "failed": 1,
        "opened": 0,
        "clicked": 0,
        "unsubscribed": 0,
    }
    await gql.publish()
    [bounce] = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.marketing.message",
        1,
        match=lambda e: e["type"] == "message.bounced" and e["data"]["campaignId"] == campaign,
    )
    assert conforms(json.loads(bounce.value)) == "message.bounced"
    assert json.loads(bounce.value)["data"]["smtpCode"] == 550


async def test_a_recipient_whose_values_the_template_fails_is_given_up_and_the_others_are_mailed(gql, sink):
    """The template renders for the sample recipient when saved, but not for a name of three characters."""
    sink.start()
    account = await gql.account()
    fails = await gql.contact(account, "three@example.cn", name="王经理")
    goes = await gql.contact(account, "two@example.cn", name="李工")
    for contact in (fails, goes):
        await gql.consent(contact)
    html = '<p>{{ 10 // (contact.name|length - 3) }}</p><a href="https://example.com/offer">优惠</a>'
    campaign = await email_campaign(gql, fails, goes, template=await gql.template(html=html))
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("campaign-sender")
    assert [m["To"] for m in sink.messages] == ["two@example.cn"]
    figures = (await progress(gql, campaign))["sendProgress"]
    assert (figures["queued"], figures["sent"], figures["failed"]) == (0, 1, 1)
    await gql.run_schedule("campaign-sender")  # nothing is tried again
    assert [m["To"] for m in sink.messages] == ["two@example.cn"]


async def test_one_click_unsubscribe_posts_only_and_stops_the_next_send(gql, sink):
    sink.start()
    account = await gql.account()
    leaving, staying = await gql.contact(account, "leave@example.cn"), await gql.contact(account, "stay@example.cn")
    for contact in (leaving, staying):
        await gql.consent(contact)
    first = await email_campaign(gql, leaving, staying)
    await gql.ok(SEND, {"id": first}, "marketer1")
    await gql.run_schedule("campaign-sender")
    [mail] = sink.to("leave@example.cn")
    path = mail["List-Unsubscribe"][1:-1].removeprefix("https://mail.example.com")
    shown = await gql.rest("GET", path, None)
    assert shown.status_code == 200 and '<form method="post"' in shown.text
    assert (await progress(gql, first))["sendProgress"]["unsubscribed"] == 0  # following the link changes nothing
    done = await gql.rest("POST", path, None, content=b"List-Unsubscribe=One-Click")
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert (await gql.rest("POST", path, None)).status_code == 200  # again: nothing more happens
    assert (await progress(gql, first))["sendProgress"]["unsubscribed"] == 1
    standing = "query($c: ID!) { consent(contactId: $c) { channel granted source decision } }"
    assert (await gql.ok(standing, {"c": leaving}, "marketer1"))["consent"][0] == {
        "channel": "EMAIL",
        "granted": False,
        "source": "unsubscribe_link",
        "decision": "OPTED_OUT",
    }
    second = await email_campaign(gql, leaving, staying)
    assert (await gql.ok(SEND, {"id": second}, "marketer1"))["sendCampaign"]["sendProgress"]["queued"] == 1
    await gql.run_schedule("campaign-sender")
    assert len(sink.to("leave@example.cn")) == 1 and len(sink.to("stay@example.cn")) == 2
    forged = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
    assert (await gql.rest("POST", forged, None)).status_code == 404


async def test_clicks_go_only_to_the_templates_links_and_opens_count_once(gql, sink, platform_settings):
    sink.start()
    account = await gql.account()
    contact = await gql.contact(account, "click@example.cn")
    await gql.consent(contact)
    campaign = await email_campaign(gql, contact)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("campaign-sender")
    [mail] = sink.to("click@example.cn")
    [click], html = links_of(mail)
    pixel = html.split('<img src="')[1].split('"')[0]
    base = "https://mail.example.com"
    for _ in range(2):
        assert (await gql.rest("GET", pixel.removeprefix(base), None)).headers["content-type"] == "image/gif"
    followed = await gql.rest("GET", click.removeprefix(base), None)
    assert (followed.status_code, followed.headers["location"]) == (302, "https://example.com/offer")
    found = await progress(gql, campaign)
    assert (found["sendProgress"]["opened"], found["sendProgress"]["clicked"]) == (1, 1)
    assert found["memberCounts"] == [{"status": "RESPONDED", "count": 1}]
    unsubscribe = mail["List-Unsubscribe"][1:-1].removeprefix(base).replace("/unsubscribe/", "/click/")
    assert (await gql.rest("GET", unsubscribe, None)).status_code == 404  # another kind of link never redirects
    await gql.rest("POST", mail["List-Unsubscribe"][1:-1].removeprefix(base), None)
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.marketing.message",
        5,
        match=lambda e: e["data"]["campaignId"] == campaign,
    )
    assert [conforms(json.loads(r.value)) for r in records] == [
        "message.queued",
        "message.sent",
        "message.opened",
        "message.clicked",
        "message.unsubscribed",
    ]


async def test_the_public_links_are_limited_per_client_address_an_ipv6_one_by_its_64(gql, sink, app):
    sink.start()
    contact = await gql.contact(await gql.account(), "limit@example.cn")
    await gql.consent(contact)
    campaign = await email_campaign(gql, contact)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("campaign-sender")
    [mail] = sink.to("limit@example.cn")
    [click], html = links_of(mail)
    base = "https://mail.example.com"
    pixel = html.split('<img src="')[1].split('"')[0].removeprefix(base)
    app.state.public_limiter = RateLimiter(per_minute=60, burst=1)

    async def status(method, path, address):
        response = await gql.rest(method, path, None, headers={"x-forwarded-for": address})
        return response.status_code, response.headers.get("Retry-After")

    unsubscribe = mail["List-Unsubscribe"][1:-1].removeprefix(base)
    assert [
        await status("GET", pixel, "203.0.113.7"),
        await status("GET", click.removeprefix(base), "203.0.113.7"),
        await status("POST", unsubscribe, "203.0.113.7"),
        await status("GET", click.removeprefix(base), "203.0.113.8"),
        await status("GET", pixel, "2001:db8:1:2::1"),
        await status("GET", pixel, "2001:db8:1:2:ffff::9"),
        await status("GET", pixel, "2001:db8:1:3::1"),
    ] == [(200, None), (429, "1"), (429, "1"), (302, None), (200, None), (429, "1"), (200, None)]
    sent = (await progress(gql, campaign))["sendProgress"]
    assert (sent["opened"], sent["clicked"], sent["unsubscribed"]) == (1, 1, 0)  # the refused unsubscribe did nothing


async def test_campaign_mail_is_dkim_signed_when_a_key_is_configured_and_verifies(gql, sink, app, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (tmp_path / "dkim.pem").write_bytes(pem)
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    settings = app.state.settings.model_copy(update={"dkim_key_path": str(tmp_path / "dkim.pem")})
    app.state.schedules.schedules[:] = [
        dataclasses.replace(s, job=CampaignSender(settings).run) if s.name == "campaign-sender" else s
        for s in app.state.schedules.schedules
    ]
    sink.store.directory = tmp_path / "mail"
    sink.start()
    contact = await gql.contact(await gql.account(), "signed@example.cn", name="签名")
    await gql.consent(contact)
    campaign = await email_campaign(gql, contact)
    await gql.ok(SEND, {"id": campaign}, "marketer1")
    await gql.run_schedule("campaign-sender")
    [raw] = [path.read_bytes() for path in (tmp_path / "mail").iterdir()]
    assert raw.startswith(
        b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=crm.local;\r\n i=@crm.local; q=dns/txt; s=crm;"
    )
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    asked = []

    def dns(name, timeout=5):
        asked.append(name)
        return record

    assert dkim.verify(raw, dnsfunc=dns) is True
    assert asked == [b"crm._domainkey.crm.local."]
    tampered = raw.replace(b"To: signed@example.cn", b"To: other@example.cn")
    assert tampered != raw
    assert dkim.verify(tampered, dnsfunc=dns) is False


async def test_the_email_cap_leaves_out_a_contact_who_had_enough_mail_this_week(gql, sink, app):
    app.state.settings.email_cap = 1
    sink.start()
    account = await gql.account()
    often, fresh = await gql.contact(account, "often@example.cn"), await gql.contact(account, "fresh@example.cn")
    for contact in (often, fresh):
        await gql.consent(contact)
    first = await email_campaign(gql, often)
    await gql.ok(SEND, {"id": first}, "marketer1")
    await gql.run_schedule("campaign-sender")
    second = await email_campaign(gql, often, fresh)
    assert (await gql.ok(SEND, {"id": second}, "marketer1"))["sendCampaign"]["sendProgress"]["queued"] == 1
    await gql.run_schedule("campaign-sender")
    assert [m["To"] for m in sink.messages] == ["often@example.cn", "fresh@example.cn"]
