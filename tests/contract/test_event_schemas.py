"""Every published event matches its JSON Schema in tests/contract/events/."""

import json
import uuid
from pathlib import Path

import jsonschema

from crm_shared.config import PlatformSettings
from crm_shared.events import OutboxRelay
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import migrated_database, read_topic
from identity.roles.service import ensure_builtin
from identity.users import service as users
from identity.users.service import NewUser

SCHEMAS = Path(__file__).parent / "events"


def validate(event: dict, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / f"{schema_name}.schema.json").read_text())
    jsonschema.validate(event, schema, format_checker=jsonschema.FormatChecker())


async def test_user_created_matches_its_schema(postgres, platform_settings: PlatformSettings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, ["crm.identity.user", "crm.audit"])
    db = await migrated_database(postgres, "identity")
    async with db.unit_of_work() as uow:
        await ensure_builtin(uow)
        new = NewUser(f"c{uuid.uuid4().hex[:6]}@example.com", "合同测试", "long-enough", ["marketing"])
        user = await users.create(uow, None, new)
    await OutboxRelay(db, platform_settings).publish_batch()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.identity.user",
        1,
        match=lambda e: e["subject"] == str(user.id),
    )
    validate(json.loads(records[0].value), "user.created")
    await db.dispose()


def test_schemas_reject_what_consumers_cannot_handle():
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/crm/identity",
        "type": "user.created",
        "subject": str(uuid.uuid4()),
        "time": "2026-11-22T00:00:00Z",
        "data": {"id": str(uuid.uuid4()), "email": "a@example.com", "displayName": "A", "roles": [], "orgUnitId": None},
    }
    try:
        validate(event, "user.created")
    except jsonschema.ValidationError as exc:
        assert "isActive" in exc.message
    else:
        raise AssertionError("an event without isActive must not validate")


async def test_customer_events_match_their_schemas(postgres, platform_settings: PlatformSettings):
    import datetime as dt

    from crm_contracts.sales import LeadConversionRequested, LeadStatus
    from crm_shared.auth import Principal
    from crm_shared.crypto import encrypt
    from crm_shared.testing.events import delivered
    from crm_shared.testing.service import seed_directory
    from crm_shared.testing.tokens import Persona
    from customer.accounts import lifecycle, merge, ownership
    from customer.accounts import service as accounts
    from customer.accounts.conversion import on_conversion_requested
    from customer.accounts.service import AccountInput
    from customer.activities import service as activities
    from customer.activities.service import ActivityInput
    from customer.contacts import service as contacts
    from customer.contacts.service import ContactInput
    from customer.events import TOPICS
    from customer.tasks import service as tasks
    from customer.tasks.service import TaskInput

    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, "crm.audit"])
    db = await migrated_database(postgres, "customer")
    admin = Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"}))
    someone = Persona("someone", ("customer:account:read",), {}, None)  # whoever takes accounts reads them
    await seed_directory(db, [someone])
    now = dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        account = await accounts.create(uow, admin, AccountInput(name="契约测试有限公司", level="B", tags=["契约"]))
        source = await accounts.create(uow, admin, AccountInput(name="契约重复", phone="13800000009"))
        await accounts.update(uow, admin, account.id, AccountInput(industry="软件"))
        contact = ContactInput(account.id, "契约联系人", role="buyer", phone="13800000008")
        await contacts.create(uow, admin, contact)
        await activities.log(uow, admin, ActivityInput(account.id, "meeting", "契约会议"))
        await tasks.create(uow, admin, TaskInput("契约任务", now + dt.timedelta(hours=1), account.id, now))
        await tasks.send_due_reminders(uow)
        await ownership.transfer(uow, admin, [account.id], someone.user_id, "契约移交")
        await lifecycle.change(uow, admin, account.id, "active", "契约")
        await merge.merge(uow, admin, account.id, source.id)
    for company, contact_name in (("契约线索有限公司", "契约联系人"), ("契约坏线索", "")):
        lead = uuid.uuid4()
        request = LeadConversionRequested(
            id=lead,
            lead_id=lead,
            company=company,
            contact_name=contact_name,
            title=None,
            industry=None,
            province=None,
            city=None,
            source="展会",
            campaign_id=None,
            status=LeadStatus.QUALIFIED,
            score=60,
            owner_id=someone.user_id,
            has_phone=True,
            has_email=False,
            created_at=now,
            phone_encrypted=encrypt("13800000007"),
            email_encrypted=None,
            requested_by=someone.user_id,
        )
        async with db.unit_of_work() as uow:
            await on_conversion_requested(uow, delivered(request))
    await check_published(db, platform_settings, TOPICS, "/crm/customer")


