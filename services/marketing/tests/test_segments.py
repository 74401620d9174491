"""Segments: rules compiled to SQL and to Python agree; saving computes the members at once; customer's,
sales' and marketing's own events move exactly the contacts they concern in or out, each change announced;
the live preview counts what the caller may see (estimating many matches on a large projection); static
lists; a campaign takes a segment's members; and accounts and contacts show their engagement."""

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlmodel import col

from crm_contracts.customer import AccountUpdated, ContactDeleted, LifecycleStage
from crm_shared.db import utcnow
from marketing.events import SEGMENT_TOPIC, MessageClicked, MessageOpened
from marketing.sales_events import OPPORTUNITY_EVENTS
from marketing.segments import counts, rules
from marketing.segments.models import Profile, SegmentMember
from marketing.segments.projection import LifecycleChanged, OrderPlaced
from marketing.segments.rules import Condition, Group, Match, Operator, Subject

SAVE = """mutation($i: SaveSegmentInput!, $id: ID) { saveSegment(input: $i, id: $id) { id kind memberCount
    members { totalCount edges { node { id name } } } } }"""
PREVIEW = "query($r: SegmentRulesInput!) { segmentPreview(rules: $r) { count samples { id name } } }"
COUNT = "query($id: ID!) { segment(id: $id) { memberCount } }"
NOW = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)


async def apply(gql, event):
    """The event through the app's own consumer routes, as it arrives from the broker."""
    handler = gql.app.state.consumer.handlers[event.topic][event.type]
    async with gql.app.state.db.unit_of_work() as uow:
        await handler(uow, event.envelope("/crm/test"))


async def account(gql, level=None, tags=(), industry=None, owner="rep1", custom=None):
    """An account as customer announces it, through the app's handlers (the platform's projection and ours)."""
    account_id = await gql.account(owner)
    await apply(gql, snapshot(account_id, gql.personas[owner].user_id, level, tags, industry, custom))
    return account_id


def snapshot(account_id, owner_id, level=None, tags=(), industry=None, custom=None):
    return AccountUpdated(
        id=uuid.UUID(account_id),
        name="细分客户",
        industry=industry,
        size=None,
        province="上海",
        city=None,
        level=level,
        source=None,
        tags=list(tags),
        lifecycle_stage=LifecycleStage.ACTIVE,
        owner_id=owner_id,
        in_pool=False,
        has_phone=False,
        has_email=False,
        custom=custom or {},
    )


async def contact(gql, account_id, name="王经理"):
    contact_id = await gql.contact(account_id, name=name)
    await refresh(gql, contact_id)
    return contact_id


async def refresh(gql, contact_id):
    """What the contact's event does after the audience projection: its profile and memberships."""
    from marketing.segments import membership

    async with gql.app.state.db.unit_of_work() as uow:
        await membership.changed(uow, contact_ids=[uuid.UUID(contact_id)])


def condition(field, operator, **more):
    return {"field": field, "operator": operator, **more}


async def save(gql, name, *conditions, match="ALL", as_="marketer1", id=None):
    data = {"name": name, "rules": {"match": match, "conditions": list(conditions)}}
    return (await gql.ok(SAVE, {"i": data, "id": id}, as_))["saveSegment"]


def iso(moment):
    return moment.isoformat()


async def count(gql, segment, as_="marketer1"):
    return (await gql.ok(COUNT, {"id": segment}, as_))["segment"]["memberCount"]


