"""Customer tests: the real app on a fresh database and the broker, callers signed by a test key.

The personas mirror identity's built-in roles; the user directory is filled the way identity's
events fill it in production.
"""

import uuid

import pytest

from crm_contracts.sales import LEAD_TOPIC, ORDER_TOPIC
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
from crm_shared.testing.tokens import Persona
from customer.app import create_app
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
OWN = {r: "own" for r in ("customer:account", "customer:task", "customer:contact")}
SUBTREE = {r: "subtree" for r in OWN}
ALL = {r: "all" for r in (*OWN, "customer:activity")}
AGENT = ("customer:account:read", "customer:contact:read", "customer:activity:read", "customer:activity:create")
MASKS = ("customer:contact.id_number", "customer:contact.phone")
PERSONAS = persona_map(
    Persona("admin", ("*",), {}, COMPANY),
    Persona("manager", SALES, SUBTREE, TEAM),
    Persona("rep1", SALES, OWN, TEAM),
    Persona("rep2", SALES, OWN, TEAM),
    Persona("rep3", SALES, OWN, OTHER_TEAM),
    Persona("marketing", ("customer:account:read", "customer:contact:read"), ALL, MKT, masks=MASKS),
    Persona("agent", AGENT, ALL, MKT),
    # a representative who sees the team's phones and emails masked (an outsourced caller, say)
    Persona("masked", SALES, SUBTREE, TEAM, masks=(*MASKS, "customer:contact.email", "customer:account.phone")),
)


class CustomerClient(GraphQLClient):
    async def account(self, as_="rep1", **fields):
        """A new account's id; its name is unique unless given."""
        data = {"name": f"测试客户{uuid.uuid4().hex[:6]}有限公司", **fields}
        query = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name } }"
        return (await self.ok(query, {"i": data}, as_))["createAccount"]["id"]


@pytest.fixture
async def app(fresh_db, platform_settings, tokens, tmp_path):
    await ensure_service_topics(platform_settings, [*TOPICS, ORDER_TOPIC, LEAD_TOPIC])
    settings = CustomerSettings(pool_claim_limit=2, import_dir=str(tmp_path / "imports"))
    return await service_app(create_app, settings, platform_settings, tokens, PERSONAS, await fresh_db("customer"))


@pytest.fixture
def persona():
    return PERSONAS


@pytest.fixture
async def gql(app, tokens):
    async with CustomerClient(app, tokens, PERSONAS, base_url="http://customer") as client:
        yield client
