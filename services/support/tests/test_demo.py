"""The demo data `make run` adds: every state, a ticket close to its breach, a breached one escalated."""

from crm_shared.testing.service import seed_directory
from crm_shared.testing.tokens import Persona
from support.seed import seed

LIST = """{ tickets(first: 50) { edges { node { subject status priority review escalationLevel escalatedTo { id }
    slaClocks { kind state remainingMinutes } } } } }"""


async def test_the_demo_has_tickets_in_every_state_and_a_breach_escalated(gql, app, persona, ticket_events):
    staff = [Persona(name, ("*",), {}, persona["agent1"].unit_id) for name in ("agent", "agent2")]
    boss = Persona("service.manager", ("*",), {}, persona["manager"].unit_id, user_id=persona["manager"].user_id)
    await seed_directory(app.state.db, [*staff, boss])
    for owner in ("rep1", "rep2", "rep1", "rep2"):
        await gql.account(owner, level="B")
    assert await seed(app.state.db) == 10
    assert await seed(app.state.db) == 0  # once
    await gql.run_schedule("sla-monitor")
    await gql.publish()
    tickets = {
        e["node"]["subject"].split(" ")[0]: e["node"] for e in (await gql.ok(LIST, None, "admin"))["tickets"]["edges"]
    }
    assert {t["status"] for t in tickets.values()} == {
        "NEW",
        "OPEN",
        "PENDING_CUSTOMER",
        "ON_HOLD",
        "RESOLVED",
        "CLOSED",
    }
    near = {c["kind"]: c for c in tickets["报表无法打开"]["slaClocks"]}["FIRST_RESPONSE"]
    assert (near["state"], near["remainingMinutes"]) == ("RUNNING", 15)
    down = tickets["服务器宕机"]
    assert (down["escalationLevel"], down["escalatedTo"], down["priority"]) == (
        1,
        {"id": str(persona["manager"].user_id)},
        "URGENT",
    )
    assert tickets["工程师迟到两小时"]["review"] == "PENDING"


CARE = """query($f: SurveyFilter) { surveyResults(filter: $f) { edges { node { kind score followUp } } } }"""


async def test_the_demo_has_an_installed_base_shifts_and_answered_surveys(gql, app, persona):
    staff = [Persona(name, ("*",), {}, persona["agent1"].unit_id) for name in ("agent", "agent2")]
    boss = Persona("service.manager", ("*",), {}, persona["manager"].unit_id, user_id=persona["manager"].user_id)
    await seed_directory(app.state.db, [*staff, boss])
    accounts = [await gql.account(owner, level="B") for owner in ("rep1", "rep2", "rep1", "rep2")]
    for account in accounts[:3]:
        await gql.contact(account)
    await seed(app.state.db)
    answered = [e["node"] for e in (await gql.ok(CARE, {"f": {"answered": True}}))["surveyResults"]["edges"]]
    assert sorted((s["kind"], s["score"], s["followUp"]) for s in answered) == [
        ("CSAT", 4, "NONE"),
        ("CSAT", 5, "NONE"),
        ("NPS", 6, "TASK"),
        ("NPS", 8, "NONE"),
        ("NPS", 10, "NONE"),
    ]
    base = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
      ... on Account { installedBase { productCode inWarranty } } } }"""
    found = [(await gql.ok(base, {"id": a}))["_entities"][0]["installedBase"] for a in accounts]
    assert sorted(b[0]["productCode"] for b in found) == ["CRM-SRV-01", "CRM-SRV-01", "PRN-200", "SCN-300"]
    assert len((await gql.ok("{ agentShifts { userId } }"))["agentShifts"]) == 2
