"""Journeys that must never run away or stall the runner: a loop through a wait until a set time is refused, a
person in such a loop saved before the check leaves it after a bounded run, a stored wait time without an offset
is read as UTC, and one enrolment the runner cannot move does not hold up the rest of its batch."""

import logging
import uuid

from sqlalchemy import func, select, update
from sqlmodel import col

from marketing.journeys.models import ContactTag, Enrolment, EnrolmentState, JourneyVersion, StepRun
from marketing.journeys.runner import MAX_MOVES
from marketing.journeys.service import enter_from_segment

SAVE = "mutation($i: JourneyInput!) { saveJourney(input: $i) { id } }"
PUBLISH = "mutation($id: ID!) { publishJourney(id: $id) { liveVersion } }"
PROGRESS = "query($id: ID!) { journeyProgress(id: $id) { enrolled active waiting finished exited } }"


def loop(wait):
    """A wait, then a tag, then the wait again."""
    return [
        {"key": "w", "type": "WAIT", **wait, "next": "t"},
        {"key": "t", "type": "ADD_TAG", "tag": "probe", "next": "w"},
    ]


async def draft(gql, steps, segment):
    data = {
        "name": "循环",
        "campaignId": await gql.campaign(),
        "trigger": {"type": "SEGMENT", "segmentId": str(segment)},
        "steps": steps,
    }
    return data


async def live(gql, steps):
    """A published journey from a segment."""
    segment = await gql.segment()
    journey = (await gql.ok(SAVE, {"i": await draft(gql, steps, segment)}, "marketer1"))["saveJourney"]["id"]
    await gql.ok(PUBLISH, {"id": journey}, "marketer1")
    return journey, segment


async def stored(app, journey, steps):
    """The version's steps as an older release kept them (its checks and its storage were laxer)."""
    async with app.state.db.unit_of_work() as uow:
        version = await uow.session.scalar(
            select(JourneyVersion).where(col(JourneyVersion.journey_id) == uuid.UUID(journey))
        )
        assert version is not None
        version.definition = {**version.definition, "steps": steps}


async def enter(app, segment, contact):
    async with app.state.db.unit_of_work() as uow:
        assert await enter_from_segment(uow, segment, [uuid.UUID(contact)]) == 1


async def progress(gql, journey):
    return (await gql.ok(PROGRESS, {"id": journey}))["journeyProgress"]


async def test_a_loop_whose_only_wait_is_until_a_set_time_is_refused_naming_that_wait(gql):
    data = await draft(gql, loop({"waitUntil": "2020-01-01T00:00:00Z"}), await gql.segment())
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "steps[0]",
        "Field 'steps[0]': the step w waits until a set time inside a loop, which no longer waits once that time "
        "has passed; a loop needs a wait of some seconds or for an event",
    )
    data["steps"] = [{"key": "start", "type": "GOAL", "next": "t"}, *loop({"waitUntil": "2030-01-01T00:00:00Z"})]
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert error["extensions"]["field"] == "steps[1]"
    assert error["message"].startswith("字段“steps[1]”：步骤 w 在循环中等待到固定时间")
    assert (await gql.ok("{ journeys { id } }", None, "marketer1"))["journeys"] == []
    data["steps"] = loop({"waitSeconds": 86400})  # a delay breaks the loop
    assert (await gql.ok(SAVE, {"i": data}, "marketer1"))["saveJourney"]["id"]


async def test_a_person_in_a_loop_without_a_delay_saved_before_the_check_leaves_it_after_a_bounded_run(app, gql):
    steps = [
        {"key": "w", "type": "wait", "wait_until": "2020-01-01T00:00:00+00:00", "next": "t"},
        {"key": "t", "type": "add_tag", "tag": "probe", "next": "w"},
    ]
    journey, segment = await live(gql, loop({"waitSeconds": 60}))
    await enter(app, segment, await gql.contact(await gql.account(), "loop@example.cn"))
    await stored(app, journey, steps)
    assert await app.state.journeys.run_once() == 1
    assert await app.state.journeys.run_once() == 0  # nobody is due any more
    assert await progress(gql, journey) == {"enrolled": 1, "active": 0, "waiting": 0, "finished": 0, "exited": 1}
    async with app.state.db.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(StepRun)) == MAX_MOVES


async def test_a_stored_wait_time_without_offset_is_utc_and_an_unreadable_enrolment_holds_up_no_one(app, gql, caplog):
    bad_journey, bad_segment = await live(gql, [{"key": "start", "type": "GOAL"}])
    naive = [
        {"key": "w", "type": "wait", "wait_until": "2020-01-01T00:00:00", "next": "t"},  # kept before offsets
        {"key": "t", "type": "add_tag", "tag": "到期"},
    ]
    steps = [{"key": "w", "type": "WAIT", "waitSeconds": 60, "next": "t"}, {"key": "t", "type": "ADD_TAG", "tag": "x"}]
    journey, segment = await live(gql, steps)
    account = await gql.account()
    stuck, moving = await gql.contact(account, "stuck@example.cn"), await gql.contact(account, "go@example.cn")
    await enter(app, bad_segment, stuck)
    await enter(app, segment, moving)
    await stored(app, bad_journey, [{"key": "start", "type": "teleport"}])  # a step type this release lacks
    await stored(app, journey, naive)

    with caplog.at_level(logging.ERROR, "marketing.journeys.runner"):
        assert await app.state.journeys.run_once() == 2
    assert await progress(gql, journey) == {"enrolled": 1, "active": 0, "waiting": 0, "finished": 1, "exited": 0}
    async with app.state.db.unit_of_work() as uow:
        assert (await uow.session.execute(select(col(ContactTag.contact_id), col(ContactTag.tag)))).all() == [
            (uuid.UUID(moving), "到期")
        ]
        held = await uow.session.scalar(select(Enrolment).where(col(Enrolment.person_id) == uuid.UUID(stuck)))
    assert held is not None and held.state is EnrolmentState.ACTIVE and held.seq == 0
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        f"journey runner: enrolment {held.id} failed, retrying in 300 s"
    ]
    assert await app.state.journeys.run_once() == 0  # it is tried again later, not at once in every batch

    async with app.state.db.unit_of_work() as uow:  # the definition mended, it goes on
        await uow.session.execute(
            update(JourneyVersion)
            .where(col(JourneyVersion.journey_id) == uuid.UUID(bad_journey))
            .values(
                definition={
                    "trigger_type": "segment",
                    "segment_id": str(bad_segment),
                    "steps": [{"key": "start", "type": "goal"}],
                }
            )
        )
        await uow.session.execute(update(Enrolment).where(col(Enrolment.id) == held.id).values(due_at=func.now()))
    assert await app.state.journeys.run_once() == 1
    assert (await progress(gql, bad_journey))["finished"] == 1
