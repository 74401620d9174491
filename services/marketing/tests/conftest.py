"""Marketing tests: the real app on a fresh database, the broker and a real SMTP sink; callers signed by a
test key.

Marketers work in the marketing team (scope `unit` over campaigns); the marketing manager manages the
department above it and approves budgets. `lead` holds the approve permission in another team, but is
above nobody. The user directory, the org tree, accounts, contacts and leads are filled the way
identity's, customer's and sales' events fill them in production.
"""

import datetime as dt
import json
import uuid
from zoneinfo import ZoneInfo

import pytest

from crm_contracts.automation import APPROVAL_TOPIC, ApprovalDecided, Outcome, SubjectKind
from crm_contracts.customer import ACCOUNT_TOPIC, CONTACT_TOPIC, ContactCreated
from crm_contracts.identity import OrgUnitCreated
from crm_contracts.sales import LEAD_TOPIC, LeadStatus
from crm_shared.accounts import upsert_account
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.devstack.broker import free_port
from crm_shared.devstack.sms import SmsProvider
from crm_shared.events.outbox import remember
from crm_shared.org import project_unit
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, read_topic, service_app
from crm_shared.testing.events import account_created, delivered
from crm_shared.testing.smtp import SmtpSink
from crm_shared.testing.tokens import Persona
from marketing.app import create_app
from marketing.audience import LeadSeen, project_contact, project_lead
from marketing.events import TOPICS
from marketing.sending.rules import in_quiet_hours
from marketing.settings import MarketingSettings

COMPANY, MARKETING, TEAM, OTHER_TEAM, SALES = (uuid.uuid4() for _ in range(5))
MARKETER = (
    "marketing:campaign:read",
    "marketing:campaign:create",
    "marketing:campaign:update",
    "marketing:campaign:delete",
    "marketing:campaign:send",
    "marketing:template:*",
    "marketing:consent:*",
    "marketing:segment:*",
    "marketing:journey:*",
    "customer:account:read",
    "customer:contact:read",
    "sales:lead:read",
    "marketing:intelligence:*",
    "marketing:material:*",
)
REP = ("sales:opportunity:read", "marketing:intelligence:read")  # sales reps read the market's intelligence
ALL_CUSTOMERS = {"customer:account": "all", "customer:contact": "all", "sales:lead": "all"}
PERSONAS = persona_map(
    Persona("admin", ("*",), {}, COMPANY),
    Persona(
        "manager", MARKETER, {**ALL_CUSTOMERS, "marketing:campaign": "subtree"}, MARKETING, subtree=(TEAM, OTHER_TEAM)
    ),
    Persona("marketer1", MARKETER, {**ALL_CUSTOMERS, "marketing:campaign": "unit"}, TEAM),
    Persona("marketer2", MARKETER, {**ALL_CUSTOMERS, "marketing:campaign": "unit"}, TEAM),
    Persona("lead", MARKETER, {**ALL_CUSTOMERS, "marketing:campaign": "all"}, OTHER_TEAM),
    Persona("rep1", (*REP, "customer:account:read", "customer:contact:read"), {"customer:account": "own"}, SALES),
    Persona(
        "rep2",
        (*REP, "customer:account:read", "customer:contact:read"),
        {"customer:account": "own"},
        SALES,
        masks=("customer:contact.email",),
    ),
)
UNITS = (
    (COMPANY, None, "admin"),
    (MARKETING, COMPANY, "manager"),
    (TEAM, MARKETING, None),
    (OTHER_TEAM, MARKETING, None),
    (SALES, COMPANY, None),
)
SMS_KEY, SMS_SECRET = "test-sms-key", "test-sms-secret-0123456789"


