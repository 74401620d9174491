"""Automation tests: the real app on a fresh database, callers signed by a test key, the suite's events
handed to its consumer's handler with the inbox (as the broker would deliver them), and real local HTTP
servers: a webhook receiver, and a GraphQL endpoint standing in for the services rules act through.

`automator` holds the administrators' automation permissions; `user1` and `user2` only their own
notifications; `rep` holds no automation permission at all.
"""

import asyncio
import datetime as dt
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiokafka import ConsumerRecord

from automation.app import create_app
from automation.approvals.approvers import project_roles
from automation.events import TOPICS
from automation.settings import AutomationSettings
from crm_contracts.identity import OrgUnitCreated, UserCreated
from crm_shared.devstack.broker import free_port
from crm_shared.devstack.webhooks import WebhookReceiver
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.outbox import remember
from crm_shared.org import project_unit
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
from crm_shared.testing.events import delivered
from crm_shared.testing.smtp import SmtpSink
from crm_shared.testing.tokens import Persona

AUTOMATOR = (
    "automation:workflow:*",
    "automation:webhook:*",
    "automation:notification:*",
    "automation:connector:read",
    "automation:erp:create",
    "automation:call:*",
    "automation:approval_chain:*",
)
CALLER = ("automation:call:*", "automation:mail:read", "automation:notification:read")
# the sales organisation approvals walk: a team whose manager is `boss`, in a department run by `director`
COMPANY, SALES, TEAM = (uuid.uuid4() for _ in range(3))
OWN = ("automation:notification:read", "automation:notification:update")
SELLING = ("sales:quote:read", "sales:contract:read", *OWN)
PERSONAS = persona_map(
    Persona("admin", ("*",), {}),
    Persona("automator", AUTOMATOR, {}),
    Persona("user1", OWN, {}),
    Persona("user2", OWN, {}),
    Persona("rep", ("customer:account:read",), {"customer:account": "own"}),
    Persona("caller", CALLER, {"automation:call": "own"}),
    Persona("service", ("customer:task:create", "sales:lead:update"), {"customer:task": "all", "sales:lead": "all"}),
    Persona("seller", SELLING, {"sales:quote": "own", "sales:contract": "own"}, TEAM),
    Persona("peer", SELLING, {"sales:quote": "own", "sales:contract": "own"}, TEAM),
    Persona("boss", SELLING, {"sales:quote": "unit", "sales:contract": "unit"}, TEAM),
    Persona("director", SELLING, {"sales:quote": "all", "sales:contract": "all"}, SALES),
    Persona("deputy", SELLING, {"sales:quote": "own", "sales:contract": "own"}, SALES),
    Persona("agent", ("support:ticket:read", *OWN), {"support:ticket": "own"}, TEAM),  # reads no quote or contract
)
ROLES = {"director": ["sales_director"], "admin": ["admin"], "boss": ["sales_manager"], "agent": ["service_agent"]}
ORG = ((COMPANY, None, "admin"), (SALES, COMPANY, "director"), (TEAM, SALES, "boss"))
LEAD_TOPIC = "crm.sales.lead"
CTI_SECRET, ERP_KEY, MAIL_TOKEN = "cti-test-secret", "erp-test-key", "mail-test-token"


