"""SLA clocks through the subgraph, and the monitor's warnings, breaches and escalations read back from the topic.

The calendar works 9:00–12:00 and 13:00–18:00 on weekdays in Shanghai; Monday 30 November 2026 9:00 there
is 01:00 UTC.
"""

import datetime as dt
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 30, 9, tzinfo=SH)
CLOCKS = (
    "query($id: ID!) { ticket(id: $id) { priority escalationLevel escalatedTo { id } assignee { id } "
    "slaClocks { kind state targetMinutes elapsedMinutes remainingMinutes dueAt stoppedAt } } }"
)
SLA_TYPES = ("ticket.sla_warning", "ticket.sla_breached", "ticket.escalated")


def local(value):
    return dt.datetime.fromisoformat(value).astimezone(SH) if value else None


async def clocks(gql, ticket, as_="agent1"):
    got = (await gql.ok(CLOCKS, {"id": ticket}, as_))["ticket"]
    return got, {c["kind"]: c for c in got["slaClocks"]}


async def setup(gql, clock, **policy):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    await gql.policy(calendar, **({"firstResponseMinutes": 60, "resolutionMinutes": 480, "warnPercent": 50} | policy))
    team = await gql.team("agent1")
    return await gql.ticket(teamId=team)


async def test_the_ticket_shows_its_clocks_in_business_time(gql, clock):
    ticket = await setup(gql, clock)
    clock.set(MONDAY + dt.timedelta(hours=2, minutes=30))  # 11:30: two and a half business hours
    _, c = await clocks(gql, ticket)
    assert c["FIRST_RESPONSE"] == {
        "kind": "FIRST_RESPONSE",
        "state": "BREACHED",
        "targetMinutes": 60,
        "elapsedMinutes": 150,
        "remainingMinutes": -90,
        "dueAt": "2026-11-30T02:00:00+00:00",
        "stoppedAt": None,
    }
    assert c["RESOLUTION"]["elapsedMinutes"] == 150 and local(c["RESOLUTION"]["dueAt"]) == MONDAY.replace(hour=18)
    clock.set(MONDAY.replace(hour=12, minute=30))  # lunch: nothing counts
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: PENDING_CUSTOMER) { id } }", {"id": ticket})
    clock.set(MONDAY + dt.timedelta(days=1))  # a day waiting on the customer
    _, c = await clocks(gql, ticket)
    assert (c["RESOLUTION"]["state"], c["RESOLUTION"]["elapsedMinutes"], c["RESOLUTION"]["dueAt"]) == (
        "PAUSED",
        180,
        None,
    )


async def test_a_warning_and_a_breach_go_out_once_each_and_the_breach_escalates(gql, clock, persona, ticket_events):
    ticket = await setup(gql, clock)
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    clock.set(MONDAY.replace(minute=30))  # half the first-response target
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    clock.set(MONDAY.replace(hour=10, minute=5))
    for _ in range(3):
        await gql.run_schedule("sla-monitor")
    await gql.publish()
    events = await ticket_events(ticket, SLA_TYPES)
    assert [(t, d.get("clock"), d.get("dueAt")) for t, d in events] == [
        ("ticket.sla_warning", "first_response", "2026-11-30T01:30:00Z"),
        ("ticket.sla_breached", "first_response", "2026-11-30T02:00:00Z"),
        ("ticket.escalated", "first_response", None),
    ]
    manager = str(persona["manager"].user_id)
    assert (
        events[2][1]["level"],
        events[2][1]["toUserId"],
        events[2][1]["fromPriority"],
        events[2][1]["priority"],
    ) == (1, manager, "normal", "high")
    got, _ = await clocks(gql, ticket)
    assert (got["priority"], got["escalationLevel"], got["escalatedTo"]) == ("HIGH", 1, {"id": manager})