async def test_sql_and_python_agree_on_every_operator(gql):
    day = dt.timedelta(days=1)
    rows = [
        Profile(contact_id=uuid.uuid4(), active=True),
        Profile(
            contact_id=uuid.uuid4(),
            active=True,
            level="A",
            industry="制造",
            province="上海",
            lifecycle_stage="active",
            tags=["重点", "华东"],
            custom={"渠道": "代理", "员工数": 120, "上市": True},
            open_opportunity=True,
            last_order_at=NOW - 10 * day,
            lost_to=["竞品甲"],
            opened_count=3,
            last_opened_at=NOW - 2 * day,
            clicked_count=1,
            last_clicked_at=NOW - 40 * day,
        ),
        Profile(
            contact_id=uuid.uuid4(),
            active=True,
            level="B",
            province="北京",
            tags=["华北"],
            custom={"渠道": "直销"},
            last_order_at=NOW - 100 * day,
            lost_to=["竞品乙", "竞品甲"],
            responded_count=2,
            last_responded_at=NOW - 1 * day,
        ),
    ]
    c = Condition
    cases = [
        c(subject=Subject.LEVEL, operator=Operator.EQUALS, value="A"),
        c(subject=Subject.LEVEL, operator=Operator.NOT_EQUALS, value="A"),
        c(subject=Subject.PROVINCE, operator=Operator.IN, values=("上海", "北京")),
        c(subject=Subject.INDUSTRY, operator=Operator.NOT_EQUALS, value="制造"),
        c(subject=Subject.LIFECYCLE_STAGE, operator=Operator.EQUALS, value="active"),
        c(subject=Subject.TAGS, operator=Operator.CONTAINS, value="重点"),
        c(subject=Subject.TAGS, operator=Operator.IN, values=("华北", "西南")),
        c(subject=Subject.TAGS, operator=Operator.IS_FALSE),
        c(subject=Subject.LOST_TO, operator=Operator.CONTAINS, value="竞品甲"),
        c(subject=Subject.LOST_TO, operator=Operator.IS_TRUE),
        c(subject=Subject.CUSTOM, operator=Operator.EQUALS, key="渠道", value="代理"),
        c(subject=Subject.CUSTOM, operator=Operator.EQUALS, key="员工数", value="120"),
        c(subject=Subject.CUSTOM, operator=Operator.EQUALS, key="上市", value="true"),
        c(subject=Subject.CUSTOM, operator=Operator.NOT_EQUALS, key="渠道", value="代理"),
        c(subject=Subject.CUSTOM, operator=Operator.IN, key="渠道", values=("直销",)),
        c(subject=Subject.OPEN_OPPORTUNITY, operator=Operator.IS_TRUE),
        c(subject=Subject.OPEN_OPPORTUNITY, operator=Operator.IS_FALSE),
        c(subject=Subject.OPENED_COUNT, operator=Operator.AT_LEAST, value="3"),
        c(subject=Subject.CLICKED_COUNT, operator=Operator.AT_MOST, value="0"),
        c(subject=Subject.RESPONDED_COUNT, operator=Operator.EQUALS, value="2"),
        c(subject=Subject.LAST_ORDER_AT, operator=Operator.WITHIN_LAST_DAYS, days=30),
        c(subject=Subject.LAST_ORDER_AT, operator=Operator.NOT_WITHIN_LAST_DAYS, days=30),
        c(subject=Subject.LAST_OPENED_AT, operator=Operator.BEFORE, value="2027-02-28"),
        c(subject=Subject.LAST_CLICKED_AT, operator=Operator.AFTER, value="2027-01-19"),
        c(subject=Subject.LAST_RESPONDED_AT, operator=Operator.AFTER, value="2027-02-27"),
    ]
    groups = [Group(conditions=(case,)) for case in cases] + [
        Group(match=Match.ANY, conditions=cases[:2]),
        Group(conditions=cases[2:4], groups=(Group(match=Match.ANY, conditions=cases[9:12]),)),
    ]
    async with gql.app.state.db.unit_of_work() as uow:
        for row in rows:
            uow.session.add(row)
        await uow.session.flush()
        ids = [r.contact_id for r in rows]
        dumped = [r.model_dump() for r in rows]
        for group in groups:
            found = await uow.session.scalars(
                select(col(Profile.contact_id)).where(col(Profile.contact_id).in_(ids), rules.where(group, NOW))
            )
            test = rules.predicate(group)
            assert set(found.all()) == {r["contact_id"] for r in dumped if test(r, NOW)}, group
        # every single condition selects someone and leaves someone out: the cases say something
        for group in groups[: len(cases)]:
            assert 0 < sum(rules.predicate(group)(r, NOW) for r in dumped) < 3, group


async def test_saving_a_segment_computes_its_members_and_events_move_only_the_contacts_concerned(gql, topic_events):
    key = uuid.uuid4().hex[:8]
    big = await account(gql, level="A", tags=[key])
    small = await account(gql, level="B", tags=[key])
    first, second = await contact(gql, big, "甲"), await contact(gql, big, "乙")
    third = await contact(gql, small, "丙")
    saved = await save(
        gql, "A 级客户", condition("TAGS", "CONTAINS", value=key), condition("LEVEL", "EQUALS", value="A")
    )
    segment = saved["id"]
    assert saved["memberCount"] == 2
    assert [e["node"]["name"] for e in saved["members"]["edges"]] == ["乙", "甲"]
    # the small account is upgraded: its contact enters, nobody else is touched
    await apply(gql, snapshot(small, gql.personas["rep1"].user_id, level="A", tags=[key]))
    assert await count(gql, segment) == 3
    # a contact of the big account is deleted: it leaves
    await apply(gql, ContactDeleted(id=uuid.UUID(first)))
    assert await count(gql, segment) == 2
    await gql.publish()
    changes = await topic_events(SEGMENT_TOPIC, segment, 3)
    assert changes == [
        ("segment.membership_changed", {"segmentId": segment, "added": sorted([first, second]), "removed": []}),
        ("segment.membership_changed", {"segmentId": segment, "added": [third], "removed": []}),
        ("segment.membership_changed", {"segmentId": segment, "added": [], "removed": [first]}),
    ]
    # editing the rules recomputes at once
    again = await save(gql, "A 级客户", condition("TAGS", "CONTAINS", value=key), id=segment)
    assert again["memberCount"] == 2
    assert await count(gql, segment, "admin") == 2
    # and the events after it judge by the new rules: a B-level account's contact now stays
    await apply(gql, snapshot(small, gql.personas["rep1"].user_id, level="B", tags=[key]))
    assert await count(gql, segment) == 2


