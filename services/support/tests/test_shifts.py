"""Shifts: new tickets go to agents on shift, by their weekly pattern and its dated exceptions."""

import datetime as dt
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 30, 10, tzinfo=SH)
SAVE = "mutation($i: AgentShiftInput!) { saveAgentShift(input: $i) { userId onShift weekly { weekday start end } } }"
ASSIGNEE = "query($id: ID!) { ticket(id: $id) { assignee { id } } }"


async def assignee(gql, team):
    ticket = await gql.ticket(teamId=team)
    found = (await gql.ok(ASSIGNEE, {"id": ticket}))["ticket"]["assignee"]
    return found["id"] if found else None


async def test_tickets_go_to_the_agents_on_shift(gql, clock, persona):
    clock.set(MONDAY)
    early, late = (str(persona[a].user_id) for a in ("agent1", "agent2"))
    team = await gql.team("agent1", "agent2", method="least_loaded")
    weekdays = range(1, 6)
    saved = await gql.ok(
        SAVE,
        {
            "i": {
                "userId": early,
                "weekly": [{"weekday": d, "start": "08:00", "end": "16:00"} for d in weekdays],
                "exceptions": [{"day": "2026-12-01", "hours": []}],  # Tuesday off
            }
        },
        "manager",
    )
    assert saved["saveAgentShift"]["onShift"] is True
    await gql.ok(
        SAVE,
        {
            "i": {
                "userId": late,
                "weekly": [{"weekday": d, "start": "14:00", "end": "22:00"} for d in weekdays],
                "exceptions": [{"day": "2026-11-30", "hours": [{"start": "09:00", "end": "12:00"}]}],
            }
        },
        "manager",
    )
    assert {await assignee(gql, team) for _ in range(4)} == {early, late}  # Monday 10:00: both (late by exception)
    clock.set(MONDAY.replace(hour=13))
    assert [await assignee(gql, team) for _ in range(2)] == [early, early]  # agent2's exception ended at 12:00
    clock.set(MONDAY.replace(hour=20))
    assert await assignee(gql, team) is None  # the exception replaces Monday's pattern: the ticket waits in the queue
    clock.set(MONDAY.replace(day=2, month=12, hour=20))
    assert await assignee(gql, team) == late  # Wednesday evening
    clock.set(MONDAY.replace(day=2, month=12, hour=23))
    assert await assignee(gql, team) is None
    clock.set(MONDAY.replace(day=1, month=12, hour=10))
    assert await assignee(gql, team) is None  # Tuesday morning: agent1 is off, agent2 starts at 14:00
    rosters = (
        await gql.ok("{ agentShifts { userId user { id } exceptions { day hours { start end } } } }", as_="agent1")
    )["agentShifts"]
    assert sorted((r["user"]["id"], len(r["exceptions"])) for r in rosters) == sorted([(early, 1), (late, 1)])


async def test_a_roster_with_bad_hours_is_refused_naming_the_field(gql, persona):
    agent = str(persona["agent1"].user_id)
    for weekly, field in (
        ([{"weekday": 1, "start": "16:00", "end": "08:00"}], "weekly[0].end"),
        (
            [{"weekday": 1, "start": "08:00", "end": "16:00"}, {"weekday": 8, "start": "08:00", "end": "16:00"}],
            "weekly[1].weekday",
        ),
        (
            [{"weekday": 1, "start": "08:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "13:00"}],
            "weekly[1].start",
        ),
    ):
        error = await gql.error(SAVE, {"i": {"userId": agent, "weekly": weekly}}, "manager", code="BAD_USER_INPUT")
        assert (error["extensions"]["field"], error["message"]) == (
            field,
            f"Field '{field}' needs HH:MM times, the start before the end, without overlaps",
        )
    lunch = [{"start": "08:00", "end": "12:00"}, {"start": "12:00", "end": "25:00"}]
    exceptions = [{"day": "2026-12-01", "hours": []}, {"day": "2026-12-02", "hours": lunch}]
    error = await gql.error(SAVE, {"i": {"userId": agent, "exceptions": exceptions}}, "manager", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "exceptions[1].hours[1].end"
    error = await gql.error(
        SAVE, {"i": {"userId": agent, "timeZone": "Mars/Olympus"}}, "manager", code="BAD_USER_INPUT"
    )
    assert error["extensions"]["field"] == "timeZone"
    assert (await gql.ok("{ agentShifts { userId } }", as_="manager"))["agentShifts"] == []