async def test_a_reply_in_time_meets_the_clock_and_nothing_is_published(gql, clock, ticket_events):
    ticket = await setup(gql, clock)
    clock.set(MONDAY.replace(minute=20))
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已收到，正在处理") { id } }', {"id": ticket})
    clock.set(MONDAY.replace(hour=11))
    await gql.run_schedule("sla-monitor")
    await gql.publish()
    assert await ticket_events(ticket, SLA_TYPES) == []
    _, c = await clocks(gql, ticket)
    first = c["FIRST_RESPONSE"]
    assert (first["state"], first["elapsedMinutes"], first["stoppedAt"]) == ("MET", 20, "2026-11-30T01:20:00+00:00")


async def test_a_restart_while_a_clock_runs_neither_misses_nor_doubles_its_breach(gql, clock, restart, ticket_events):
    ticket = await setup(gql, clock)
    clock.set(MONDAY.replace(minute=40))
    await gql.run_schedule("sla-monitor")  # the warning, then the process stops
    await gql.publish()
    clock.set(MONDAY.replace(hour=15))  # down over the breach of the first response
    again = await restart()
    for _ in range(2):
        await again.run_schedule("sla-monitor")
    await again.publish()
    third = await restart()
    await third.run_schedule("sla-monitor")
    await third.publish()
    events = await ticket_events(ticket, SLA_TYPES)
    assert [(t, d.get("clock"), d.get("dueAt")) for t, d in events] == [
        ("ticket.sla_warning", "first_response", "2026-11-30T01:30:00Z"),
        ("ticket.sla_breached", "first_response", "2026-11-30T02:00:00Z"),
        ("ticket.escalated", "first_response", None),
        ("ticket.sla_warning", "resolution", "2026-11-30T06:00:00Z"),  # half of 480 minutes, passed at 14:00
    ]


async def test_a_policy_change_recomputes_from_history_keeping_the_pause(gql, clock, ticket_events):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    policy = await gql.policy(calendar, resolutionMinutes=480)
    ticket = await gql.ticket(teamId=await gql.team("agent1"))
    clock.set(MONDAY.replace(minute=20))
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: ON_HOLD) { id } }", {"id": ticket})
    clock.set(MONDAY.replace(hour=14))
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: OPEN) { id } }", {"id": ticket})
    clock.set(MONDAY.replace(hour=14, minute=30))
    await gql.run_schedule("sla-monitor")
    await gql.ok(
        'mutation($id: ID!, $c: ID!) { saveSlaPolicy(id: $id, input: {name: "紧", calendarId: $c, '
        "resolutionMinutes: 45, warnPercent: 90}) { id } }",
        {"id": policy, "c": calendar},
    )
    _, c = await clocks(gql, ticket)
    assert (c["RESOLUTION"]["elapsedMinutes"], c["RESOLUTION"]["state"]) == (50, "BREACHED")
    await gql.run_schedule("sla-monitor")
    await gql.publish()
    events = await ticket_events(ticket, ("ticket.sla_warning", "ticket.sla_breached"))
    # 20 minutes before the hold, then from 14:00: 90% of 45 is 40.5 minutes, reached at 14:20:30; the target at 14:25
    assert [(t, d["dueAt"]) for t, d in events] == [
        ("ticket.sla_warning", "2026-11-30T06:20:30Z"),
        ("ticket.sla_breached", "2026-11-30T06:25:00Z"),
    ]


async def test_holidays_and_make_up_days_kept_by_administrators(gql, clock):
    clock.set(dt.datetime(2027, 1, 1, 9, tzinfo=SH))  # beyond the statutory data: a plain Friday unless told
    calendar = await gql.calendar(
        holidays=["2027-01-01"],
        closures=[{"start": "2027-01-04T09:00:00+08:00", "end": "2027-01-04T10:00:00+08:00", "reason": "年会"}],
    )
    await gql.policy(calendar, resolutionMinutes=120)
    ticket = await gql.ticket(teamId=await gql.team("agent1"))
    _, c = await clocks(gql, ticket)
    assert (c["RESOLUTION"]["elapsedMinutes"], local(c["RESOLUTION"]["dueAt"])) == (
        0,
        dt.datetime(2027, 1, 4, 12, tzinfo=SH),
    )
    listed = await gql.ok(
        "{ businessCalendars { holidays closures { reason } timeZone statutoryUntil } }", None, "agent1"
    )
    assert listed["businessCalendars"] == [
        {
            "holidays": ["2027-01-01"],
            "closures": [{"reason": "年会"}],
            "timeZone": "Asia/Shanghai",
            "statutoryUntil": "2026-12-31",  # the package's last announced year
        }
    ]