class ServiceStandIn:
    """A real HTTP server answering GraphQL mutations as the suite's services do, honouring
    `Idempotency-Key` (a repeated key gets the first answer); it records every request it got."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[dict] = []
        self.answers: dict[str, dict] = {}
        self.errors: list[dict] = []  # GraphQL errors to answer with first, in order
        self.canned: dict[str, object] = {}  # an operation's data (or a function of its variables), by field name
        # an operation refused every time, its error said in the request's language; kept under the request's
        # Idempotency-Key and answered again for it, as the services' idempotency keeps a refusal
        self.refusals: dict[str, object] = {}
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                body["headers_language"] = self.headers.get("Accept-Language")
                body["traceparent"] = self.headers.get("traceparent")
                answer = stand_in.answer(self.path, key, self.headers.get("Authorization", ""), body)
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, path, key, authorization, body):
        with self.lock:
            self.requests.append({"path": path, "key": key, "authorization": authorization, **body})
            if self.errors:
                return {"errors": [self.errors.pop(0)]}
            name = self.operation(body)
            if name in self.refusals:
                if key not in self.answers:
                    self.answers[key] = {"errors": [self.refusals[name](body["headers_language"])]}
                return self.answers[key]
            if name in self.canned:
                data = self.canned[name]
                return {"data": {name: data(body.get("variables") or {}) if callable(data) else data}}
            if key not in self.answers:
                self.answers[key] = {"data": {name: {"id": str(uuid.uuid4())}}}
            return self.answers[key]

    @staticmethod
    def operation(body):
        return body["query"].split("{", 2)[1].split("(")[0].strip()

    def called(self, name):
        """The requests of one operation, in order."""
        return [r for r in self.requests if self.operation(r) == name]

    def effects(self):
        """The distinct effects made: one per Idempotency-Key."""
        return {r["key"]: r for r in self.requests}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class AutomationClient(GraphQLClient):
    async def workflow(self, definition, name=None, publish=True, as_="automator"):
        data = {"name": name or f"规则{uuid.uuid4().hex[:6]}", "definition": definition}
        saved = await self.ok("mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }", {"i": data}, as_)
        workflow = saved["saveWorkflow"]["id"]
        if publish:
            await self.ok("mutation($id: ID!) { publishWorkflow(id: $id) { version } }", {"id": workflow}, as_)
        return workflow

    async def deliver(self, topic, type, data, subject=None, event_id=None, traceparent=None):
        """The event as the consumer applies it: inbox first, then the handler, in one transaction."""
        event = self.event(type, data, subject, event_id, traceparent)
        handler = self.app.state.consumer.handlers[topic]["*"]
        async with self.app.state.db.unit_of_work() as uow:
            if await remember(uow.session, "automation", event):
                await handler(uow, event)
        return event

    @staticmethod
    def event(type, data, subject=None, event_id=None, traceparent=None):
        return CloudEvent(
            id=event_id or str(uuid.uuid4()),
            source="/crm/sales",
            type=type,
            subject=subject or data.get("id"),
            data=data,
            traceparent=traceparent,
        )

    async def deliver_batch(self, topic, events):
        """The events as one fetch of a partition brings them to the consumer: applied in one transaction."""
        records = []
        for offset, event in enumerate(events):
            value = json.dumps(event.model_dump(mode="json")).encode()
            key = event.subject.encode()
            records.append(ConsumerRecord(topic, 0, offset, 0, 0, key, value, None, len(value), 0, event.headers()))
        return await self.app.state.consumer._apply_together(records)

    def assigned(self, owner, lead=None):
        """The data of sales' lead.assigned event: the lead now belongs to persona `owner`."""
        now = dt.datetime.now(dt.UTC).isoformat()
        return {
            "id": str(lead or uuid.uuid4()),
            "ownerId": str(self.personas[owner].user_id),
            "previousOwnerId": None,
            "ruleId": None,
            "createdAt": now,
            "assignedAt": now,
        }

    def user(self, name):
        return str(self.personas[name].user_id)

    async def fire(self):
        """What the timer worker does when timers are due."""
        return await self.app.state.timers.fire_due()

    async def runs(self, workflow):
        query = """query($f: WorkflowRunFilter) { workflowRuns(filter: $f) { totalCount edges { node {
            id version status subject currentStep error trigger startedAt
            steps { stepId action status result error attempts } } } } }"""
        found = await self.ok(query, {"f": {"workflowId": workflow}})
        return [e["node"] for e in found["workflowRuns"]["edges"]]

    async def inbox(self, as_, unread_only=False):
        query = """query($u: Boolean!) { notifications(unreadOnly: $u) { totalCount edges { node {
            id kind title body link read } } } unreadNotificationCount }"""
        return await self.ok(query, {"u": unread_only}, as_)


@pytest.fixture
def stand_in():
    server = ServiceStandIn()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    server = WebhookReceiver(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sink():
    server = SmtpSink(free_port())
    yield server
    server.stop()


@pytest.fixture
def automation_settings(sink):
    return AutomationSettings(
        smtp_port=sink.port,
        step_retry_seconds=60,
        webhook_retry_seconds=60,
        webhook_disable_after=3,
        cti_secret=CTI_SECRET,
        erp_api_key=ERP_KEY,
        inbound_mail_token=MAIL_TOKEN,
    )


@pytest.fixture
async def app(fresh_db, platform_settings, tokens, automation_settings, stand_in):
    await ensure_service_topics(platform_settings, TOPICS)
    platform = platform_settings.model_copy(update={"service_urls": f"customer={stand_in.url},sales={stand_in.url}"})
    application = await service_app(
        create_app, automation_settings, platform, tokens, PERSONAS, await fresh_db("automation")
    )

    async def token():
        return tokens.token(PERSONAS["service"])

    application.state.engine.services.token = token
    await seed_org(application)
    return application


async def seed_org(app):
    """The org tree and users' roles, as identity's events bring them."""
    async with app.state.db.unit_of_work() as uow:
        for unit, parent, manager in ORG:
            created = OrgUnitCreated(
                id=unit,
                name=str(unit)[:8],
                kind="team",
                parent_id=parent,
                manager_id=PERSONAS[manager].user_id,
                path=[],
            )
            await project_unit(uow, delivered(created))
        for name, roles in ROLES.items():
            user = UserCreated(
                id=PERSONAS[name].user_id,
                email=f"{name}@example.com",
                display_name=name,
                roles=roles,
                org_unit_id=PERSONAS[name].unit_id,
                is_active=True,
            )
            await project_roles(uow, delivered(user))


@pytest.fixture
def persona():
    return PERSONAS


@pytest.fixture
async def gql(app, tokens):
    async with AutomationClient(app, tokens, PERSONAS, base_url="http://automation") as client:
        yield client


async def eventually(check, timeout=10.0):
    for _ in range(int(timeout / 0.05)):
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("not reached in time")