async def check_published(db, platform_settings: PlatformSettings, topics, source: str) -> None:
    """Publish what the outbox holds; every event from `source` has a schema and validates against it."""
    relay = OutboxRelay(db, platform_settings)
    while await relay.publish_batch():
        pass
    await relay.close()
    seen = set()
    for topic in topics:
        for record in await read_topic(platform_settings.kafka_bootstrap_servers, topic, None, timeout=10):
            event = json.loads(record.value)
            if event["source"] == source:
                assert (SCHEMAS / f"{event['type']}.schema.json").exists(), f"{event['type']} has no schema"
                validate(event, event["type"])
                seen.add(event["type"])
    assert seen, f"nothing from {source} was published"
    await db.dispose()


def test_committed_schemas_are_generated_from_the_event_models():
    from crm_shared.events import schemas
    from crm_shared.service import discover

    assert schemas.write(discover(), SCHEMAS, check=True) == [], "run `make compose` to regenerate them"


async def test_sales_events_match_their_schemas(postgres, platform_settings: PlatformSettings):
    import datetime as dt

    from crm_contracts.automation import ApprovalDecided, Outcome, SubjectKind
    from crm_contracts.customer import AccountCreated, LeadConverted, LifecycleStage
    from crm_shared.accounts import upsert_account
    from crm_shared.auth import Principal
    from crm_shared.auth.directory import apply_user_event
    from crm_shared.db import utcnow
    from crm_shared.events import CloudEvent
    from crm_shared.testing.events import campaign_created, delivered
    from sales.approvals import on_decided
    from sales.campaigns import project_campaign
    from sales.contracts.models import ContractStatus
    from sales.contracts.service import ContractInput
    from sales.events import TOPICS
    from sales.leads import service as leads
    from sales.leads.service import LeadInput
    from sales.opportunities.service import LineInput, OpportunityInput
    from sales.orders import service as orders
    from sales.orders.billing import PaymentInput
    from sales.pipeline import service as pipelines
    from sales.products.service import ProductInput
    from sales.quotes.service import QuoteInput
    from sales.services import Sales
    from sales.settings import SalesSettings

    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, "crm.audit"])
    db = await migrated_database(postgres, "sales")
    sales = Sales.wire(SalesSettings(database_url=db.url))
    async with db.unit_of_work() as uow:
        await pipelines.ensure_default(uow)
    rep, manager = (Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"})) for _ in range(2))
    account = uuid.uuid4()
    async with db.unit_of_work() as uow:
        for user in (rep, manager):
            data = {
                "id": str(user.user_id),
                "email": f"{user.user_id.hex[:8]}@example.com",
                "displayName": "契约",
                "roles": [],
                "orgUnitId": None,
                "isActive": True,
            }
            await apply_user_event(uow, CloudEvent(source="/crm/identity", type="user.created", data=data))
        await upsert_account(
            uow,
            delivered(
                AccountCreated(
                    id=account,
                    name="契约客户",
                    industry=None,
                    size=None,
                    province=None,
                    city=None,
                    level=None,
                    source=None,
                    tags=[],
                    lifecycle_stage=LifecycleStage.PROSPECT,
                    owner_id=rep.user_id,
                    in_pool=False,
                    has_phone=False,
                    has_email=False,
                    custom={},
                )
            ),
        )
    campaign = campaign_created(manager.user_id, name="契约活动", status="approved", budget_status="approved")
    async with db.unit_of_work() as uow:
        await project_campaign(uow, delivered(campaign))  # as marketing's event brings it
    async with db.unit_of_work() as uow:
        data = LeadInput(company="契约线索", contact_name="甲", phone="13800000001", campaign_id=campaign.id)
        lead = (await leads.create(uow, rep, data)).row
    async with db.unit_of_work() as uow:
        await sales.conversion.request(uow, rep, lead.id)
    async with db.unit_of_work() as uow:
        await sales.conversion.on_converted(
            uow,
            delivered(
                LeadConverted(
                    lead_id=lead.id, account_id=account, account_name="契约客户", contact_id=uuid.uuid4(), matched=True
                )
            ),
        )
    async with db.unit_of_work() as uow:
        opportunity = await sales.opportunities.create(
            uow, rep, OpportunityInput(name="契约商机", amount="1000", account_id=account)
        )
        await sales.opportunities.close(uow, rep, opportunity.id, True, "契约")
        product = await sales.products.create(uow, rep, ProductInput(code="C-1", name="契约产品", list_price="100"))
        deal = await sales.opportunities.create(uow, rep, OpportunityInput(name="契约报价", account_id=account))
        lines = [LineInput(product.id, "2")]
        quote = await sales.quotes.create(uow, rep, QuoteInput(deal.id, lines, discount_percent="30"))
        await sales.quotes.submit(uow, rep, quote.id)
        today = utcnow().date()
        contract = await sales.contracts.create(
            uow, rep, ContractInput(account, "契约合同", "5000", today, today + dt.timedelta(days=10))
        )
        await sales.contracts.transition(uow, rep, contract.id, ContractStatus.PENDING_APPROVAL)
        decided = ApprovalDecided(
            id=uuid.uuid4(),
            subject_kind=SubjectKind.CONTRACT,
            subject_id=contract.id,
            outcome=Outcome.APPROVED,
            approver_id=manager.user_id,
            comment=None,
        )
        await on_decided(uow, delivered(decided))
        await sales.contracts.transition(uow, rep, contract.id, ContractStatus.SIGNED)
        await sales.contracts.run_dates(uow)
        order = await orders.from_contract(uow, rep, contract.id)
        invoice = await sales.billing.issue(uow, rep, order.id, None, None)
        await sales.billing.record_payment(uow, rep, PaymentInput(invoice.id, "1000"))
    await check_published(db, platform_settings, TOPICS, "/crm/sales")


async def test_support_events_match_their_schemas(postgres, platform_settings: PlatformSettings):
    import datetime as dt

    from crm_contracts.customer import AccountCreated, LifecycleStage
    from crm_contracts.identity import OrgUnitCreated
    from crm_shared import clock
    from crm_shared.accounts import upsert_account
    from crm_shared.auth import Principal
    from crm_shared.auth.directory import apply_user_event
    from crm_shared.events import CloudEvent
    from crm_shared.org import project_unit
    from crm_shared.testing.events import delivered
    from support.assignment import service as assignment
    from support.calendars import service as calendars
    from support.events import TOPICS
    from support.sla import policies
    from support.sla.monitor import SlaMonitor
    from support.tickets import lifecycle
    from support.tickets import service as tickets
    from support.tickets.states import TicketStatus

    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, "crm.audit"])
    db = await migrated_database(postgres, "support")
    agent, boss = (Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"})) for _ in range(2))
    desk, account = uuid.uuid4(), uuid.uuid4()
    previous = clock.freeze(dt.datetime(2026, 11, 30, 1, tzinfo=dt.UTC))  # Monday 9:00 in Shanghai
    try:
        async with db.unit_of_work() as uow:
            unit = OrgUnitCreated(
                id=desk, name="契约", kind="team", parent_id=None, manager_id=boss.user_id, path=[desk]
            )
            await project_unit(uow, delivered(unit))
            data = {"id": str(agent.user_id), "email": "agent@example.com", "displayName": "契约", "roles": []}
            data |= {"orgUnitId": str(desk), "isActive": True}
            await apply_user_event(uow, CloudEvent(source="/crm/identity", type="user.created", data=data))
            snapshot = AccountCreated(
                id=account,
                name="契约客户",
                industry=None,
                size=None,
                province=None,
                city=None,
                level="A",
                source=None,
                tags=[],
                lifecycle_stage=LifecycleStage.NEW,
                owner_id=agent.user_id,
                in_pool=False,
                has_phone=False,
                has_email=False,
                custom={},
            )
            await upsert_account(uow, delivered(snapshot))
            weekly = [calendars.HoursInput(d, "09:00", "18:00") for d in range(1, 6)]
            calendar = await calendars.save(uow, None, None, calendars.CalendarInput("契约日历", weekly=weekly))
            await policies.save(uow, None, None, policies.PolicyInput("契约", calendar.id, first_response_minutes=30))
            team = await assignment.save_team(
                uow, None, None, assignment.TeamInput("契约组", desk, members=[assignment.MemberInput(agent.user_id)])
            )
            ticket = await tickets.create(uow, agent, tickets.TicketInput("契约工单", account, team_id=team.id))
        clock.freeze(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC))
        async with db.unit_of_work() as uow:
            await SlaMonitor().run(uow)
            await lifecycle.reply(uow, agent, ticket.id, "您好")
            await lifecycle.change_status(uow, agent, ticket.id, TicketStatus.RESOLVED, None, 7)
            await lifecycle.change_status(uow, agent, ticket.id, TicketStatus.OPEN, "again", 7)
    finally:
        clock.freeze(previous)
    await check_published(db, platform_settings, TOPICS, "/crm/support")
    records = await read_topic(platform_settings.kafka_bootstrap_servers, TOPICS[0], None, timeout=10)
    types = {json.loads(r.value)["type"] for r in records if json.loads(r.value)["subject"] == str(ticket.id)}
    assert types == {
        f"ticket.{kind}"
        for kind in (
            "created",
            "assigned",
            "status_changed",
            "replied",
            "sla_warning",
            "sla_breached",
            "escalated",
            "resolved",
            "reopened",
        )
    }
    await db.dispose()