async def test_a_breach_found_after_the_resolution_is_reported_once_and_not_escalated(gql, clock, ticket_events):
    ticket = await setup(gql, clock, firstResponseMinutes=30)
    clock.set(MONDAY.replace(hour=10))
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }", {"id": ticket})
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    await gql.publish()
    events = await ticket_events(ticket, SLA_TYPES)
    assert [(t, d["clock"], d["dueAt"]) for t, d in events] == [
        ("ticket.sla_warning", "first_response", "2026-11-30T01:15:00Z"),
        ("ticket.sla_breached", "first_response", "2026-11-30T01:30:00Z"),
    ]
    got, c = await clocks(gql, ticket)
    assert (got["priority"], got["escalationLevel"], c["FIRST_RESPONSE"]["state"]) == ("NORMAL", 0, "BREACHED")


async def test_a_settings_change_is_audited_with_what_it_was_before(gql, persona, platform_settings):
    import json

    from crm_shared.audit import AUDIT_TOPIC
    from crm_shared.testing import read_topic

    calendar = await gql.calendar(name="旧日历", weekly=[])
    policy = await gql.policy(calendar, name="旧策略", resolutionMinutes=60)
    team = await gql.team("agent1", name="旧团队")
    rule = "mutation($id: ID, $t: ID!, $n: String!) { saveRoutingRule(id: $id, input: {name: $n, teamId: $t}) { id } }"
    rule_id = (await gql.ok(rule, {"t": team, "n": "旧规则"}))["saveRoutingRule"]["id"]
    category = "mutation($id: ID, $n: String!) { saveArticleCategory(id: $id, input: {nameZh: $n}) { id } }"
    category_id = (await gql.ok(category, {"n": "旧分类"}, "manager"))["saveArticleCategory"]["id"]
    await gql.ok(
        "mutation($id: ID!, $i: BusinessCalendarInput!) { saveBusinessCalendar(id: $id, input: $i) { id } }",
        {"id": calendar, "i": {"name": "新日历"}},
    )
    await gql.ok(
        "mutation($id: ID!, $i: SlaPolicyInput!) { saveSlaPolicy(id: $id, input: $i) { id } }",
        {"id": policy, "i": {"name": "新策略", "calendarId": calendar, "resolutionMinutes": 60}},
    )
    members = [{"userId": str(persona["agent1"].user_id), "capacity": 10}]
    await gql.ok(
        "mutation($id: ID!, $i: ServiceTeamInput!) { saveServiceTeam(id: $id, input: $i) { id } }",
        {"id": team, "i": {"name": "新团队", "unitId": str(persona["agent1"].unit_id), "members": members}},
    )
    await gql.ok(rule, {"id": rule_id, "t": team, "n": "新规则"})
    await gql.ok(category, {"id": category_id, "n": "新分类"}, "manager")
    await gql.publish()
    records = [
        json.loads(r.value) for r in await read_topic(platform_settings.kafka_bootstrap_servers, AUDIT_TOPIC, None)
    ]
    saved = {}
    for record in records:
        if record["data"]["action"].endswith(".saved") and record["subject"] in (
            calendar,
            policy,
            team,
            rule_id,
            category_id,
        ):
            saved.setdefault(record["subject"], []).append(record["data"]["changes"])
    for entity, old, new in [
        (calendar, "旧日历", "新日历"),
        (policy, "旧策略", "新策略"),
        (team, "旧团队", "新团队"),
        (rule_id, "旧规则", "新规则"),
    ]:
        assert saved[entity][1] == {"name": {"before": old, "after": new}}
    assert saved[category_id][1] == {"nameZh": {"before": "旧分类", "after": "新分类"}}