async def test_sales_facts_and_time_windows_move_contacts(gql, clock):
    key = uuid.uuid4().hex[:8]
    account_id = await account(gql, tags=[key])
    person = await contact(gql, account_id)
    mine = condition("TAGS", "CONTAINS", value=key)
    open_ = (await save(gql, "有商机", mine, condition("OPEN_OPPORTUNITY", "IS_TRUE")))["id"]
    lost = (await save(gql, "输给竞品甲", mine, condition("LOST_TO", "CONTAINS", value="竞品甲")))["id"]
    ordered = (await save(gql, "近 30 天下单", mine, condition("LAST_ORDER_AT", "WITHIN_LAST_DAYS", days=30)))["id"]
    stage = (await save(gql, "流失风险", mine, condition("LIFECYCLE_STAGE", "EQUALS", value="at_risk")))["id"]
    assert [await count(gql, s) for s in (open_, lost, ordered, stage)] == [0, 0, 0, 0]
    events = {e.type: e for e in OPPORTUNITY_EVENTS}
    opportunity = {"id": uuid.uuid4(), "account_id": uuid.UUID(account_id), "amount_base": "50000", "campaign_id": None}
    await apply(gql, events["opportunity.created"](**opportunity, status="open"))
    assert [await count(gql, s) for s in (open_, lost)] == [1, 0]
    await apply(gql, events["opportunity.lost"](**opportunity, status="lost", competitor="竞品甲"))
    assert [await count(gql, s) for s in (open_, lost)] == [0, 1]
    await apply(gql, OrderPlaced(id=uuid.uuid4(), account_id=uuid.UUID(account_id)))
    assert await count(gql, ordered) == 1
    await apply(gql, LifecycleChanged(id=uuid.UUID(account_id), to="at_risk"))
    assert await count(gql, stage) == 1
    # 31 days on, the order is too old: the window job re-checks that contact alone
    clock.advance(days=31)
    await gql.run_schedule("segment-windows")
    assert await count(gql, ordered) == 0
    assert await count(gql, open_) == 0 and await count(gql, lost) == 1
    assert person


