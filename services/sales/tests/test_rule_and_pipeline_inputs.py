"""What an assignment rule or a pipeline lists is listed once, and a rule's priority is a sane number."""

import uuid

RULE = "mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id } }"
RULES = "{ assignmentRules { id } }"
PIPELINE = "mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { id stages { id name } } }"
STAGE = "mutation($id: ID!, $i: StageFields!) { updateStage(id: $id, input: $i) { name } }"


async def test_a_member_listed_twice_in_an_assignment_rule_is_refused_at_the_repeat(gql, persona):
    rep1, rep2 = str(persona["rep1"].user_id), str(persona["rep2"].user_id)
    rule = {"name": "轮询", "method": "round_robin", "memberIds": [rep1, rep2, rep1.upper()]}

    refused = await gql.error(RULE, {"i": rule}, "admin", "BAD_USER_INPUT", "zh-CN")

    assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": "memberIds[2]"}
    assert refused["message"] == "字段“memberIds[2]”与同一列表中的其他条目重复"
    assert (await gql.ok(RULES))["assignmentRules"] == []


async def test_an_assignment_rules_priority_is_between_0_and_10000(gql, persona):
    rule = {"name": "优先", "method": "fixed", "memberIds": [str(persona["rep1"].user_id)]}

    for priority in (-2147483648, -1, 10001):
        refused = await gql.error(RULE, {"i": {**rule, "priority": priority}}, "admin", "BAD_USER_INPUT")
        assert refused["extensions"]["field"] == "priority", priority
        assert refused["message"] == "Field 'priority' must be between 0 and 10000", priority
    assert (await gql.ok(RULES))["assignmentRules"] == []
    for priority in (0, 10000):
        await gql.ok(RULE, {"i": {**rule, "priority": priority}})


async def test_a_pipelines_stages_go_by_different_names(gql):
    name = f"重复阶段{uuid.uuid4().hex[:6]}"
    stages = [
        {"name": "甲", "probability": "10"},
        {"name": "乙", "probability": "50"},
        {"name": " 甲 ", "probability": "90"},
    ]

    refused = await gql.error(PIPELINE, {"i": {"name": name, "stages": stages}}, "admin", "BAD_USER_INPUT")
    made = (await gql.ok(PIPELINE, {"i": {"name": name, "stages": stages[:2]}}))["createPipeline"]
    renamed = await gql.error(
        STAGE, {"id": made["stages"][1]["id"], "i": {"name": "甲", "probability": "50"}}, "admin", None
    )

    assert (refused["extensions"]["field"], refused["message"]) == (
        "stages[2].name",
        "Field 'stages[2].name' repeats another entry of the same list",
    )
    assert (renamed["extensions"]["code"], renamed["extensions"]["field"]) == ("BAD_USER_INPUT", "name")
    assert [s["name"] for s in made["stages"]] == ["甲", "乙"]