async def test_the_queue_filters_tickets_at_risk_and_breached_until_answered(gql, clock):
    ticket = await setup(gql, clock)
    team = (await gql.ok("query($id: ID!) { ticket(id: $id) { teamId } }", {"id": ticket}))["ticket"]["teamId"]
    calm = await gql.ticket(teamId=team, priority="LOW")
    query = "query($f: TicketFilter) { tickets(filter: $f) { edges { node { id } } } }"

    async def listed(risk):
        got = await gql.ok(query, {"f": {"teamId": team, "sla": risk}}, "agent1")
        return [e["node"]["id"] for e in got["tickets"]["edges"]]

    assert (await listed("AT_RISK"), await listed("BREACHED")) == ([], [])
    clock.set(MONDAY.replace(minute=30))  # half the first-response target: the warning
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已收到") { id } }', {"id": calm})
    await gql.run_schedule("sla-monitor")
    assert (await listed("AT_RISK"), await listed("BREACHED")) == ([ticket], [])
    clock.set(MONDAY.replace(hour=10, minute=5))  # past the target
    await gql.run_schedule("sla-monitor")
    assert (await listed("AT_RISK"), await listed("BREACHED")) == ([], [ticket])
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已处理") { id } }', {"id": ticket})
    assert (await listed("AT_RISK"), await listed("BREACHED")) == ([], [])


RECHECKS = "{ slaRechecks { reason calendarId total checked finishedAt } }"


async def test_a_calendar_change_is_rechecked_in_batches_after_the_breaches_due(gql, clock, ticket_events):
    """Tickets under a calendar that loses its closure come due sooner; the monitor recomputes them a batch at a
    time, a breach due under another calendar first, and the recheck shows how far it got."""
    clock.set(MONDAY)
    closure = {"start": "2026-11-30T09:00:00+08:00", "end": "2026-11-30T12:00:00+08:00", "reason": "盘点"}
    closed, other = await gql.calendar(closures=[closure]), await gql.calendar()
    await gql.policy(closed, priorities=["NORMAL"], firstResponseMinutes=60, warnPercent=50)
    await gql.policy(other, priorities=["URGENT"], firstResponseMinutes=30, warnPercent=50)
    team = await gql.team("agent1")
    tickets = [await gql.ticket(teamId=team) for _ in range(3)]  # due at 14:00 with the closure, at 10:00 without
    urgent = await gql.ticket(teamId=team, priority="URGENT")  # due at 9:30
    gql.app.state.monitor.batch = 2
    for _ in range(5):  # each ticket's first look, and the rechecks the policies asked for
        await gql.run_schedule("sla-monitor")
    clock.set(MONDAY.replace(minute=40))
    calendar_input = {"name": "闭店日历", "weekly": [{"weekday": 1, "start": "09:00", "end": "18:00"}]}
    await gql.ok(
        "mutation($i: BusinessCalendarInput!, $id: ID) { saveBusinessCalendar(input: $i, id: $id) { id } }",
        {"i": calendar_input, "id": closed},
    )
    progress = []
    for _ in range(3):
        progress.append((await gql.ok(RECHECKS))["slaRechecks"])
        await gql.run_schedule("sla-monitor")
    progress.append((await gql.ok(RECHECKS))["slaRechecks"])
    latest = [p[0] for p in progress]
    assert [(r["reason"], r["calendarId"], r["total"], r["checked"]) for r in latest] == [
        ("calendar", closed, 3, 0),
        ("calendar", closed, 3, 1),  # the urgent ticket's warning and breach took the other place
        ("calendar", closed, 3, 3),
        ("calendar", closed, 3, 3),
    ]
    assert [r["finishedAt"] is not None for r in latest] == [False, False, False, True]
    clock.set(MONDAY.replace(hour=10, minute=1))
    for _ in range(2):  # three breaches, two a run
        await gql.run_schedule("sla-monitor")
    await gql.publish()
    for ticket in tickets:
        events = await ticket_events(ticket, ("ticket.sla_warning", "ticket.sla_breached"))
        assert [(t, d["dueAt"]) for t, d in events] == [
            ("ticket.sla_warning", "2026-11-30T01:30:00Z"),  # reported at 9:40 by the recheck, once
            ("ticket.sla_breached", "2026-11-30T02:00:00Z"),
        ]
    events = await ticket_events(urgent, ("ticket.sla_warning", "ticket.sla_breached"))
    assert [(t, d["dueAt"]) for t, d in events] == [
        ("ticket.sla_warning", "2026-11-30T01:15:00Z"),
        ("ticket.sla_breached", "2026-11-30T01:30:00Z"),
    ]