async def test_opens_and_clicks_become_engagement_and_move_contacts(gql):
    key = uuid.uuid4().hex[:8]
    account_id = await account(gql, tags=[key])
    person = await contact(gql, account_id)
    other = await contact(gql, account_id, "李工")
    segment = (
        await save(
            gql, "点击过", condition("TAGS", "CONTAINS", value=key), condition("CLICKED_COUNT", "AT_LEAST", value="1")
        )
    )["id"]
    assert await count(gql, segment) == 0
    send = {"campaign_id": uuid.uuid4(), "contact_id": uuid.UUID(person), "channel": "email"}
    opened_at, clicked_at = utcnow() - dt.timedelta(hours=2), utcnow() - dt.timedelta(hours=1)
    await apply(gql, MessageOpened(id=uuid.uuid4(), at=opened_at, **send))
    await apply(gql, MessageOpened(id=uuid.uuid4(), at=opened_at - dt.timedelta(days=3), **send))
    await apply(gql, MessageClicked(id=uuid.uuid4(), at=clicked_at, url="https://example.com", **send))
    assert await count(gql, segment) == 1
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Contact { engagement { opened lastOpenedAt clicked lastClickedAt responded lastRespondedAt } }
        ... on Account { engagement { opened clicked responded lastClickedAt } } } }"""
    found = await gql.ok(
        query,
        {
            "r": [
                {"__typename": "Contact", "id": person},
                {"__typename": "Contact", "id": other},
                {"__typename": "Account", "id": account_id},
            ]
        },
        "rep1",
    )
    [mine, theirs, whole] = [e["engagement"] for e in found["_entities"]]
    assert mine == {
        "opened": 2,
        "lastOpenedAt": iso(opened_at),
        "clicked": 1,
        "lastClickedAt": iso(clicked_at),
        "responded": 1,
        "lastRespondedAt": iso(clicked_at),
    }
    assert theirs == {
        "opened": 0,
        "lastOpenedAt": None,
        "clicked": 0,
        "lastClickedAt": None,
        "responded": 0,
        "lastRespondedAt": None,
    }
    assert whole == {"opened": 2, "clicked": 1, "responded": 1, "lastClickedAt": iso(clicked_at)}
    await gql.error(query, {"r": [{"__typename": "Contact", "id": person}]}, "rep2", code="FORBIDDEN")


async def test_the_preview_counts_what_the_caller_may_see_without_saving(gql):
    key = uuid.uuid4().hex[:8]
    mine, theirs = await account(gql, tags=[key]), await account(gql, tags=[key], owner="rep2")
    await contact(gql, mine, "甲")
    await contact(gql, theirs, "乙")
    rule = {"conditions": [condition("TAGS", "CONTAINS", value=key)]}
    assert (await gql.ok(PREVIEW, {"r": rule}, "marketer1"))["segmentPreview"]["count"] == 2
    samples = (await gql.ok(PREVIEW, {"r": rule}, "marketer1"))["segmentPreview"]["samples"]
    assert sorted(s["name"] for s in samples) == ["乙", "甲"]
    assert (await gql.ok("{ segments { totalCount } }", None, "marketer1"))["segments"]["totalCount"] == 0
    await gql.error(PREVIEW, {"r": rule}, "rep1", code="FORBIDDEN")
    bad = {"conditions": [condition("LEVEL", "WITHIN_LAST_DAYS", days=3)]}
    refused = await gql.error(PREVIEW, {"r": bad}, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert refused["extensions"]["field"] == "rules.conditions[0].operator"
    assert refused["message"] == "字段“rules.conditions[0].operator”：运算符 WITHIN_LAST_DAYS 不适用于 LEVEL"
    # what the platform refuses before marketing's own checks is named the same way
    control = {"groups": [rule, {"conditions": [condition("LEVEL", "EQUALS", value="a\u0007")]}]}
    refused = await gql.error(PREVIEW, {"r": control}, "marketer1", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "rules.groups[1].conditions[0].value"


async def test_the_segment_list_shows_each_segment_its_own_member_count(gql):
    key = uuid.uuid4().hex[:8]
    mine, theirs = await account(gql, tags=[key], level="A"), await account(gql, tags=[key], owner="rep2")
    for at, name in ((mine, "甲"), (mine, "乙"), (theirs, "丙")):
        await contact(gql, at, name)
    tagged = await save(gql, "带标签", condition("TAGS", "CONTAINS", value=key))
    level_a = await save(gql, "A 级", condition("TAGS", "CONTAINS", value=key), condition("LEVEL", "EQUALS", value="A"))
    nobody = await save(gql, "无人", condition("TAGS", "CONTAINS", value=f"{key}-none"))

    listed = await gql.ok("{ segments(first: 20) { edges { node { id memberCount } } } }", None, "marketer1")
    counted = {e["node"]["id"]: e["node"]["memberCount"] for e in listed["segments"]["edges"]}
    assert counted == {tagged["id"]: 3, level_a["id"]: 2, nobody["id"]: 0}


async def test_on_a_large_projection_the_preview_estimates_many_matches_from_a_sample_and_counts_few(gql, monkeypatch):
    monkeypatch.setattr(counts, "EXACT_ROWS", 0)  # any projection is large: rules are counted on a sample first
    monkeypatch.setattr(counts, "EXACT_UP_TO", 2)
    key, rare = uuid.uuid4().hex[:8], uuid.uuid4().hex[:8]
    for name, tags in (("甲", [key]), ("乙", [key]), ("丙", [key, rare])):
        await contact(gql, await account(gql, tags=tags), name)
    async with gql.app.state.db.engine.begin() as conn:
        await conn.execute(text("ANALYZE segment_profiles"))  # the table's size, as autovacuum keeps it
    query = "query($r: SegmentRulesInput!) { segmentPreview(rules: $r) { count countIsExact } }"

    def tagged(tag):
        return {"r": {"conditions": [condition("TAGS", "CONTAINS", value=tag)]}}

    # this table is far smaller than a sample, so the sample reads every page and finds all three
    assert (await gql.ok(query, tagged(key), "marketer1"))["segmentPreview"] == {"count": 3, "countIsExact": False}
    assert (await gql.ok(query, tagged(rare), "marketer1"))["segmentPreview"] == {"count": 1, "countIsExact": True}


async def test_a_static_list_is_edited_by_hand_and_feeds_a_campaign(gql):
    account_id = await account(gql)
    a, b = await contact(gql, account_id, "甲"), await contact(gql, account_id, "乙")
    data = {"name": "展会名单", "kind": "STATIC", "addContactIds": [a, b]}
    made = (await gql.ok(SAVE, {"i": data}, "marketer1"))["saveSegment"]
    assert (made["kind"], made["memberCount"]) == ("STATIC", 2)
    edited = {"name": "展会名单", "kind": "STATIC", "removeContactIds": [a]}
    assert (await gql.ok(SAVE, {"i": edited, "id": made["id"]}, "marketer1"))["saveSegment"]["memberCount"] == 1
    mixed = {"name": "混合", "kind": "STATIC", "rules": {"conditions": [condition("LEVEL", "EQUALS", value="A")]}}
    refused = await gql.error(SAVE, {"i": mixed}, "marketer1", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "rules"
    # marketer2 does not see marketer1's list (scope own in these tests)
    await gql.error(COUNT, {"id": made["id"]}, "marketer2", code="NOT_FOUND")
    campaign = await gql.approved()
    add = "mutation($id: ID!, $s: ID!) { addCampaignMembers(id: $id, segmentId: $s) { members { totalCount } } }"
    added = await gql.ok(add, {"id": campaign, "s": made["id"]}, "marketer1")
    assert added["addCampaignMembers"]["members"]["totalCount"] == 1
    assert (await gql.ok(add, {"id": campaign, "s": made["id"]}, "marketer1"))["addCampaignMembers"]["members"][
        "totalCount"
    ] == 1


JOURNEY = "mutation($i: JourneyInput!, $id: ID) { saveJourney(input: $i, id: $id) { id } }"
DELETE = "mutation($id: ID!) { deleteSegment(id: $id) }"


async def test_a_segment_is_deleted_with_its_members_only_once_no_journey_starts_from_it(gql, topic_events):
    account_id = await account(gql, level="A")
    a, b = await contact(gql, account_id, "甲"), await contact(gql, account_id, "乙")
    saved = await gql.ok(SAVE, {"i": {"name": "待删名单", "kind": "STATIC", "addContactIds": [a, b]}}, "marketer1")
    segment = saved["saveSegment"]["id"]
    steps = [{"key": "done", "type": "GOAL"}]
    journey = {
        "name": "细分旅程",
        "campaignId": await gql.campaign(),
        "trigger": {"type": "SEGMENT", "segmentId": segment},
        "steps": steps,
    }
    journey_id = (await gql.ok(JOURNEY, {"i": journey}, "marketer1"))["saveJourney"]["id"]

    refused = await gql.error(DELETE, {"id": segment}, "marketer1", code="CONFLICT")
    assert refused["message"] == ("The segment starts the journeys 细分旅程: change their trigger before deleting it")
    assert (await gql.ok(COUNT, {"id": segment}, "marketer1"))["segment"]["memberCount"] == 2  # nothing gone
    elsewhere = {**journey, "trigger": {"type": "EVENT", "eventType": "contact.created"}}
    await gql.ok(JOURNEY, {"i": elsewhere, "id": journey_id}, "marketer1")
    await gql.error(DELETE, {"id": segment}, "marketer2", code="NOT_FOUND")  # segments are their owner's

    assert (await gql.ok(DELETE, {"id": segment}, "marketer1"))["deleteSegment"] is True
    await gql.error(COUNT, {"id": segment}, "marketer1", code="NOT_FOUND")
    async with gql.app.state.db.unit_of_work() as uow:
        left = await uow.session.scalar(
            select(func.count()).select_from(SegmentMember).where(col(SegmentMember.segment_id) == uuid.UUID(segment))
        )
    assert left == 0
    await gql.publish()
    [*_, deleted] = await topic_events(SEGMENT_TOPIC, segment, 2)
    assert deleted == ("segment.deleted", {"segmentId": segment, "name": "待删名单", "removed": 2})


async def test_a_rule_for_after_the_last_day_of_the_calendar_matches_no_one(gql):
    await contact(gql, await account(gql), "末日")
    for field in ("LAST_ORDER_AT", "LAST_OPENED_AT", "LAST_CLICKED_AT"):
        rule = {"match": "ALL", "conditions": [condition(field, "AFTER", value="9999-12-31")]}
        assert (await gql.ok(PREVIEW, {"r": rule}, "marketer1"))["segmentPreview"]["count"] == 0
        assert (await save(gql, f"末日之后 {field}", *rule["conditions"]))["memberCount"] == 0
