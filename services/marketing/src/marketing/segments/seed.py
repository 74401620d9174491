"""Demo segments: key accounts, South China, recent buyers, open deals and engaged readers (dynamic), and a
hand-kept VIP list of the first demo contacts (static)."""

from __future__ import annotations

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from marketing.audience import ContactRef
from marketing.segments import service as segments
from marketing.segments.rules import Condition, Group, Match, Operator, Subject


def _rule(*conditions: Condition, match: Match = Match.ALL) -> Group:
    return Group(match=match, conditions=conditions)


DYNAMIC = (
    (
        "重点客户 Key accounts",
        _rule(
            Condition(subject=Subject.LEVEL, operator=Operator.EQUALS, value="A"),
            Condition(subject=Subject.TAGS, operator=Operator.CONTAINS, value="重点客户"),
        ),
    ),
    (
        "华南客户 South China",
        _rule(Condition(subject=Subject.PROVINCE, operator=Operator.IN, values=("广东", "广西", "海南"))),
    ),
    (
        "近 90 天下单 Ordered in 90 days",
        _rule(Condition(subject=Subject.LAST_ORDER_AT, operator=Operator.WITHIN_LAST_DAYS, days=90)),
    ),
    ("有在谈商机 Open opportunity", _rule(Condition(subject=Subject.OPEN_OPPORTUNITY, operator=Operator.IS_TRUE))),
    (
        "邮件互动 Engaged by email",
        _rule(
            Condition(subject=Subject.OPENED_COUNT, operator=Operator.AT_LEAST, value="1"),
            Condition(subject=Subject.CLICKED_COUNT, operator=Operator.AT_LEAST, value="1"),
            match=Match.ANY,
        ),
    ),
)


async def seed_segments(uow: UnitOfWork, marketer: Principal, contacts: list[ContactRef]) -> int:
    for name, rule in DYNAMIC:
        await segments.save(uow, marketer, None, segments.SegmentInput(name=name, kind="dynamic", rules=rule))
    vip = segments.SegmentInput(
        name="展会 VIP 名单 Fair VIPs", kind="static", add_contact_ids=[c.id for c in contacts[:2]]
    )
    await segments.save(uow, marketer, None, vip)
    return len(DYNAMIC) + 1