async def test_a_policy_takes_and_answers_priorities_and_types_spelled_as_on_tickets(gql, clock):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    policy = await gql.policy(calendar, priorities=["HIGH"], types=["FAULT"], firstResponseMinutes=10)
    listed = (await gql.ok("{ slaPolicies { id priorities types } }"))["slaPolicies"]
    assert listed == [{"id": policy, "priorities": ["HIGH"], "types": ["FAULT"]}]
    ticket = await gql.ticket(priority="HIGH", type="FAULT")
    seen = await gql.ok("query($id: ID!) { ticket(id: $id) { priority type policyId } }", {"id": ticket})
    assert seen["ticket"] == {"priority": "HIGH", "type": "FAULT", "policyId": policy}

    save = "mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { id } }"
    data = {"name": "小写", "calendarId": calendar, "priorities": ["high"]}
    refused = await gql.error(save, {"i": data}, code="BAD_USER_INPUT")
    assert (refused["extensions"]["field"], refused["message"]) == (
        "priorities[0]",
        "Field 'priorities[0]' must be one of: LOW, NORMAL, HIGH, URGENT",
    )
    assert len((await gql.ok("{ slaPolicies { id } }"))["slaPolicies"]) == 1


async def test_a_policy_resolving_before_its_first_response_is_refused_at_the_resolution_target(gql):
    calendar = await gql.calendar()
    save = "mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { id } }"
    data = {"name": "先解决后响应", "calendarId": calendar, "firstResponseMinutes": 30, "resolutionMinutes": 10}

    refused = await gql.error(save, {"i": data}, code="BAD_USER_INPUT", lang="zh-CN")

    assert (refused["extensions"]["field"], refused["message"]) == (
        "resolutionMinutes",
        "字段“resolutionMinutes”：解决时限不能短于首次响应时限",
    )
    assert (await gql.ok("{ slaPolicies { id } }"))["slaPolicies"] == []


LISTED = "query($f: TicketFilter) { tickets(filter: $f) { edges { node { id } } } }"


async def breached(gql, team):
    got = await gql.ok(LISTED, {"f": {"teamId": team, "sla": "BREACHED"}}, "agent1")
    return [e["node"]["id"] for e in got["tickets"]["edges"]]


async def test_escalations_raise_keeps_the_ticket_under_its_policy_and_its_breach_stays(gql, clock, ticket_events):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    strict = await gql.policy(calendar, priorities=["LOW"], firstResponseMinutes=2, resolutionMinutes=4)
    await gql.policy(calendar, priorities=["NORMAL"], firstResponseMinutes=60, resolutionMinutes=480)
    idle = {"name": "停用", "calendarId": calendar, "resolutionMinutes": 30, "active": False}
    idle_id = await gql.ok("mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { id } }", {"i": idle})
    team = await gql.team("agent1")
    ticket = await gql.ticket(teamId=team, priority="LOW")
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    clock.set(MONDAY.replace(minute=2, second=30))  # past the first-response target: breach, escalation to NORMAL
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    await gql.ok(  # any policy saved asks for a recheck of every open ticket
        "mutation($id: ID!, $i: SlaPolicyInput!) { saveSlaPolicy(id: $id, input: $i) { id } }",
        {"id": idle_id["saveSlaPolicy"]["id"], "i": idle},
    )
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    got, c = await clocks(gql, ticket)
    policy = (await gql.ok("query($id: ID!) { ticket(id: $id) { policyId } }", {"id": ticket}))["ticket"]
    assert (got["priority"], policy["policyId"]) == ("NORMAL", strict)
    assert (c["FIRST_RESPONSE"]["state"], c["FIRST_RESPONSE"]["targetMinutes"], c["FIRST_RESPONSE"]["dueAt"]) == (
        "BREACHED",
        2,
        "2026-11-30T01:02:00+00:00",
    )
    assert await breached(gql, team) == [ticket]
    clock.set(MONDAY.replace(minute=4, second=30))  # past the resolution target of the same policy
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    await gql.publish()
    events = await ticket_events(ticket, SLA_TYPES)
    assert [(t, d["clock"], d.get("dueAt"), d["priority"]) for t, d in events] == [
        ("ticket.sla_warning", "first_response", "2026-11-30T01:01:36Z", "low"),
        ("ticket.sla_breached", "first_response", "2026-11-30T01:02:00Z", "low"),
        ("ticket.escalated", "first_response", None, "normal"),
        ("ticket.sla_warning", "resolution", "2026-11-30T01:03:12Z", "normal"),
        ("ticket.sla_breached", "resolution", "2026-11-30T01:04:00Z", "normal"),
        ("ticket.escalated", "resolution", None, "high"),
    ]
    got, c = await clocks(gql, ticket)
    assert (got["priority"], c["FIRST_RESPONSE"]["state"], c["RESOLUTION"]["state"]) == ("HIGH", "BREACHED", "BREACHED")


