"""Saving and publishing journeys: a trigger naming a segment or a campaign that does not exist, and a tag or a
task's title that shows nothing, are refused at their field; publishing what is live already makes no new version."""

import uuid

from sqlalchemy import select
from sqlmodel import col

from marketing.journeys.models import Journey

SAVE = "mutation($i: JourneyInput!, $id: ID) { saveJourney(input: $i, id: $id) { id } }"
PUBLISH = "mutation($id: ID!) { publishJourney(id: $id) { liveVersion } }"
TEMPLATE = "mutation($i: EmailTemplateInput!, $id: ID) { saveEmailTemplate(input: $i, id: $id) { id } }"
NOBODY = "00000000-0000-0000-0000-000000000000"


async def journey(gql, trigger, steps=({"key": "a", "type": "GOAL"},)):
    return {"name": "触发", "campaignId": await gql.campaign(), "trigger": trigger, "steps": list(steps)}


async def test_a_trigger_naming_a_segment_or_campaign_that_does_not_exist_is_refused_at_its_field(app, gql):
    data = await journey(gql, {"type": "SEGMENT", "segmentId": NOBODY})
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "trigger.segmentId",
        "Field 'trigger.segmentId' names no segment",
    )
    data = await journey(gql, {"type": "FORM", "campaignId": NOBODY})
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "trigger.campaignId",
        "字段“trigger.campaignId”不是可见的市场活动",
    )
    assert (await gql.ok("{ journeys { id } }", None, "marketer1"))["journeys"] == []

    # a draft kept before the check is refused when it is published
    data = await journey(gql, {"type": "SEGMENT", "segmentId": str(await gql.segment())})
    saved = (await gql.ok(SAVE, {"i": data}, "marketer1"))["saveJourney"]["id"]
    async with app.state.db.unit_of_work() as uow:
        row = await uow.session.scalar(select(Journey).where(col(Journey.id) == uuid.UUID(saved)))
        assert row is not None
        row.draft = {**row.draft, "segment_id": NOBODY}
    error = await gql.error(PUBLISH, {"id": saved}, "marketer1", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "trigger.segmentId"
    assert (await gql.ok("{ journeys { status liveVersion } }"))["journeys"] == [
        {"status": "DRAFT", "liveVersion": None}
    ]


async def test_publishing_an_unchanged_journey_is_a_conflict_but_an_edited_draft_or_template_is_a_new_version(gql):
    template = await gql.template()
    steps = [{"key": "mail", "type": "EMAIL", "templateId": template}]
    data = await journey(gql, {"type": "SEGMENT", "segmentId": str(await gql.segment())}, steps)
    saved = (await gql.ok(SAVE, {"i": data}, "marketer1"))["saveJourney"]["id"]
    assert (await gql.ok(PUBLISH, {"id": saved}, "marketer1"))["publishJourney"]["liveVersion"] == 1
    error = await gql.error(PUBLISH, {"id": saved}, "marketer1", code="CONFLICT")
    assert error["message"] == "The draft and its templates are the published version already"
    assert (await gql.ok(SAVE, {"i": data, "id": saved}, "marketer1"))["saveJourney"]["id"] == saved
    await gql.error(PUBLISH, {"id": saved}, "marketer1", code="CONFLICT")  # saved again as it was

    edited = {
        "name": "模板",
        "subjectZh": "新主题",
        "htmlZh": "<p>新内容</p>",
        "textZh": "新内容 {{ unsubscribe_url }}",
    }
    await gql.ok(TEMPLATE, {"i": edited, "id": template})
    assert (await gql.ok(PUBLISH, {"id": saved}, "marketer1"))["publishJourney"]["liveVersion"] == 2
    data["steps"] = [*steps[:1], {"key": "done", "type": "GOAL"}]
    data["steps"][0] = {**steps[0], "next": "done"}
    await gql.ok(SAVE, {"i": data, "id": saved}, "marketer1")
    assert (await gql.ok(PUBLISH, {"id": saved}, "marketer1"))["publishJourney"]["liveVersion"] == 3
    [listed] = (await gql.ok("{ journeys { liveVersion } }"))["journeys"]
    assert listed == {"liveVersion": 3}


async def test_a_tag_or_a_task_title_of_zero_width_spaces_is_refused_at_its_field(gql):
    data = await journey(gql, {"type": "SEGMENT", "segmentId": str(await gql.segment())})
    data["steps"] = [{"key": "tag", "type": "ADD_TAG", "tag": "\u200b"}]
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "steps[0].tag",
        "Field 'steps[0].tag' must contain visible characters",
    )
    data["steps"] = [
        {"key": "tag", "type": "REMOVE_TAG", "tag": "旧标签", "next": "call"},
        {"key": "call", "type": "TASK", "title": "\u200b\u200b"},
    ]
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "steps[1].title",
        "字段“steps[1].title”必须包含可见字符",
    )
    data["steps"][1]["title"] = "回访" * 101
    error = await gql.error(SAVE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert error["message"] == "Field 'steps[1].title' is too long: at most 200 characters"
    assert (await gql.ok("{ journeys { id } }", None, "marketer1"))["journeys"] == []
