"""Service analytics, exact on a small hand-made day: three tickets, their replies and resolutions, a reopening
after a low CSAT, and an NPS round. The calendar works 9:00–12:00 and 13:00–18:00 in Shanghai."""

import datetime as dt
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 30, tzinfo=SH)
ANALYTICS = """query($f: ServiceAnalyticsFilter!) { serviceAnalytics(filter: $f) { backlog created resolved
  firstResponseMinutes resolutionMinutes firstResponseAttainment resolutionAttainment reopenRate
  csatAnswers csat csatAverage npsAnswers nps trend { start created resolved csat nps } } }"""
SURVEYS = "query($t: ID) { surveyResults(filter: {ticketId: $t, answered: false}) { edges { node { kind link } } } }"


def at(hour, minute=0):
    return MONDAY.replace(hour=hour, minute=minute)


async def links(gql, ticket=None, kind="CSAT"):
    found = (await gql.ok(SURVEYS, {"t": ticket}))["surveyResults"]["edges"]
    return [e["node"]["link"] for e in found if e["node"]["kind"] == kind]


async def answer(gql, link, score):
    response = await gql.rest("POST", link[link.index("/api/") :], as_=None, json={"score": score})
    assert response.status_code == 200, response.text


async def answer_ticket(gql, ticket, score):
    [link] = await links(gql, ticket)
    await answer(gql, link, score)


async def test_figures_are_exact_on_a_hand_made_day(gql, clock, persona):
    clock.set(at(9))
    calendar = await gql.calendar()
    await gql.policy(calendar, firstResponseMinutes=60, resolutionMinutes=480, raisePriority=False, escalate=False)
    team = await gql.team("agent1", "agent2")
    account = await gql.account("rep1")
    contacts = [await gql.contact(account) for _ in range(4)]
    agent1, agent2 = (str(persona[a].user_id) for a in ("agent1", "agent2"))
    t1 = await gql.ticket(account=account, teamId=team, assigneeId=agent1, type="FAULT")
    t2 = await gql.ticket(account=account, teamId=team, assigneeId=agent1)
    await gql.ticket(account=account, teamId=team, assigneeId=agent2, type="FAULT")  # never answered: backlog

    async def step(hour, minute, mutation, ticket):
        clock.set(at(hour, minute))
        await gql.ok(mutation, {"id": ticket})

    reply = 'mutation($id: ID!) { replyToTicket(id: $id, body: "收到") { id } }'
    resolve = "mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }"
    await step(9, 30, reply, t1)  # 30 minutes: in time
    await step(10, 30, reply, t2)  # 90 minutes: late
    await step(11, 0, resolve, t1)  # 120 minutes
    await step(17, 0, resolve, t2)  # 420 minutes
    clock.set(at(17, 5))
    await gql.run_schedule("surveys")
    clock.set(at(17, 10))
    await answer_ticket(gql, t1, 5)
    await answer_ticket(gql, t2, 2)  # reopens it
    await step(17, 30, resolve, t2)  # 20 more minutes: 440
    clock.set(at(17, 35))
    await gql.run_schedule("surveys")
    await answer_ticket(gql, t2, 4)
    nps = await links(gql, kind="NPS")
    assert len(nps) == len(contacts) == 4
    for link, score in zip(nps, (10, 9, 5, 7), strict=True):
        await answer(gql, link, score)
    clock.set(at(18))
    await gql.run_schedule("sla-monitor")

    day = {"from": MONDAY.isoformat(), "to": (MONDAY + dt.timedelta(days=1)).isoformat()}
    got = (await gql.ok(ANALYTICS, {"f": day}, "manager"))["serviceAnalytics"]
    assert got == {
        "backlog": 1,
        "created": 3,
        "resolved": 2,
        "firstResponseMinutes": 60.0,
        "resolutionMinutes": 280.0,
        "firstResponseAttainment": 33.3,
        "resolutionAttainment": 100.0,
        "reopenRate": 50.0,
        "csatAnswers": 3,
        "csat": 66.7,
        "csatAverage": 3.7,
        "npsAnswers": 4,
        "nps": 25.0,
        "trend": [{"start": "2026-11-30", "created": 3, "resolved": 2, "csat": 66.7, "nps": 25.0}],
    }
    mine = (await gql.ok(ANALYTICS, {"f": {**day, "agentId": agent2, "bucket": "week"}}, "admin"))["serviceAnalytics"]
    assert {
        k: mine[k] for k in ("backlog", "created", "resolved", "firstResponseAttainment", "csatAnswers", "nps")
    } == {
        "backlog": 1,
        "created": 1,
        "resolved": 0,
        "firstResponseAttainment": 0.0,
        "csatAnswers": 0,
        "nps": 25.0,
    }
    assert mine["trend"] == [{"start": "2026-11-30", "created": 1, "resolved": 0, "csat": None, "nps": 25.0}]
    later = {"from": (MONDAY + dt.timedelta(days=1)).isoformat(), "to": (MONDAY + dt.timedelta(days=2)).isoformat()}
    empty = (await gql.ok(ANALYTICS, {"f": later}, "manager"))["serviceAnalytics"]
    assert (empty["backlog"], empty["created"], empty["csat"], empty["trend"]) == (1, 0, None, [])
    bad = await gql.error(ANALYTICS, {"f": {"from": day["to"], "to": day["from"]}}, code="BAD_USER_INPUT")
    assert bad["extensions"]["field"] == "to"


async def test_a_manager_sees_the_figures_of_their_subtree_only(gql, clock, persona):
    clock.set(at(9))
    desk = await gql.team("agent1")
    head_office = await gql.team(name="总部组", unit=persona["admin"].unit_id)  # above the manager's units
    for team in (desk, desk, head_office):
        await gql.ticket(teamId=team)
    day = {"from": MONDAY.isoformat(), "to": (MONDAY + dt.timedelta(days=1)).isoformat()}
    created = "query($f: ServiceAnalyticsFilter!) { serviceAnalytics(filter: $f) { created backlog } }"
    assert (await gql.ok(created, {"f": day}, "manager"))["serviceAnalytics"] == {"created": 2, "backlog": 2}
    assert (await gql.ok(created, {"f": day}, "admin"))["serviceAnalytics"] == {"created": 3, "backlog": 3}
    other = {**day, "teamId": head_office}
    assert (await gql.ok(created, {"f": other}, "manager"))["serviceAnalytics"] == {"created": 0, "backlog": 0}


async def test_only_a_known_zone_name_buckets_the_trend(gql, clock):
    clock.set(at(9))
    await gql.ticket(teamId=await gql.team("agent1"))
    day = {"from": MONDAY.isoformat(), "to": (MONDAY + dt.timedelta(days=1)).isoformat()}
    trend = "query($f: ServiceAnalyticsFilter!) { serviceAnalytics(filter: $f) { trend { start created } } }"
    for zone in ("Mars/X", "+08:00", "UTC+8"):  # an offset would be read with its sign reversed
        refused = await gql.error(trend, {"f": {**day, "timeZone": zone}}, "manager", code="BAD_USER_INPUT")
        assert refused["extensions"]["field"] == "timeZone"
    west = (await gql.ok(trend, {"f": {**day, "timeZone": "America/Los_Angeles"}}, "manager"))["serviceAnalytics"]
    assert west["trend"] == [{"start": "2026-11-29", "created": 1}]  # 09:00 in Shanghai is the evening before