async def test_a_breach_stays_a_breach_when_a_person_moves_the_ticket_to_a_laxer_policy(gql, clock, ticket_events):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    strict = {"priorities": ["LOW"], "firstResponseMinutes": 2, "resolutionMinutes": 240}
    await gql.policy(calendar, **strict, raisePriority=False, escalate=False)
    lax = await gql.policy(calendar, priorities=["NORMAL"], firstResponseMinutes=60, resolutionMinutes=480)
    team = await gql.team("agent1")
    ticket = await gql.ticket(teamId=team, priority="LOW")
    clock.set(MONDAY.replace(minute=3))
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    clock.set(MONDAY.replace(minute=5))
    moved = await gql.ok(
        "mutation($id: ID!) { updateTicket(id: $id, input: {priority: NORMAL}) { policyId } }", {"id": ticket}
    )
    assert moved["updateTicket"]["policyId"] == lax
    for _ in range(2):
        await gql.run_schedule("sla-monitor")
    _, c = await clocks(gql, ticket)
    assert c["FIRST_RESPONSE"] == {
        "kind": "FIRST_RESPONSE",
        "state": "BREACHED",  # it was published: people were told
        "targetMinutes": 2,  # the target it passed
        "elapsedMinutes": 5,
        "remainingMinutes": -3,
        "dueAt": "2026-11-30T01:02:00+00:00",
        "stoppedAt": None,
    }
    assert (c["RESOLUTION"]["state"], c["RESOLUTION"]["targetMinutes"]) == ("RUNNING", 480)
    assert await breached(gql, team) == [ticket]
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已收到") { id } }', {"id": ticket})
    _, c = await clocks(gql, ticket)
    assert (c["FIRST_RESPONSE"]["state"], await breached(gql, team)) == ("BREACHED", [])


async def test_a_policy_without_any_target_is_refused_at_the_first_response_target(gql, clock):
    clock.set(MONDAY)
    calendar = await gql.calendar()
    await gql.policy(calendar, resolutionMinutes=480)
    ticket = await gql.ticket(teamId=await gql.team("agent1"))
    save = "mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { id } }"
    data = {"name": "空策略", "calendarId": calendar, "rank": 1}

    for lang, message in (
        (
            "en",
            "Field 'firstResponseMinutes': a policy sets at least one target (first response, next response or "
            "resolution)",
        ),
        ("zh-CN", "字段“firstResponseMinutes”：SLA 策略至少要设置一个时限（首次响应、后续响应或解决）"),
    ):
        refused = await gql.error(save, {"i": data}, code="BAD_USER_INPUT", lang=lang)
        assert (refused["extensions"]["field"], refused["message"]) == ("firstResponseMinutes", message)

    assert len((await gql.ok("{ slaPolicies { id } }"))["slaPolicies"]) == 1
    await gql.run_schedule("sla-monitor")
    _, c = await clocks(gql, ticket)
    assert list(c) == ["RESOLUTION"]
