"""The pure rules of journeys: which definitions are refused (naming the field), and where a person goes."""

import datetime as dt
import uuid

import pytest

from crm_shared.errors import BadInput
from marketing.journeys.definition import (
    Condition,
    ConditionKind,
    Definition,
    Step,
    StepType,
    TriggerType,
    check,
    from_json,
    matches,
    to_json,
)
from marketing.journeys.transitions import Exit, Facts, Go, Wait, move

TEMPLATE = uuid.uuid4()
NOW = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
OPENED = Condition(ConditionKind.OPENED, step="welcome")


def journey(*steps, **trigger):
    fields = {"trigger_type": TriggerType.EVENT, "event_type": "contact.created", **trigger}
    return Definition(steps=tuple(steps), **fields)


WELCOME = (
    Step("welcome", StepType.EMAIL, next="pause", template_id=TEMPLATE),
    Step("pause", StepType.WAIT, next="opened?", wait_seconds=3 * 86400),
    Step("opened?", StepType.BRANCH, condition=OPENED, yes="hot", no="nudge"),
    Step("hot", StepType.TASK, next="done", title="回访"),
    Step("nudge", StepType.ADD_TAG, next="done", tag="未打开"),
    Step("done", StepType.GOAL),
)


def refused(d, templates=(TEMPLATE,)):
    with pytest.raises(BadInput) as error:
        check(d, set(templates))
    return error.value.extensions()["field"], error.value.key


def test_a_well_formed_journey_passes_and_survives_storage():
    d = journey(*WELCOME, conditions=(Condition(ConditionKind.FIELD, field="role", value="primary"),))
    check(d, {TEMPLATE})
    assert from_json(to_json(d)) == d


def test_every_broken_definition_names_its_field():
    email = Step("a", StepType.EMAIL, template_id=TEMPLATE)
    assert refused(journey()) == ("steps", "journey_no_steps")
    assert refused(journey(email, Step("b", StepType.GOAL))) == ("steps[1]", "journey_unreachable")
    assert refused(journey(email), templates=()) == ("steps[0].templateId", "unknown_template")
    assert refused(journey(Step("a", StepType.EMAIL))) == ("steps[0].templateId", "unknown_template")
    assert refused(journey(Step("a", StepType.GOAL, next="x"))) == ("steps[0].next", "journey_unknown_step")
    assert refused(journey(email, email)) == ("steps[1].key", "journey_step_key_taken")
    assert refused(journey(Step("a", StepType.WAIT))) == ("steps[0].waitSeconds", "journey_wait_kind")
    branch = Step("b", StepType.BRANCH, condition=OPENED, yes="x")
    assert refused(journey(branch, Step("x", StepType.EXIT))) == ("steps[0].no", "journey_required")
    assert refused(journey(email, event_type="order.created")) == ("trigger.eventType", "journey_unknown_event")
    assert refused(journey(email, trigger_type=TriggerType.SEGMENT)) == ("trigger.segmentId", "journey_required")
    assert refused(journey(email, event_type="lead.created")) == ("steps[0].type", "journey_lead_email")
    waits_for_a_lead_event = Step("w", StepType.WAIT, wait_event="lead.created", wait_seconds=60)
    assert refused(journey(waits_for_a_lead_event)) == ("steps[0].waitEvent", "journey_unknown_event")
    no_timeout = Step("w", StepType.WAIT, wait_event="message.opened")
    assert refused(journey(no_timeout)) == ("steps[0].waitSeconds", "journey_required")


def test_a_loop_needs_a_wait():
    tag = Step("tag", StepType.ADD_TAG, next="check", tag="x")
    loop = Step("check", StepType.BRANCH, condition=OPENED, yes="end", no="tag")
    end = Step("end", StepType.GOAL)
    welcome = Step("welcome", StepType.EMAIL, next="tag", template_id=TEMPLATE)
    assert refused(journey(welcome, tag, loop, end)) == ("steps[1]", "journey_cycle")
    wait = Step("wait", StepType.WAIT, next="tag", wait_seconds=86400)
    patient = Step("check", StepType.BRANCH, condition=OPENED, yes="end", no="wait")
    check(journey(welcome, tag, patient, end, wait), {TEMPLATE})


def test_a_wait_sets_its_timer_then_goes_on_when_due():
    pause = WELCOME[1]
    assert move(pause, Facts(NOW)) == Wait(NOW + dt.timedelta(days=3))
    assert move(pause, Facts(NOW, waiting=True)) == Go("opened?")
    until = Step("u", StepType.WAIT, next="n", wait_until=NOW + dt.timedelta(hours=1))
    assert move(until, Facts(NOW)) == Wait(NOW + dt.timedelta(hours=1))
    assert move(until, Facts(NOW + dt.timedelta(hours=2))) == Go("n")  # a date already past does not wait


def test_a_wait_for_an_event_goes_one_way_when_it_came_and_another_on_timeout():
    step = Step("w", StepType.WAIT, next="came", timeout_next="late", wait_event="message.clicked", wait_seconds=60)
    assert move(step, Facts(NOW)) == Wait(NOW + dt.timedelta(seconds=60))
    assert move(step, Facts(NOW, waiting=True, event_seen=True)) == Go("came")
    assert move(step, Facts(NOW, waiting=True)) == Go("late")


def test_a_branch_follows_engagement_and_fields():
    branch = WELCOME[2]
    assert move(branch, Facts(NOW, opened=frozenset({"welcome"}))) == Go("hot")
    assert move(branch, Facts(NOW, clicked=frozenset({"welcome"}))) == Go("hot")  # a click implies the open
    assert move(branch, Facts(NOW, opened=frozenset({"other"}))) == Go("nudge")
    clicked = Step("c", StepType.BRANCH, condition=Condition(ConditionKind.CLICKED), yes="y", no="n")
    assert move(clicked, Facts(NOW, opened=frozenset({"welcome"}))) == Go("n")
    field = Condition(ConditionKind.FIELD, field="score", op="gt", value="50")
    scored = Step("s", StepType.BRANCH, condition=field, yes="y", no="n")
    assert move(scored, Facts(NOW, data={"score": 80})) == Go("y")
    assert move(scored, Facts(NOW, data={"score": 20})) == Go("n")
    assert move(scored, Facts(NOW, data={})) == Go("n")


def test_goal_exit_and_the_end():
    assert move(Step("g", StepType.GOAL, next="x"), Facts(NOW)) == Go("x", goal=True)
    assert move(Step("g", StepType.GOAL), Facts(NOW)) == Go(None, goal=True)
    assert move(Step("e", StepType.EXIT), Facts(NOW)) == Exit()
    assert move(Step("t", StepType.ADD_TAG, tag="x"), Facts(NOW)) == Go(None)


def test_trigger_conditions_compare_the_events_fields():
    d = journey(
        Step("g", StepType.GOAL),
        conditions=(
            Condition(ConditionKind.FIELD, field="source", value="web_form"),
            Condition(ConditionKind.FIELD, field="company", op="contains", value="华为"),
        ),
    )
    assert matches(d, {"source": "WEB_FORM", "company": "华为技术有限公司"})
    assert not matches(d, {"source": "import", "company": "华为技术有限公司"})
    assert not matches(d, {"company": "华为"})
