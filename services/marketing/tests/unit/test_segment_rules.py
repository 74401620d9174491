"""Segment rules: validation names the field at fault, and the Python predicate reads one profile row."""

import datetime as dt

import pytest

from crm_shared.errors import BadInput
from marketing.segments.rules import Condition, Group, Match, Operator, Subject, checked, predicate, windows

NOW = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)


def cond(subject, operator, **fields):
    return Condition(subject=Subject(subject), operator=Operator(operator), **fields)


def error(group):
    with pytest.raises(BadInput) as raised:
        checked(group)
    return raised.value.key, raised.value.field


def test_a_rule_is_refused_at_the_part_that_cannot_be_evaluated():
    assert error(Group()) == ("segment_rules_empty", "rules")
    assert error(Group(conditions=(cond("level", "at_least", value="A"),))) == (
        "segment_operator_unfit",
        "rules.conditions[0].operator",
    )
    nested = Group(groups=(Group(conditions=(cond("tags", "contains"),)),))
    assert error(nested) == ("required_field", "rules.groups[0].conditions[0].value")
    assert error(Group(conditions=(cond("last_order_at", "within_last_days", days=0),))) == (
        "segment_days",
        "rules.conditions[0].days",
    )
    assert error(Group(conditions=(cond("last_order_at", "before", value="2027-02-30"),))) == (
        "invalid_date",
        "rules.conditions[0].value",
    )
    assert error(Group(conditions=(cond("opened_count", "at_least", value="many"),))) == (
        "segment_number",
        "rules.conditions[0].value",
    )
    assert error(Group(conditions=(cond("custom", "equals", value="x"),))) == (
        "required_field",
        "rules.conditions[0].key",
    )
    assert error(Group(conditions=(cond("province", "in"),))) == ("required_field", "rules.conditions[0].values")
    deep = Group(groups=(Group(groups=(Group(groups=(Group(conditions=(cond("level", "equals", value="A"),)),)),)),))
    assert error(deep) == ("segment_rules_depth", "rules.groups[0].groups[0].groups[0]")


def test_the_error_message_speaks_both_languages():
    with pytest.raises(BadInput) as raised:
        checked(Group(conditions=(cond("level", "at_least", value="A"),)))
    assert raised.value.message("en") == "Field 'rules.conditions[0].operator': AT_LEAST does not apply to LEVEL"
    assert raised.value.message("zh-CN") == "字段“rules.conditions[0].operator”：运算符 AT_LEAST 不适用于 LEVEL"


def test_the_predicate_reads_one_profile_row():
    rule = checked(
        Group(
            match=Match.ALL,
            conditions=(cond("tags", "contains", value="重点"), cond("open_opportunity", "is_true")),
            groups=(
                Group(
                    match=Match.ANY,
                    conditions=(
                        cond("last_order_at", "within_last_days", days=30),
                        cond("opened_count", "at_least", value="3"),
                    ),
                ),
            ),
        )
    )
    test = predicate(rule)
    row = {
        "tags": ["重点", "华东"],
        "open_opportunity": True,
        "last_order_at": NOW - dt.timedelta(days=10),
        "opened_count": 0,
    }
    assert test(row, NOW) is True
    assert test({**row, "last_order_at": NOW - dt.timedelta(days=31)}, NOW) is False
    assert test({**row, "last_order_at": None, "opened_count": 3}, NOW) is True
    assert test({**row, "tags": ["华东"]}, NOW) is False
    assert windows(rule) == [(Subject.LAST_ORDER_AT, 30)]


def test_missing_values_match_only_conditions_that_ask_for_their_absence():
    empty = {"level": None, "tags": [], "lost_to": [], "custom": {}, "last_order_at": None}
    assert predicate(Group(conditions=(cond("level", "not_equals", value="A"),)))(empty, NOW) is True
    assert predicate(Group(conditions=(cond("level", "equals", value="A"),)))(empty, NOW) is False
    assert predicate(Group(conditions=(cond("last_order_at", "not_within_last_days", days=90),)))(empty, NOW) is True
    assert predicate(Group(conditions=(cond("lost_to", "is_false"),)))(empty, NOW) is True
    assert predicate(Group(conditions=(cond("custom", "equals", key="渠道", value="代理"),)))(empty, NOW) is False


def test_nothing_happens_after_the_last_day_of_the_calendar():
    last = dt.datetime.max.replace(tzinfo=dt.UTC)
    after = predicate(checked(Group(match=Match.ALL, conditions=(cond("last_order_at", "after", value="9999-12-31"),))))
    assert after({"last_order_at": last}, NOW) is False
    earlier = predicate(Group(match=Match.ALL, conditions=(cond("last_order_at", "after", value="9999-12-30"),)))
    assert earlier({"last_order_at": last}, NOW) is True
