"""Customer tests: the real app on a migrated database and the broker, callers signed by a test key.

The personas mirror identity's built-in roles; the user directory is filled the way identity's
events fill it in production.
"""

import uuid

import httpx
import pytest

from crm_shared.auth.directory import apply_user_event
from crm_shared.events import CloudEvent
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import migrated_database
from crm_shared.testing.tokens import Persona, TokenFactory
from customer.app import ORDER_TOPIC, create_app
from customer.events import TOPICS
from customer.settings import CustomerSettings

COMPANY, TEAM, OTHER_TEAM, MKT = (uuid.uuid4() for _ in range(4))
SALES = (
    "customer:account:*",
    "customer:contact:*",
    "customer:activity:*",
    "customer:task:*",
    "customer:pool:*",
    "customer:custom_field:read",
)
SUBTREE = {r: "subtree" for r in ("customer:account", "customer:task", "customer:contact")}
OWN = {r: "own" for r in ("customer:account", "customer:task", "customer:contact")}
ALL = {r: "all" for r in ("customer:account", "customer:task", "customer:contact", "customer:activity")}
PERSONAS = {
    p.name: p
    for p in (
        Persona("admin", ("*",), {}, COMPANY),
        Persona("manager", SALES, SUBTREE, TEAM),
        Persona("rep1", SALES, OWN, TEAM),
        Persona("rep2", SALES, OWN, TEAM),
        Persona("rep3", SALES, OWN, OTHER_TEAM),
        Persona(
            "marketing",
            ("customer:account:read", "customer:contact:read"),
            ALL,
            MKT,
            masks=("customer:contact.id_number", "customer:contact.phone"),
        ),
        Persona(
            "agent",
            ("customer:account:read", "customer:contact:read", "customer:activity:read", "customer:activity:create"),
            ALL,
            MKT,
        ),
    )
}


@pytest.fixture(scope="session")
def tokens():
    return TokenFactory()


@pytest.fixture(scope="session")
async def app(postgres, platform_settings, tokens):
    db = await migrated_database(postgres, "customer")
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, ORDER_TOPIC, "crm.audit"])
    application = create_app(CustomerSettings(database_url=db.url, pool_claim_limit=2), platform_settings)
    application.state.verifier = tokens.verifier()
    async with application.state.db.unit_of_work() as uow:
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
    def __init__(self, client, tokens):
        self.client, self.tokens = client, tokens

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

    async def account(self, as_="rep1", **fields):
        data = {"name": f"测试客户{uuid.uuid4().hex[:6]}有限公司", **fields}
        created = await self.ok(
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name } }", {"i": data}, as_
        )
        return created["createAccount"]["id"]


@pytest.fixture
async def gql(app, tokens):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://customer") as client:
        yield GraphQL(client, tokens)
