"""Support tests: the real app on a fresh database and the broker, callers signed by a test key.

Agents belong to the service team's unit; the service manager manages the department above it.
The user directory, the org tree and the account projection are filled the way identity's and
customer's events fill them in production.
"""

import json
import uuid

import pytest

from crm_contracts.customer import (
    ACCOUNT_TOPIC,
    CONTACT_TOPIC,
    ContactCreated,
    ContactLinked,
)
from crm_contracts.identity import OrgUnitCreated
from crm_shared.accounts import upsert_account
from crm_shared.contacts import contact_linked, project_contact
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.org import project_unit
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, read_topic, service_app
from crm_shared.testing.events import account_created, delivered
from crm_shared.testing.tokens import Persona
from crm_shared.validate import email as normalised_email
from support.app import create_app
from support.events import TICKET_TOPIC, TOPICS
from support.settings import SupportSettings

COMPANY, SERVICE, DESK, OTHER_DESK, SALES = (uuid.uuid4() for _ in range(5))
AGENT = (
    "support:ticket:read",
    "support:ticket:create",
    "support:ticket:update",
    "support:ticket:assign",
    "support:sla_policy:read",
    "support:calendar:read",
    "support:team:read",
    "support:survey:read",
    "support:shift:read",
    "support:macro:read",
    "support:article:read",
    "support:article:create",
    "support:article:update",
    "customer:account:read",
)
MANAGER = ("support:*", "customer:account:read")
AGENT_SCOPES = {"support:ticket": "unit", "support:article": "own", "customer:account": "all"}
MANAGER_SCOPES = {
    "support:ticket": "subtree",
    "support:team": "subtree",
    "support:article": "subtree",
    "support:sla_policy": "all",
    "support:calendar": "all",
    "customer:account": "all",
}
PERSONAS = persona_map(
    Persona("admin", ("*",), {}, COMPANY),
    Persona("manager", MANAGER, MANAGER_SCOPES, SERVICE, subtree=(DESK, OTHER_DESK)),
    Persona("agent1", AGENT, AGENT_SCOPES, DESK),
    Persona("agent2", AGENT, AGENT_SCOPES, DESK),
    Persona("agent3", AGENT, AGENT_SCOPES, OTHER_DESK),
    Persona("rep1", ("customer:account:read",), {"customer:account": "own"}, SALES),
    Persona("rep2", ("customer:account:read",), {"customer:account": "own"}, SALES),
    # the sales unit's manager, and a colleague there who reads every account (as marketers do)
    Persona("sales_lead", ("customer:account:read",), {"customer:account": "subtree"}, SALES),
    Persona("colleague", ("customer:account:read",), {"customer:account": "all"}, SALES),
)
UNITS = ((COMPANY, None, "admin"), (SERVICE, COMPANY, "manager"), (DESK, SERVICE, None), (OTHER_DESK, SERVICE, None))
UNITS_SALES = ((SALES, COMPANY, "sales_lead"),)