async def test_automation_events_match_their_schemas(postgres, platform_settings: PlatformSettings):
    from sqlalchemy import select

    from automation.approvals import chains
    from automation.approvals import handlers as approval_handlers
    from automation.approvals import service as approvals
    from automation.approvals.models import Approval
    from automation.events import TOPICS
    from automation.settings import AutomationSettings
    from automation.webhooks import service as webhooks
    from automation.webhooks.dispatcher import Dispatcher
    from automation.workflows import service as workflows
    from automation.workflows import triggers
    from automation.workflows.engine import Engine
    from automation.workflows.remote import Services
    from automation.workflows.timers import TimerWorker
    from crm_contracts.automation import SubjectKind
    from crm_shared.auth import Principal
    from crm_shared.auth.directory import DirectoryUser
    from crm_shared.devstack.broker import free_port
    from crm_shared.events import CloudEvent

    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, "crm.audit"])
    db = await migrated_database(postgres, "automation")
    admin = Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"}))
    settings = AutomationSettings(webhook_disable_after=1)
    engine = Engine(settings, Services(platform_settings, None))
    definition = {
        "trigger": {"kind": "event", "topic": "crm.sales.lead", "type": "lead.assigned"},
        "steps": [{"id": "tell", "action": "notify", "title": "契约 Contract"}],
    }
    lead = {"id": str(uuid.uuid4()), "ownerId": str(admin.user_id)}
    async with db.unit_of_work() as uow:
        saved = await workflows.save(uow, admin, None, workflows.WorkflowInput("契约规则", definition), settings)
        await workflows.publish(uow, admin, saved.id, settings)
        nowhere = webhooks.SubscriptionInput("契约", f"http://127.0.0.1:{free_port()}/", ["lead.assigned"], [])
        await webhooks.save(uow, admin, None, nowhere, settings)
    async with db.unit_of_work() as uow:
        event = CloudEvent(source="/crm/sales", type="lead.assigned", subject=lead["id"], data=lead)
        await triggers.on_events(uow, engine, "crm.sales.lead", [event])
        await webhooks.enqueue(uow, "crm.sales.lead", [event])
    await TimerWorker(db, engine).fire_due()
    async with db.unit_of_work() as uow:
        await Dispatcher(settings).run(uow)  # nobody listens: the subscription is switched off
    async with db.unit_of_work() as uow:  # a quote's approval, by a user named in the chain
        approver = uuid.uuid4()
        uow.session.add(DirectoryUser(user_id=approver, email="approver@example.com"))
        level = {"approvers": [{"type": "user", "userId": str(approver)}]}
        await chains.save(uow, admin, None, chains.ChainInput("契约审批", SubjectKind.QUOTE, [], [level]))
    async with db.unit_of_work() as uow:
        quote = {"id": str(uuid.uuid4()), "title": "契约报价", "submittedBy": str(admin.user_id)}
        await approval_handlers.on_event(
            uow, "crm.sales.quote", CloudEvent(source="/crm/sales", type="quote.submitted", data=quote)
        )
    async with db.unit_of_work() as uow:
        [row] = (await uow.session.scalars(select(Approval))).all()
        reader = Principal(user_id=approver, permissions=frozenset({"sales:quote:read"}))  # one who may see it
        await approvals.decide(uow, reader, row.id, True, "同意")
    await check_published(db, platform_settings, TOPICS, "/crm/automation")
