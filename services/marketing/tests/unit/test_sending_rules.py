"""Quiet hours, frequency caps and SMS template rules, without I/O."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from crm_shared.errors import BadInput
from marketing.sending.rules import Cap, in_quiet_hours, not_before
from marketing.sms import rules
from marketing.sms.models import SmsKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0, zone=SHANGHAI):
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=zone).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (at(1, 8, 0), at(1, 8, 0)),  # opening time sends
        (at(1, 12, 30), at(1, 12, 30)),
        (at(1, 20, 59), at(1, 20, 59)),
        (at(1, 21, 0), at(2, 8, 0)),  # closing time waits for the next morning
        (at(1, 23, 45), at(2, 8, 0)),
        (at(2, 0, 10), at(2, 8, 0)),  # after midnight: the same day's morning
        (at(2, 7, 59), at(2, 8, 0)),
        (at(31, 22, 0), dt.datetime(2027, 4, 1, 8, tzinfo=SHANGHAI).astimezone(dt.UTC)),  # across a month
    ],
)
def test_a_text_due_in_quiet_hours_waits_until_eight_in_the_contacts_zone(local, expected):
    assert not_before(local) == expected
    assert in_quiet_hours(local) is (expected != local)


def test_quiet_hours_follow_the_zone_given():
    afternoon_in_shanghai = at(1, 14)  # 06:00 UTC, 22:00 of the day before in Los Angeles
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert not_before(afternoon_in_shanghai) == afternoon_in_shanghai
    morning = dt.datetime(2027, 3, 1, 8, tzinfo=los_angeles).astimezone(dt.UTC)
    assert not_before(afternoon_in_shanghai, los_angeles) == morning


def test_a_cap_allows_up_to_its_limit_within_its_window():
    cap = Cap(limit=2, days=7)
    assert [cap.allows(n) for n in range(4)] == [True, True, False, False]
    assert cap.since(at(8, 12)) == at(1, 12)
    assert Cap(limit=0, days=7).allows(0) is False


def test_a_marketing_text_without_the_opt_out_is_refused_naming_the_field():
    with pytest.raises(BadInput) as refused:
        rules.checked(SmsKind.MARKETING, "SMS_1", "【示例科技】", "春季优惠", [])
    assert refused.value.field == "content"
    assert refused.value.message("zh-CN") == "字段“content”：营销短信须包含退订方式“回T退订”"
    notice = rules.checked(SmsKind.NOTIFICATION, "SMS_1", "【示例科技】", "您的订单已发货", [])
    assert notice["content"] == "您的订单已发货"


@pytest.mark.parametrize(
    ("signature", "code", "content", "params", "field"),
    [
        ("示例科技", "SMS_1", "回T退订", [], "signature"),
        ("【示】", "SMS_1", "回T退订", [], "signature"),
        ("【示例科技】", "SMS 1", "回T退订", [], "providerCode"),
        ("【示例科技】", "SMS_1", "${name}您好，回T退订", [], "params"),
        ("【示例科技】", "SMS_1", "您好，回T退订", [rules.Param("name", "x")], "params"),
        ("【示例科技】", "SMS_1", "${name}您好，回T退订", [rules.Param("name", "{{ contact.phone }}")], "params"),
    ],
)
def test_a_template_names_the_field_that_is_wrong(signature, code, content, params, field):
    with pytest.raises(BadInput) as refused:
        rules.checked(SmsKind.MARKETING, code, signature, content, params)
    assert refused.value.field == field


def test_parameters_are_filled_per_recipient_in_the_contents_order():
    saved = rules.checked(
        SmsKind.MARKETING,
        "SMS_1",
        "【示例科技】",
        "${name}您好，${offer}，回T退订",
        [rules.Param("offer", "全场八折"), rules.Param("name", "{{ contact.name }}")],
    )
    filled = rules.fill(rules.compiled(saved["params"]), {"contact": {"name": "王  经理"}})
    assert filled == [("name", "王 经理"), ("offer", "全场八折")]
    assert rules.text(saved["signature"], saved["content"], filled) == "【示例科技】王 经理您好，全场八折，回T退订"
    assert rules.sign_name(saved["signature"]) == "示例科技"


@pytest.mark.parametrize(
    ("reply", "out"), [("TD", True), (" t ", True), ("退订", True), ("td\n", True), ("好的", False)]
)
def test_replies_that_opt_out(reply, out):
    assert rules.opts_out(reply) is out