class SupportClient(GraphQLClient):
    async def account(self, owner="rep1", level=None, province=None):
        """An account as customer's account.created event would bring it."""
        account = account_created(self.personas[owner].user_id, level=level, province=province)
        async with self.app.state.db.unit_of_work() as uow:
            await upsert_account(uow, delivered(account))
        return str(account.id)

    async def contact(self, account, linked_to=(), email=None, name="王工"):
        """A contact of `account` (linked to further accounts) as customer's contact events would bring it."""
        contact_id = uuid.uuid4()
        created = ContactCreated(
            id=contact_id,
            account_id=uuid.UUID(account),
            name=name,
            title=None,
            role="primary",
            has_phone=True,
            has_email=email is not None,
            email_hash=lookup_hash(normalised_email(email)),  # as customer stores it
            email_enc=encrypt(normalised_email(email)),
        )
        async with self.app.state.db.unit_of_work() as uow:
            await project_contact(uow, delivered(created))
            for other in linked_to:
                link = ContactLinked(contact_id=contact_id, account_id=uuid.UUID(other), role="partner")
                await contact_linked(uow, delivered(link))
        return str(contact_id)

    async def team(self, *agents, name=None, unit=None, method="round_robin", capacity=10):
        members = [{"userId": str(self.personas[a].user_id), "capacity": capacity} for a in agents]
        made = await self.ok(
            "mutation($i: ServiceTeamInput!) { saveServiceTeam(input: $i) { id } }",
            {
                "i": {
                    "name": name or f"团队{uuid.uuid4().hex[:6]}",
                    "unitId": str(unit or DESK),
                    "method": method,
                    "members": members,
                }
            },
        )
        return made["saveServiceTeam"]["id"]

    async def calendar(self, **extra):
        day = [
            {"weekday": d, "start": s, "end": e}
            for d in range(1, 6)
            for s, e in (("09:00", "12:00"), ("13:00", "18:00"))
        ]
        data = {"name": f"日历{uuid.uuid4().hex[:6]}", "weekly": day, **extra}
        made = await self.ok(
            "mutation($i: BusinessCalendarInput!) { saveBusinessCalendar(input: $i) { id } }", {"i": data}
        )
        return made["saveBusinessCalendar"]["id"]

    async def policy(self, calendar, **fields):
        data = {"name": f"SLA{uuid.uuid4().hex[:6]}", "calendarId": calendar, **fields}
        made = await self.ok("mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { id } }", {"i": data})
        return made["saveSlaPolicy"]["id"]

    async def article(self, as_="manager", publish=False, **fields):
        data = {"titleZh": "打印机无法打印", "bodyZh": "请检查打印机电源和网络。", **fields}
        made = await self.ok("mutation($i: ArticleInput!) { saveArticle(input: $i) { id } }", {"i": data}, as_)
        article = made["saveArticle"]["id"]
        if publish:
            await self.ok("mutation($id: ID!) { publishArticle(id: $id) { id } }", {"id": article}, as_)
        return article

    async def macro(self, body="{{contact.name}}您好，工单 {{ticket.number}} 已收到。", name=None):
        data = {"name": name or f"回复{uuid.uuid4().hex[:6]}", "body": body}
        made = await self.ok("mutation($i: MacroInput!) { saveMacro(input: $i) { id } }", {"i": data}, "manager")
        return made["saveMacro"]["id"]

    async def ticket(self, as_="agent1", account=None, **fields):
        data = {"subject": "打印机无法开机", "accountId": account or await self.account(), **fields}
        made = await self.ok("mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }", {"i": data}, as_)
        return made["createTicket"]["id"]


async def seed_org(app):
    async with app.state.db.unit_of_work() as uow:
        for unit, parent, manager in (*UNITS, *UNITS_SALES):
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
async def support_db(fresh_db):
    return await fresh_db("support")


@pytest.fixture
def support_settings():
    """The app's settings; a module overrides it (the mail tests name their SMTP relay)."""
    return SupportSettings(reopen_days=7)


@pytest.fixture
async def app(support_db, platform_settings, tokens, support_settings):
    await ensure_service_topics(platform_settings, [*TOPICS, ACCOUNT_TOPIC, CONTACT_TOPIC])
    application = await service_app(create_app, support_settings, platform_settings, tokens, PERSONAS, support_db)
    await seed_org(application)
    return application


@pytest.fixture
async def restart(support_db, platform_settings, tokens):
    """Start the service again on the same database, as a new process would: a client of the new app."""
    clients = []

    async def start():
        application = await service_app(create_app, SupportSettings(), platform_settings, tokens, {}, support_db)
        clients.append(client := SupportClient(application, tokens, PERSONAS, base_url="http://support"))
        return client

    yield start
    for client in clients:
        await client.aclose()
        await client.app.state.relay.close()


@pytest.fixture
def persona():
    return PERSONAS


@pytest.fixture
async def gql(app, tokens):
    async with SupportClient(app, tokens, PERSONAS, base_url="http://support") as client:
        yield client


@pytest.fixture
def ticket_events(platform_settings):
    """The events of one ticket on `crm.support.ticket` as a consumer reads them: (type, data)."""

    async def read(ticket_id, types=None):
        records = await read_topic(platform_settings.kafka_bootstrap_servers, TICKET_TOPIC, None)
        found = [json.loads(r.value) for r in records]
        return [
            (e["type"], e["data"]) for e in found if e["subject"] == ticket_id and (types is None or e["type"] in types)
        ]

    return read