def zone_where(daytime: bool) -> str:
    """A time zone where it is now within (or outside) SMS sending hours, so tests never wait for 8:00."""
    now = dt.datetime.now(dt.UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
        if in_quiet_hours(now + dt.timedelta(minutes=5), ZoneInfo(name)) != daytime and (
            in_quiet_hours(now, ZoneInfo(name)) != daytime
        ):
            return name
    raise AssertionError("no such zone")


DAYTIME_ZONE = zone_where(daytime=True)


@pytest.fixture(name="zone_where")
def zone_where_fixture():
    return zone_where


CREATE = "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }"


class MarketingClient(GraphQLClient):
    async def account(self, owner="rep1"):
        """An account as customer's account.created event would bring it."""
        account = account_created(self.personas[owner].user_id)
        async with self.app.state.db.unit_of_work() as uow:
            await upsert_account(uow, delivered(account))
        return str(account.id)

    async def contact(self, account=None, email=None, name="王经理", phone=None):
        """A contact as customer's contact.created event would bring it (addresses hashed and encrypted)."""
        contact_id = uuid.uuid4()
        created = ContactCreated(
            id=contact_id,
            account_id=uuid.UUID(account or await self.account()),
            name=name,
            title=None,
            role="primary",
            has_phone=phone is not None,
            has_email=email is not None,
            email_hash=lookup_hash(email) if email else None,
            email_enc=encrypt(email) if email else None,
            phone_hash=lookup_hash(phone) if phone else None,
            phone_enc=encrypt(phone) if phone else None,
        )
        async with self.app.state.db.unit_of_work() as uow:
            await project_contact(uow, delivered(created))
        return str(contact_id)

    async def lead(self, owner="rep1"):
        lead_id = uuid.uuid4()
        seen = LeadSeen(
            id=lead_id,
            company="线索公司",
            contact_name="赵先生",
            title=None,
            industry=None,
            province=None,
            city=None,
            source="web",
            campaign_id=None,
            status=LeadStatus.NEW,
            score=0,
            owner_id=self.personas[owner].user_id,
            has_phone=False,
            has_email=False,
            created_at=dt.datetime.now(dt.UTC),
        )
        async with self.app.state.db.unit_of_work() as uow:
            await project_lead(uow, delivered(seen))
        return str(lead_id)

    async def campaign(self, as_="marketer1", type="EXHIBITION", lines=(("展位", "50000.00"),), **fields):
        data = {
            "name": f"活动{uuid.uuid4().hex[:6]}",
            "type": type,
            "startsOn": "2027-03-01",
            "endsOn": "2027-03-03",
            "budgetLines": [{"category": c, "amount": a} for c, a in lines],
            **fields,
        }
        return (await self.ok(CREATE, {"i": data}, as_))["createCampaign"]["id"]

    async def approved(self, as_="marketer1", **fields):
        """A campaign whose budget the marketing manager approved (through automation's approval)."""
        campaign = await self.campaign(as_, **fields)
        await self.ok("mutation($id: ID!) { submitCampaignBudget(id: $id) { id } }", {"id": campaign}, as_)
        await self.decided(campaign)
        return campaign

    async def decided(self, campaign, approve=True, approver="manager", comment=None):
        """Automation's approval.decided for the budget, as marketing's consumer applies it (inbox, then handler)."""
        event = ApprovalDecided(
            id=uuid.uuid4(),
            subject_kind=SubjectKind.CAMPAIGN_BUDGET,
            subject_id=campaign,
            outcome=Outcome.APPROVED if approve else Outcome.REJECTED,
            approver_id=self.personas[approver].user_id,
            comment=comment,
        ).envelope("/crm/automation")
        handler = self.app.state.consumer.handlers[APPROVAL_TOPIC][event.type]
        async with self.app.state.db.unit_of_work() as uow:
            if await remember(uow.session, "marketing", event):
                await handler(uow, event)

    async def template(
        self, html='<p>{{ contact.name }}，您好</p><a href="https://example.com/offer">优惠</a>', **fields
    ):
        data = {
            "name": f"模板{uuid.uuid4().hex[:6]}",
            "subjectZh": "{{ campaign.name }}",
            "htmlZh": html,
            "textZh": "{{ contact.name }}，您好 https://example.com/offer 退订 {{ unsubscribe_url }}",
            **fields,
        }
        made = await self.ok("mutation($i: EmailTemplateInput!) { saveEmailTemplate(input: $i) { id } }", {"i": data})
        return made["saveEmailTemplate"]["id"]

    async def sms_template(self, content="【春季促销】${name}您好，${offer}，回T退订", kind="MARKETING", **fields):
        data = {
            "name": f"短信{uuid.uuid4().hex[:6]}",
            "kind": kind,
            "providerCode": "SMS_0001",
            "signature": "【示例科技】",
            "content": content,
            "params": [{"name": "name", "value": "{{ contact.name }}"}, {"name": "offer", "value": "全场八折"}],
            **fields,
        }
        mutation = "mutation($i: SmsTemplateInput!) { saveSmsTemplate(input: $i) { id } }"
        return (await self.ok(mutation, {"i": data}))["saveSmsTemplate"]["id"]

    async def segment(self, as_="marketer1"):
        """An empty static list, for a journey to start from."""
        mutation = "mutation($i: SaveSegmentInput!) { saveSegment(input: $i) { id } }"
        data = {"name": f"细分{uuid.uuid4().hex[:6]}", "kind": "STATIC"}
        return uuid.UUID((await self.ok(mutation, {"i": data}, as_))["saveSegment"]["id"])

    async def consent(self, contact, granted=True, channel="EMAIL", as_="marketer1"):
        data = {"contactId": contact, "channel": channel, "granted": granted, "source": "form"}
        mutation = "mutation($i: ConsentInput!) { recordConsent(input: $i) { decision } }"
        return (await self.ok(mutation, {"i": data}, as_))["recordConsent"]["decision"]


async def seed_org(app):
    async with app.state.db.unit_of_work() as uow:
        for unit, parent, manager in UNITS:
            event = OrgUnitCreated(
                id=unit,
                name=str(unit)[:8],
                kind="team",
                parent_id=parent,
                manager_id=PERSONAS[manager].user_id if manager else None,
                path=[unit],
            )
            await project_unit(uow, delivered(event))


@pytest.fixture
async def marketing_db(fresh_db):
    return await fresh_db("marketing")


@pytest.fixture
def sink():
    """The SMTP relay campaign mail goes through; started by the tests that send."""
    server = SmtpSink(free_port())
    yield server
    server.stop()


@pytest.fixture
def sms_provider():
    """The local SMS provider texts go to (a real HTTP server), knowing the development key."""
    server = SmsProvider(free_port(), {SMS_KEY: SMS_SECRET})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def marketing_settings(sink, sms_provider):
    return MarketingSettings(
        smtp_port=sink.port,
        public_base_url="https://mail.example.com",
        send_retry_seconds=0,
        sms_endpoint=sms_provider.url,
        sms_access_key_id=SMS_KEY,
        sms_access_key_secret=SMS_SECRET,
        sms_time_zone=DAYTIME_ZONE,
    )


@pytest.fixture
async def app(marketing_db, platform_settings, tokens, marketing_settings):
    await ensure_service_topics(platform_settings, [*TOPICS, ACCOUNT_TOPIC, CONTACT_TOPIC, LEAD_TOPIC])
    application = await service_app(create_app, marketing_settings, platform_settings, tokens, PERSONAS, marketing_db)
    await seed_org(application)
    return application


@pytest.fixture
def persona():
    return PERSONAS


@pytest.fixture
async def gql(app, tokens):
    async with MarketingClient(app, tokens, PERSONAS, base_url="http://marketing") as client:
        yield client


@pytest.fixture
def topic_events(platform_settings):
    """The events about one aggregate on a topic as a consumer reads them: (type, data)."""

    async def read(topic, subject, count):
        records = await read_topic(
            platform_settings.kafka_bootstrap_servers, topic, count, match=lambda e: e["subject"] == subject
        )
        return [(e["type"], e["data"]) for e in (json.loads(r.value) for r in records)]

    return read
