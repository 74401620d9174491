"""Sales tests: the real app on a fresh database and the broker, callers signed by a test key.

The personas mirror identity's built-in roles. The user directory and the account projection are
filled the way identity's and customer's events fill them in production.
"""

import uuid

import pytest

from crm_contracts.automation import APPROVAL_TOPIC, ApprovalDecided, Outcome
from crm_contracts.customer import ACCOUNT_TOPIC, CONTACT_TOPIC, ContactCreated, ContactDeleted, ContactLinked
from crm_contracts.marketing import CAMPAIGN_TOPIC
from crm_shared.accounts import upsert_account
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.outbox import remember
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
from crm_shared.testing.events import account_created, campaign_created, delivered
from crm_shared.testing.tokens import Persona
from sales.app import create_app
from sales.events import TOPICS
from sales.pipeline import service as pipelines
from sales.settings import SalesSettings

COMPANY, TEAM, OTHER_TEAM, MKT = (uuid.uuid4() for _ in range(4))
SALES = ("sales:*", "customer:account:read")
REP = (
    "customer:account:read",
    "sales:lead:*",
    "sales:opportunity:*",
    "sales:quote:read",
    "sales:quote:create",
    "sales:quote:update",
    "sales:contract:read",
    "sales:contract:create",
    "sales:contract:update",
    "sales:order:read",
    "sales:order:create",
    "sales:invoice:read",
    "sales:payment:read",
    "sales:product:read",
    "sales:target:read",
    "sales:forecast:read",
)
RESOURCES = (
    "customer:account",
    "sales:lead",
    "sales:opportunity",
    "sales:quote",
    "sales:contract",
    "sales:order",
    "sales:invoice",
    "sales:payment",
    "sales:target",
)
SUBTREE = dict.fromkeys((*RESOURCES, "sales:lead_rule", "sales:pipeline"), "subtree")
OWN = dict.fromkeys(RESOURCES, "own")
MARKETING = ("sales:lead:read", "sales:lead:create", "sales:opportunity:read", "customer:account:read")
PERSONAS = persona_map(
    Persona("admin", ("*",), {}, COMPANY),
    Persona("manager", SALES, SUBTREE, TEAM),
    Persona("rep1", REP, OWN, TEAM),
    Persona("rep2", REP, OWN, TEAM),
    Persona("rep3", REP, OWN, OTHER_TEAM),
    Persona(
        "marketing",
        MARKETING,
        {"sales:lead": "all", "sales:opportunity": "all", "customer:account": "all"},
        MKT,
        masks=("sales:lead.phone", "sales:lead.email"),
    ),
    Persona("agent", ("sales:order:read",), {"sales:order": "all"}, MKT),
)


class SalesClient(GraphQLClient):
    def user(self, name):
        return str(self.personas[name].user_id)

    async def decided(self, kind, subject_id, approve=True, approver="manager", comment=None):
        """Automation's approval.decided for the subject, as sales' consumer applies it (inbox, then handler)."""
        event = ApprovalDecided(
            id=uuid.uuid4(),
            subject_kind=kind,
            subject_id=subject_id,
            outcome=Outcome.APPROVED if approve else Outcome.REJECTED,
            approver_id=self.personas[approver].user_id,
            comment=comment,
        ).envelope("/crm/automation")
        await self.applied(APPROVAL_TOPIC, event)
        return event

    async def applied(self, topic: str, event: CloudEvent) -> None:
        """As sales' consumer applies an event: its inbox, then the handler sales registered for it."""
        handler = self.app.state.consumer.handlers[topic][event.type]
        async with self.app.state.db.unit_of_work() as uow:
            if await remember(uow.session, "sales", event):
                await handler(uow, event)

    async def contact(self, account, linked_to=()):
        """A contact of `account`, linked to further accounts, as customer's contact events bring it."""
        contact_id = uuid.uuid4()
        created = ContactCreated(
            id=contact_id,
            account_id=uuid.UUID(account),
            name="李经理",
            title=None,
            role="primary",
            has_phone=False,
            has_email=False,
        )
        links = [ContactLinked(contact_id=contact_id, account_id=uuid.UUID(a), role="partner") for a in linked_to]
        for event in (created, *links):
            await self.applied(CONTACT_TOPIC, event.envelope("/crm/customer"))
        return str(contact_id)

    async def campaign(self, name="春季展会"):
        """A campaign as marketing's campaign.created brings it."""
        created = campaign_created(self.personas["marketing"].user_id, name=name)
        await self.applied(CAMPAIGN_TOPIC, created.envelope("/crm/marketing"))
        return str(created.id)

    async def contact_deleted(self, contact):
        await self.applied(CONTACT_TOPIC, ContactDeleted(id=uuid.UUID(contact)).envelope("/crm/customer"))

    async def account(self, owner="rep1", **fields):
        """An account as customer's account.created event would bring it."""
        account = account_created(self.personas[owner].user_id, level=fields.get("level"))
        async with self.app.state.db.unit_of_work() as uow:
            await upsert_account(uow, delivered(account))
        return str(account.id)

    async def opportunity(self, as_="rep1", amount="100000.00", **fields):
        account = fields.pop("accountId", None) or await self.account(as_ if as_ in self.personas else "rep1")
        data = {"name": "测试商机", "amount": amount, "accountId": account, **fields}
        made = await self.ok(
            "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }", {"i": data}, as_
        )
        return made["createOpportunity"]["id"]

    async def product(self, price="1000.00", code=None):
        data = {
            "code": code or f"P-{uuid.uuid4().hex[:8]}",
            "name": "测试产品",
            "listPrice": price,
            "unit": "套",
        }
        made = await self.ok("mutation($i: ProductInputFields!) { createProduct(input: $i) { id } }", {"i": data})
        return made["createProduct"]["id"]

    async def stages(self):
        data = await self.ok("{ pipelines { isDefault stages { id name position probability requiredFields } } }")
        return next(p for p in data["pipelines"] if p["isDefault"])["stages"]


@pytest.fixture
async def app(fresh_db, platform_settings, tokens):
    await ensure_service_topics(platform_settings, [*TOPICS, ACCOUNT_TOPIC, CONTACT_TOPIC, CAMPAIGN_TOPIC])
    settings = SalesSettings(webform_per_minute=3)
    application = await service_app(create_app, settings, platform_settings, tokens, PERSONAS, await fresh_db("sales"))
    async with application.state.db.unit_of_work() as uow:
        await pipelines.ensure_default(uow)
    return application


@pytest.fixture
def persona():
    return PERSONAS


@pytest.fixture
async def gql(app, tokens):
    async with SalesClient(app, tokens, PERSONAS, base_url="http://sales") as client:
        yield client
