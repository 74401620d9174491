"""Scope rules: agents see their own and their team's tickets, the manager their subtree's, an account's
owner and the managers above them read its tickets (public replies only) through the account and change
nothing."""

import datetime as dt
import uuid

from support.installed.models import InstalledProduct
from support.surveys.models import Survey, SurveyKind

ENTITY = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {
    openTicketCount tickets { totalCount edges { node { subject entries { public body } } } } } } }"""


async def test_who_sees_which_tickets(gql, persona):
    desk = await gql.team("agent1", "agent2", name="一线")
    other = await gql.team("agent3", name="二线", unit=persona["agent3"].unit_id)
    mixed = await gql.team("agent1", "agent3", name="联合", unit=persona["agent3"].unit_id)
    ids = {
        "desk": await gql.ticket(account=await gql.account("rep1"), teamId=desk, subject="一线工单"),
        "other": await gql.ticket("agent3", account=await gql.account("rep2"), teamId=other, subject="二线工单"),
        "mixed": await gql.ticket(
            "agent3",
            account=await gql.account("rep2"),
            teamId=mixed,
            subject="联合工单",
            assigneeId=str(persona["agent3"].user_id),
        ),
        # given straight to an agent, no team: it lies in the agent's unit, for its managers and peers
        "direct": await gql.ticket(
            account=await gql.account("rep1"), subject="直派工单", assigneeId=str(persona["agent1"].user_id)
        ),
    }
    seen = {}
    for name in ("admin", "manager", "agent1", "agent2", "agent3", "rep1", "rep2"):
        got = await gql.ok("{ tickets { totalCount edges { node { id } } } }", None, name)
        seen[name] = sorted(k for k, v in ids.items() if v in {e["node"]["id"] for e in got["tickets"]["edges"]})
        assert got["tickets"]["totalCount"] == len(seen[name])
    assert seen == {
        "admin": ["desk", "direct", "mixed", "other"],
        "manager": ["desk", "direct", "mixed", "other"],
        "agent1": ["desk", "direct", "mixed"],  # the desk team's unit is theirs; they are a member of the joint team
        "agent2": ["desk", "direct"],
        "agent3": ["mixed", "other"],
        "rep1": ["desk", "direct"],
        "rep2": ["mixed", "other"],
    }


async def test_an_owner_reads_the_accounts_tickets_without_notes_and_changes_none(gql):
    account = await gql.account("rep1")
    ticket = await gql.ticket(account=account, teamId=await gql.team("agent1"), subject="显示屏闪烁")
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已安排工程师") { id } }', {"id": ticket})
    await gql.ok('mutation($id: ID!) { addTicketNote(id: $id, body: "客户脾气急") { id } }', {"id": ticket})
    await gql.ticket(account=account, teamId=await gql.team("agent2"), subject="第二张")
    representation = {"r": [{"__typename": "Account", "id": account}]}
    got = (await gql.ok(ENTITY, representation, "rep1"))["_entities"][0]
    assert got["openTicketCount"] == 2 and got["tickets"]["totalCount"] == 2
    node = next(e["node"] for e in got["tickets"]["edges"] if e["node"]["subject"] == "显示屏闪烁")
    assert node["entries"] == [{"public": True, "body": "已安排工程师"}]
    agent_view = (await gql.ok(ENTITY, representation, "agent1"))["_entities"][0]
    node = next(e["node"] for e in agent_view["tickets"]["edges"] if e["node"]["subject"] == "显示屏闪烁")
    assert [e["public"] for e in node["entries"]] == [True, False]
    assert (await gql.ok(ENTITY, representation, "rep2"))["_entities"][0] == {
        "openTicketCount": 0,
        "tickets": {"totalCount": 0, "edges": []},
    }
    await gql.error(
        "mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }",
        {"id": ticket},
        "rep1",
        code="FORBIDDEN",
    )


async def test_an_accounts_tickets_are_read_by_the_managers_above_its_owner_not_by_colleagues(gql):
    account = await gql.account("rep1")
    ticket = await gql.ticket(account=account, teamId=await gql.team("agent1"), subject="无法开机")
    representation = {"r": [{"__typename": "Account", "id": account}]}
    read = "query($id: ID!) { ticket(id: $id) { subject } }"

    for reader in ("rep1", "sales_lead"):
        got = (await gql.ok(ENTITY, representation, reader))["_entities"][0]
        assert got["openTicketCount"] == 1 and got["tickets"]["totalCount"] == 1
        assert (await gql.ok(read, {"id": ticket}, reader))["ticket"] == {"subject": "无法开机"}
    assert (await gql.ok(ENTITY, representation, "colleague"))["_entities"][0] == {
        "openTicketCount": 0,
        "tickets": {"totalCount": 0, "edges": []},
    }
    await gql.error(read, {"id": ticket}, "colleague", code="NOT_FOUND")
    assert (await gql.ok("{ tickets { totalCount } }", None, "colleague"))["tickets"]["totalCount"] == 0


async def test_manual_reassignment_stays_within_the_team(gql, persona):
    ticket = await gql.ticket(teamId=await gql.team("agent1", "agent2"))
    assign = "mutation($id: ID!, $u: ID!) { assignTicket(id: $id, assigneeId: $u) { assignee { id } } }"
    agent2 = str(persona["agent2"].user_id)
    assert (await gql.ok(assign, {"id": ticket, "u": agent2}, "agent1"))["assignTicket"]["assignee"]["id"] == agent2
    error = await gql.error(
        assign, {"id": ticket, "u": str(persona["agent3"].user_id)}, "manager", code="BAD_USER_INPUT"
    )
    assert error["extensions"]["field"] == "assigneeId"
    other = await gql.team("agent3", unit=persona["agent3"].unit_id)
    moved = await gql.ok(
        "mutation($id: ID!, $t: ID!) { assignTicket(id: $id, teamId: $t) { teamId assignee { id } } }",
        {"id": ticket, "t": other},
        "manager",
    )
    assert moved["assignTicket"] == {"teamId": other, "assignee": {"id": str(persona["agent3"].user_id)}}
    await gql.error("query($id: ID!) { ticket(id: $id) { id } }", {"id": ticket}, "agent2", code="NOT_FOUND")


async def test_a_teams_tickets_follow_it_to_another_unit(gql, persona):
    team = await gql.team("agent1", name="搬迁")
    ticket = await gql.ticket(teamId=team)
    read = "query($id: ID!) { ticket(id: $id) { id } }"
    assert (await gql.ok(read, {"id": ticket}, "agent2"))["ticket"]["id"] == ticket  # the desk's unit is theirs
    move = {
        "name": "搬迁",
        "unitId": str(persona["agent3"].unit_id),
        "members": [{"userId": str(persona["agent1"].user_id)}],
    }
    await gql.ok(
        "mutation($id: ID!, $i: ServiceTeamInput!) { saveServiceTeam(id: $id, input: $i) { id } }",
        {"id": team, "i": move},
        "manager",
    )
    assert (await gql.ok(read, {"id": ticket}, "agent3"))["ticket"]["id"] == ticket
    await gql.error(read, {"id": ticket}, "agent2", code="NOT_FOUND")


REACH = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {
    csat { answers average } nps { answers score } installedBase { name } } } }"""


