"""Sales tests: the real app on a migrated database and the broker, callers signed by a test key.

The personas mirror identity's built-in roles. The user directory and the account projection are
filled the way identity's and customer's events fill them in production.
"""

import uuid

import httpx
import pytest

from crm_contracts.customer import ACCOUNT_TOPIC, AccountCreated, LifecycleStage
from crm_shared.accounts import upsert_account
from crm_shared.auth.directory import apply_user_event
from crm_shared.events import CloudEvent
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import migrated_database
from crm_shared.testing.events import delivered
from crm_shared.testing.tokens import Persona, TokenFactory
from sales.app import create_app
from sales.events import TOPICS
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
SUBTREE = dict.fromkeys(RESOURCES, "subtree")
OWN = dict.fromkeys(RESOURCES, "own")
PERSONAS = {
    p.name: p
    for p in (
        Persona("admin", ("*",), {}, COMPANY),
        Persona("manager", SALES, SUBTREE, TEAM),
        Persona("rep1", REP, OWN, TEAM),
        Persona("rep2", REP, OWN, TEAM),
        Persona("rep3", REP, OWN, OTHER_TEAM),
        Persona(
            "marketing",
            ("sales:lead:read", "sales:lead:create", "sales:opportunity:read", "customer:account:read"),
            {"sales:lead": "all", "sales:opportunity": "all", "customer:account": "all"},
            MKT,
            masks=("sales:lead.phone", "sales:lead.email"),
        ),
        Persona("agent", ("sales:order:read",), {"sales:order": "all"}, MKT),
    )
}


@pytest.fixture(scope="session")
def tokens():
    return TokenFactory()


@pytest.fixture(scope="session")
async def app(postgres, platform_settings, tokens):
    db = await migrated_database(postgres, "sales")
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, ACCOUNT_TOPIC, "crm.audit"])
    application = create_app(SalesSettings(database_url=db.url, webform_per_minute=3), platform_settings)
    application.state.verifier = tokens.verifier()
    async with application.state.db.unit_of_work() as uow:
        await application.state.sales.pipelines.ensure_default(uow)
        for persona in PERSONAS.values():
            data = {
                "id": str(persona.user_id),
                "orgUnitId": str(persona.unit_id),
                "displayName": persona.name,
                "email": f"{persona.name}@example.com",
                "roles": [persona.name],
                "isActive": True,
            }
            await apply_user_event(uow, CloudEvent(source="/crm/identity", type="user.created", data=data))
    await db.dispose()
    return application


@pytest.fixture
def persona():
    return PERSONAS


class GraphQL:
    def __init__(self, client, tokens, app):
        self.client, self.tokens, self.app = client, tokens, app

    async def __call__(self, query, variables=None, as_=None, lang="en"):
        headers = {"Accept-Language": lang}
        if as_:
            headers["Authorization"] = f"Bearer {self.tokens.token(PERSONAS[as_])}"
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def ok(self, query, variables=None, as_="admin"):
        body = await self(query, variables, as_)
        assert "errors" not in body, body
        return body["data"]

    async def error(self, query, variables=None, as_="admin", lang="en"):
        body = await self(query, variables, as_, lang)
        assert body.get("errors"), body
        return body["errors"][0]

    async def publish(self):
        """Everything the outbox holds, onto the broker."""
        while await self.app.state.relay.publish_batch():
            pass

    async def account(self, owner="rep1", **fields):
        """An account as customer's account.created event would bring it."""
        account_id = uuid.uuid4()
        account = AccountCreated(
            id=account_id,
            name=f"测试客户{account_id.hex[:6]}",
            industry=None,
            size=None,
            province=None,
            city=None,
            level=fields.get("level"),
            source=None,
            tags=[],
            lifecycle_stage=LifecycleStage.PROSPECT,
            owner_id=PERSONAS[owner].user_id,
            in_pool=False,
            has_phone=False,
            has_email=False,
            custom={},
        )
        async with self.app.state.db.unit_of_work() as uow:
            await upsert_account(uow, delivered(account))
        return str(account_id)

    async def opportunity(self, as_="rep1", amount="100000.00", **fields):
        account = fields.pop("accountId", None) or await self.account(as_ if as_ in PERSONAS else "rep1")
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
async def gql(app, tokens):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sales") as client:
        yield GraphQL(client, tokens, app)
