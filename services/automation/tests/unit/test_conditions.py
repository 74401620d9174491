"""Conditions and filled-in values over a run's context, without I/O."""

import pytest

from automation.workflows.conditions import fill, holds
from automation.workflows.definition import Condition, parse
from crm_shared.errors import BadInput

CONTEXT = {
    "event": {"status": "WON", "amount": "1200.50", "tags": ["vip"], "ownerId": "u-1", "stage": "NEGOTIATION"},
    "previous": {"stage": "PROPOSAL", "status": "OPEN"},
    "steps": {"wait": {"outcome": "timeout"}},
}


def when(**fields):
    return holds([Condition.model_validate(fields)], CONTEXT)


def test_comparisons_on_event_fields_and_step_results():
    assert when(field="event.status", op="eq", value="WON")
    assert when(field="event.amount", op="gt", value=1000)  # money as decimal text compares as a number
    assert not when(field="event.amount", op="lte", value="999")
    assert when(field="event.tags", op="contains", value="vip")
    assert when(field="event.status", op="in", value=["WON", "LOST"])
    assert when(field="event.missing", op="notExists")
    assert when(field="event.missing", op="ne", value="x")
    assert not when(field="event.missing", op="eq", value=None)
    assert when(field="steps.wait.outcome", op="eq", value="timeout")


def test_changed_compares_with_the_records_previous_state():
    assert when(field="event.stage", op="changed", **{"from": "PROPOSAL", "to": "NEGOTIATION"})
    assert when(field="event.stage", op="changed")
    assert not when(field="event.stage", op="changed", **{"from": "QUALIFICATION"})
    assert not when(field="event.ownerId", op="changed", to="u-2")
    assert when(field="event.status", op="changed", to="WON")


def test_placeholders_keep_a_lone_values_type_and_become_text_inside_text():
    assert fill("{{ event.tags }}", CONTEXT) == ["vip"]
    assert fill("成交 {{ event.amount }} 元 by {{ event.nobody }}", CONTEXT) == "成交 1200.50 元 by "
    assert fill({"a": ["{{ event.ownerId }}"]}, CONTEXT) == {"a": ["u-1"]}


def test_a_branch_may_only_jump_forward():
    definition = {
        "trigger": {"kind": "event", "topic": "t", "type": "x"},
        "steps": [
            {"id": "a", "action": "notify", "title": "t"},
            {"id": "b", "action": "branch", "conditions": [{"field": "event.x"}], "else": "a"},
        ],
    }
    with pytest.raises(BadInput) as refused:
        parse(definition)
    assert refused.value.field == "definition.steps[1].else"


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "contains", "changed"])
@pytest.mark.parametrize("value", [5, "5", None, True, [1, "a"], {"a": 1}])
@pytest.mark.parametrize("field", ["event.status", "event.amount", "event.tags", "event.ownerId", "event.none"])
def test_a_comparison_that_cannot_be_made_is_false_never_an_error(op, value, field):
    """Whatever a stored rule compares, judging an event answers True or False: an error would cost the event."""
    assert when(field=field, op=op, value=value) in (True, False)