async def test_an_accounts_satisfaction_and_installed_base_are_read_as_its_tickets_are(gql):
    account = await gql.account("rep1")
    now = dt.datetime.now(dt.UTC)
    async with gql.app.state.db.unit_of_work() as uow:
        uow.session.add(
            InstalledProduct(
                order_id=uuid.uuid4(),
                line=0,
                account_id=uuid.UUID(account),
                order_number="SO0001",
                name="激光打印机",
                quantity=1,
                delivered_on=now.date(),
                warranty_until=now.date(),
            )
        )
        for kind, score in ((SurveyKind.CSAT, 4), (SurveyKind.NPS, 9)):
            uow.session.add(
                Survey(
                    kind=kind,
                    account_id=uuid.UUID(account),
                    contact_id=uuid.uuid4(),
                    sent_at=now,
                    expires_at=now,
                    answered_at=now,
                    score=score,
                )
            )
    representation = {"r": [{"__typename": "Account", "id": account}]}
    known = {"csat": {"answers": 1, "average": 4.0}, "nps": {"answers": 1, "score": 100.0}}
    for reader in ("agent3", "rep1", "sales_lead"):  # support staff, the owner, the manager above them
        got = (await gql.ok(REACH, representation, reader))["_entities"][0]
        assert got == {**known, "installedBase": [{"name": "激光打印机"}]}
    # reading every account (a marketer) is not reaching its tickets, nor what support keeps of it
    for reader in ("colleague", "rep2"):
        got = (await gql.ok(REACH, representation, reader))["_entities"][0]
        assert got == {"csat": None, "nps": None, "installedBase": []}
