"""Approvals: chains picked by their conditions, levels decided in turn (all, any or a minimum count),
four eyes kept, delegates standing in, reminders and escalation by durable timers, one approval however
often the submission arrives, and the outcome published for the subject's service."""

import datetime as dt
import json
import uuid

from crm_shared.auth.directory import apply_user_event
from crm_shared.testing import read_topic
from crm_shared.testing.service import user_created

QUOTE_TOPIC, APPROVAL_TOPIC = "crm.sales.quote", "crm.automation.approval"
SAVE = "mutation($i: ApprovalChainInput!, $id: ID) { saveApprovalChain(input: $i, id: $id) { id name } }"
APPROVAL = """id subjectKind subjectId title amount currency discount chainName status level levelCount comment
    requester { id } currentApprovers { id } finalApprover { id }
    levels { number name mode needed approvers { id } }
    history { level action actor { id } onBehalfOf { id } comment }"""
MINE = f"{{ myApprovals {{ {APPROVAL} }} }}"
APPROVE = f"mutation($id: ID!, $c: String) {{ approve(id: $id, comment: $c) {{ {APPROVAL} }} }}"
REJECT = f"mutation($id: ID!, $c: String!) {{ reject(id: $id, comment: $c) {{ {APPROVAL} }} }}"
OF_QUOTE = (
    f"""query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Quote {{ approval {{ {APPROVAL} }} }} }} }}"""
)
MANAGER = {"type": "manager", "level": 1}
DIRECTOR = {"type": "role", "role": "sales_director"}
TWO_LEVELS = {
    "name": "报价折扣 Quote discounts",
    "subjectKind": "QUOTE",
    "conditions": [{"field": "event.effectiveDiscount", "op": "gt", "value": 15}],
    "levels": [
        {"name": "经理 Manager", "approvers": [MANAGER]},
        {
            "name": "销售总监 Director",
            "approvers": [DIRECTOR],
            "conditions": [{"field": "event.effectiveDiscount", "op": "gt", "value": 30}],
        },
    ],
}


async def chain(gql, **fields):
    return (await gql.ok(SAVE, {"i": {**TWO_LEVELS, **fields}}, "automator"))["saveApprovalChain"]["id"]


async def submit(gql, discount, requester="seller", owner="seller", creator="seller", quote=None, event_id=None):
    data = {
        "id": str(quote or uuid.uuid4()),
        "version": 2,
        "title": "华为 CRM 项目",
        "status": "pending_approval",
        "currency": "CNY",
        "total": "106000.00",
        "effectiveDiscount": discount,
        "ownerId": gql.user(owner),
        "createdBy": gql.user(creator),
        "submittedBy": gql.user(requester),
        "approverId": None,
        "comment": None,
    }
    await gql.deliver(QUOTE_TOPIC, "quote.submitted", data, event_id=event_id)
    return data["id"]


async def mine(gql, as_):
    return (await gql.ok(MINE, None, as_))["myApprovals"]


def ids(users):
    return [u["id"] for u in users]


async def test_a_deep_discount_goes_to_the_manager_then_the_director_and_the_outcome_is_published(
    gql, platform_settings
):
    await chain(gql)
    quote = await submit(gql, "35.00")
    [waiting] = await mine(gql, "boss")
    assert (waiting["title"], waiting["amount"], waiting["discount"], waiting["chainName"]) == (
        "华为 CRM 项目",
        "106000.00",
        "35.00",
        "报价折扣 Quote discounts",
    )
    assert (waiting["subjectKind"], waiting["subjectId"], waiting["status"]) == ("QUOTE", quote, "PENDING")
    assert (waiting["level"], waiting["levelCount"], waiting["requester"]["id"]) == (1, 2, gql.user("seller"))
    assert [(lv["name"], lv["mode"], ids(lv["approvers"])) for lv in waiting["levels"]] == [
        ("经理 Manager", "ANY", [gql.user("boss")]),
        ("销售总监 Director", "ANY", [gql.user("director")]),
    ]
    assert await mine(gql, "director") == []
    after = (await gql.ok(APPROVE, {"id": waiting["id"], "c": "可以"}, "boss"))["approve"]
    assert (after["status"], after["level"], ids(after["currentApprovers"])) == ("PENDING", 2, [gql.user("director")])
    assert await mine(gql, "boss") == []
    [at_two] = await mine(gql, "director")
    done = (await gql.ok(APPROVE, {"id": at_two["id"]}, "director"))["approve"]
    assert (done["status"], done["finalApprover"]["id"], done["currentApprovers"]) == (
        "APPROVED",
        gql.user("director"),
        [],
    )
    assert [(h["level"], h["action"], h["actor"]["id"], h["comment"]) for h in done["history"]] == [
        (1, "REQUESTED", gql.user("seller"), None),
        (1, "APPROVED", gql.user("boss"), "可以"),
        (2, "APPROVED", gql.user("director"), None),
    ]
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers, APPROVAL_TOPIC, 2, match=lambda e: e["subject"] == done["id"]
    )
    published = [json.loads(r.value) for r in records]
    assert [e["type"] for e in published] == ["approval.requested", "approval.decided"]
    assert published[1]["data"] == {
        "id": done["id"],
        "subjectKind": "quote",
        "subjectId": quote,
        "outcome": "approved",
        "approverId": gql.user("director"),
        "comment": None,
    }
    inbox = await gql.inbox("seller")
    assert [e["node"]["title"] for e in inbox["notifications"]["edges"]] == [
        "已批准 Approved：报价 Quote 华为 CRM 项目"
    ]


async def test_chains_are_tried_in_order_and_without_a_match_the_requesters_manager_decides(gql):
    await chain(gql)
    await chain(gql, name="小折扣 Small discounts", position=5, conditions=[], levels=[{"approvers": [DIRECTOR]}])
    await submit(gql, "20.00")  # meets the first chain: its director level's own condition does not hold
    await submit(gql, "10.00")  # only the catch-all
    contract = {"id": str(uuid.uuid4()), "number": "CT-1", "title": "年度维保", "value": "36000.00", "currency": "CNY"}
    contract |= {"ownerId": gql.user("seller"), "createdBy": gql.user("seller"), "submittedBy": gql.user("seller")}
    await gql.deliver("crm.sales.contract", "contract.submitted", contract)  # no contract chain: the default
    by_title = {}
    for who in ("boss", "director"):
        for a in await mine(gql, who):
            by_title.setdefault((a["discount"], a["subjectKind"]), []).append((who, a["chainName"], a["levelCount"]))
    assert by_title == {
        ("20.00", "QUOTE"): [("boss", "报价折扣 Quote discounts", 1)],
        ("10.00", "QUOTE"): [("director", "小折扣 Small discounts", 1)],
        (None, "CONTRACT"): [("boss", "默认：直属经理 Default: the requester's manager", 1)],
    }
    listed = await gql.ok("{ approvalChains(subjectKind: QUOTE) { name position } }", None, "automator")
    assert listed["approvalChains"] == [
        {"name": "报价折扣 Quote discounts", "position": 0},
        {"name": "小折扣 Small discounts", "position": 5},
    ]


async def test_parallel_levels_need_any_all_or_a_minimum_count(gql):
    users = [{"type": "user", "userId": gql.user(n)} for n in ("boss", "director", "peer")]
    outcomes = {}
    for mode, extra in (("ANY", {}), ("ALL", {}), ("MIN", {"min": 2})):
        levels = [{"approvers": users, "mode": mode, **extra}]
        await chain(
            gql, name=f"并行 {mode}", levels=levels, conditions=[{"field": "event.title", "op": "eq", "value": mode}]
        )
    for mode in ("ANY", "ALL", "MIN"):
        quote = str(uuid.uuid4())
        data = await submit(gql, "20.00", quote=quote)
        assert data == quote
    # titles carry the mode the chain's condition picks: deliver them again with their own titles
    for mode in ("ANY", "ALL", "MIN"):
        event = {"id": str(uuid.uuid4()), "title": mode, "effectiveDiscount": "20.00", "total": "1.00"}
        event |= {"ownerId": gql.user("seller"), "createdBy": gql.user("seller"), "submittedBy": gql.user("seller")}
        await gql.deliver(QUOTE_TOPIC, "quote.submitted", event)
        statuses = []
        for who in ("boss", "director", "peer"):
            [found] = [a for a in await mine(gql, who) if a["title"] == mode]
            assert found["levels"][0]["needed"] == {"ANY": 1, "ALL": 3, "MIN": 2}[mode]
            statuses.append((await gql.ok(APPROVE, {"id": found["id"]}, who))["approve"]["status"])
            if statuses[-1] != "PENDING":
                break
        outcomes[mode] = statuses
    assert outcomes == {
        "ANY": ["APPROVED"],
        "ALL": ["PENDING", "PENDING", "APPROVED"],
        "MIN": ["PENDING", "APPROVED"],
    }


async def test_four_eyes_and_only_the_waiting_approvers_decide_and_a_rejection_needs_its_reason(gql):
    await chain(gql, levels=[{"approvers": [MANAGER, {"type": "user", "userId": gql.user("peer")}], "mode": "ANY"}])
    # the peer created the quote: never an approver of it, though the chain names them
    await submit(gql, "35.00", creator="peer")
    [waiting] = await mine(gql, "boss")
    assert ids(waiting["currentApprovers"]) == [gql.user("boss")]
    for party in ("seller", "peer"):
        error = await gql.error(APPROVE, {"id": waiting["id"]}, party)
        assert error["message"] == "Whoever owns, created or submitted it cannot approve or reject it"
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "director")
    assert error["message"] == "This approval does not wait on you or on anyone you stand in for"
    error = await gql.error(REJECT, {"id": waiting["id"], "c": "  "}, "boss", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "comment"
    zh = await gql.error(REJECT, {"id": waiting["id"], "c": ""}, "boss", code="BAD_USER_INPUT", lang="zh-CN")
    assert "comment" in zh["message"]
    rejected = (await gql.ok(REJECT, {"id": waiting["id"], "c": "折扣过高 Too deep"}, "boss"))["reject"]
    assert (rejected["status"], rejected["comment"], rejected["finalApprover"]["id"]) == (
        "REJECTED",
        "折扣过高 Too deep",
        gql.user("boss"),
    )
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "boss", code="CONFLICT")
    assert error["message"] == "This approval is decided already"


async def test_a_delegate_decides_for_an_approver_who_is_away_and_the_history_says_for_whom(gql):
    await chain(gql)
    now = dt.datetime.now(dt.UTC)
    delegate = """mutation($to: ID!, $from: DateTime, $until: DateTime!) {
        delegateApprovals(toUserId: $to, from: $from, until: $until) { delegate { id } } }"""
    until = (now + dt.timedelta(days=7)).isoformat()
    error = await gql.error(delegate, {"to": gql.user("boss"), "until": until}, "boss", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "toUserId"
    past = {"to": gql.user("deputy"), "from": now.isoformat(), "until": (now - dt.timedelta(hours=1)).isoformat()}
    error = await gql.error(delegate, past, "boss", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "until"
    made = await gql.ok(delegate, {"to": gql.user("deputy"), "until": until}, "boss")
    assert made["delegateApprovals"]["delegate"]["id"] == gql.user("deputy")
    await submit(gql, "20.00")
    [waiting] = await mine(gql, "deputy")
    assert [w["id"] for w in await mine(gql, "boss")] == [waiting["id"]]  # the approver still may
    done = (await gql.ok(APPROVE, {"id": waiting["id"], "c": "代批"}, "deputy"))["approve"]
    assert done["status"] == "APPROVED"
    last = done["history"][-1]
    assert (last["actor"]["id"], last["onBehalfOf"]["id"], last["comment"]) == (
        gql.user("deputy"),
        gql.user("boss"),
        "代批",
    )
    notified = [e["node"]["title"] for e in (await gql.inbox("deputy"))["notifications"]["edges"]]
    assert notified == ["待您审批 Waiting for your approval：报价 Quote 华为 CRM 项目"]


async def test_a_level_left_waiting_is_reminded_then_escalated_by_durable_timers(gql, clock):
    level = {
        "approvers": [MANAGER],
        "remindAfterHours": 24,
        "escalateAfterHours": 48,
        "escalateTo": [DIRECTOR],
    }
    await chain(gql, levels=[level])
    await submit(gql, "20.00")
    assert await gql.fire() == 0
    clock.advance(hours=25)
    assert await gql.fire() == 1
    titles = [e["node"]["title"] for e in (await gql.inbox("boss"))["notifications"]["edges"]]
    assert titles == [
        "审批提醒 Reminder: still waiting for your approval：报价 Quote 华为 CRM 项目",
        "待您审批 Waiting for your approval：报价 Quote 华为 CRM 项目",
    ]
    assert await mine(gql, "director") == []
    clock.advance(hours=24)
    assert await gql.fire() == 1
    [escalated] = await mine(gql, "director")
    assert ids(escalated["currentApprovers"]) == [gql.user("boss"), gql.user("director")]
    assert [h["action"] for h in escalated["history"]] == ["REQUESTED", "REMINDED", "ESCALATED"]
    done = (await gql.ok(APPROVE, {"id": escalated["id"]}, "director"))["approve"]
    assert done["status"] == "APPROVED"
    clock.advance(days=10)
    assert await gql.fire() == 0


async def test_a_submission_delivered_again_or_published_twice_opens_one_approval(gql):
    await chain(gql)
    quote = str(uuid.uuid4())
    event = str(uuid.uuid4())
    await submit(gql, "35.00", quote=quote, event_id=event)
    await submit(gql, "35.00", quote=quote, event_id=event)  # redelivered
    await submit(gql, "35.00", quote=quote)  # published again under another id
    assert [a["subjectId"] for a in await mine(gql, "boss")] == [quote]
    entities = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": quote}]}, "seller")
    assert entities["_entities"][0]["approval"]["history"][0]["action"] == "REQUESTED"
    assert [h["action"] for h in entities["_entities"][0]["approval"]["history"]] == ["REQUESTED"]
    hidden = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": quote}]}, "peer")
    assert hidden["_entities"] == [{"approval": None}]
    seen = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": quote}]}, "director")
    assert seen["_entities"][0]["approval"]["subjectId"] == quote


async def test_a_subject_decided_in_its_own_service_closes_its_open_approval(gql):
    await chain(gql)
    quote = await submit(gql, "35.00")
    data = {"id": quote, "approverId": gql.user("boss"), "comment": None, "status": "approved"}
    await gql.deliver(QUOTE_TOPIC, "quote.approved", data)
    assert await mine(gql, "boss") == []
    entities = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": quote}]}, "seller")
    approval = entities["_entities"][0]["approval"]
    assert (approval["status"], approval["finalApprover"]["id"]) == ("APPROVED", gql.user("boss"))


async def test_a_quote_replaced_by_a_newer_version_withdraws_its_approval(gql):
    await chain(gql)
    quote = await submit(gql, "35.00")
    assert [a["subjectId"] for a in await mine(gql, "boss")] == [quote]
    await gql.deliver(QUOTE_TOPIC, "quote.superseded", {"id": quote, "status": "superseded", "comment": None})
    assert await mine(gql, "boss") == []
    entities = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": quote}]}, "seller")
    approval = entities["_entities"][0]["approval"]
    assert (approval["status"], approval["finalApprover"], [h["action"] for h in approval["history"]]) == (
        "WITHDRAWN",
        None,
        ["REQUESTED", "WITHDRAWN"],
    )


async def test_a_chain_is_checked_naming_the_wrong_field(gql):
    cases = [
        ({"levels": []}, "levels"),
        ({"levels": [{"approvers": [MANAGER], "mode": "SOME"}]}, "levels[0].mode"),
        ({"levels": [{"approvers": [MANAGER], "mode": "MIN"}]}, "levels[0].min"),
        ({"levels": [{"approvers": [{"type": "role"}]}]}, "levels[0].approvers[0].role"),
        ({"levels": [{"approvers": [{"type": "role", "role": "sales_directr"}]}]}, "levels[0].approvers[0].role"),
        ({"levels": [{"approvers": [MANAGER], "escalateAfterHours": 4}]}, "levels[0].escalateTo"),
        ({"conditions": [{"field": "event.x", "op": "bigger"}]}, "conditions[0].op"),
        ({"name": " "}, "name"),
    ]
    for change, field in cases:
        error = await gql.error(SAVE, {"i": {**TWO_LEVELS, **change}}, "automator", code="BAD_USER_INPUT")
        assert error["extensions"]["field"] == field, (change, error)
    zh = await gql.error(
        SAVE,
        {"i": {**TWO_LEVELS, "levels": [{"approvers": [MANAGER], "mode": "MIN"}]}},
        "automator",
        "BAD_USER_INPUT",
        "zh-CN",
    )
    assert "levels[0].min" in zh["message"]
    typo = [
        {"approvers": [MANAGER]},
        {"approvers": [MANAGER], "escalateAfterHours": 4, "escalateTo": [{"type": "role", "role": "directr"}]},
    ]
    zh = await gql.error(SAVE, {"i": {**TWO_LEVELS, "levels": typo}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert (zh["extensions"]["field"], zh["message"]) == (
        "levels[1].escalateTo[0].role",
        "字段“levels[1].escalateTo[0].role”：没有角色“directr”，请填写内置角色或已有人担任的角色",
    )
    # a built-in role is known before anyone holds it
    unheld = [{"approvers": [{"type": "role", "role": "marketing_manager"}]}]
    await gql.ok(SAVE, {"i": {**TWO_LEVELS, "name": "市场审批", "levels": unheld}}, "automator")
    await chain(gql)
    error = await gql.error(SAVE, {"i": TWO_LEVELS}, "automator", code="CONFLICT")
    assert error["extensions"]["field"] == "name"
    assert (await gql.ok("{ approvalChains { name } }", None, "automator"))["approvalChains"] == [
        {"name": "市场审批"},
        {"name": "报价折扣 Quote discounts"},
    ]


async def test_each_chain_shows_its_approvals_rejections_time_to_decide_and_what_still_waits(gql, clock):
    began = clock.now()
    chain_id = await chain(gql, levels=[{"approvers": [MANAGER], "remindAfterHours": 24}])
    approved, rejected, waiting = [await submit(gql, "20.00") for _ in range(3)]
    by_quote = {a["subjectId"]: a["id"] for a in await mine(gql, "boss")}
    clock.advance(hours=1)
    await gql.ok(APPROVE, {"id": by_quote[approved]}, "boss")
    clock.advance(hours=2)
    await gql.ok(REJECT, {"id": by_quote[rejected], "c": "太贵 Too dear"}, "boss")
    query = """{ approvalChainMonitoring { id name runs failed pending medianSeconds p95Seconds
        oldestTimerDue oldestPendingSince } }"""
    [figures] = (await gql.ok(query, None, "automator"))["approvalChainMonitoring"]
    # decided after 1 h and 3 h: median 2 h, p95 interpolated 2.9 h; the one waiting is reminded a day after
    assert figures == {
        "id": chain_id,
        "name": TWO_LEVELS["name"],
        "runs": 3,
        "failed": 1,
        "pending": 1,
        "medianSeconds": 7200.0,
        "p95Seconds": 10440.0,
        "oldestTimerDue": (began + dt.timedelta(hours=24)).isoformat(),
        "oldestPendingSince": began.isoformat(),
    }
    assert waiting in by_quote
    refused = await gql.error(query, None, "user1", code="FORBIDDEN")
    assert refused["extensions"]["permission"] == "automation:approval_chain:read"


DELEGATE = """mutation($to: ID!, $until: DateTime!) { delegateApprovals(toUserId: $to, until: $until) { id } }"""


async def test_one_person_gives_one_decision_at_a_level_however_many_they_stand_in_for(gql):
    """An approver who also stands in for another approver of a level of ALL approved twice, and the level
    passed on one person's word."""
    both = [{"type": "user", "userId": gql.user(n)} for n in ("boss", "director")]
    await chain(gql, levels=[{"approvers": both, "mode": "ALL"}])
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat()
    await gql.ok(DELEGATE, {"to": gql.user("boss"), "until": until}, "director")
    await submit(gql, "20.00")
    [waiting] = await mine(gql, "boss")
    first = (await gql.ok(APPROVE, {"id": waiting["id"]}, "boss"))["approve"]
    assert first["status"] == "PENDING"
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "boss", code="CONFLICT")
    assert error["message"] == "You have decided at this level already"
    assert await mine(gql, "boss") == []
    done = (await gql.ok(APPROVE, {"id": waiting["id"]}, "director"))["approve"]
    assert done["status"] == "APPROVED"
    assert [(h["actor"]["id"], h["onBehalfOf"]) for h in done["history"][1:]] == [
        (gql.user("boss"), None),
        (gql.user("director"), None),
    ]


async def test_a_delegate_standing_in_for_two_approvers_decides_once_at_a_level(gql):
    both = [{"type": "user", "userId": gql.user(n)} for n in ("boss", "director")]
    await chain(gql, levels=[{"approvers": both, "mode": "ALL"}])
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat()
    for away in ("boss", "director"):
        await gql.ok(DELEGATE, {"to": gql.user("deputy"), "until": until}, away)
    await submit(gql, "20.00")
    [waiting] = await mine(gql, "deputy")
    assert (await gql.ok(APPROVE, {"id": waiting["id"]}, "deputy"))["approve"]["status"] == "PENDING"
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "deputy", code="CONFLICT", lang="zh-CN")
    assert error["message"] == "您已在本级代他人作出决定：每人每级只能决定一次"
    assert await mine(gql, "deputy") == []
    [still] = await mine(gql, "director")
    assert (still["status"], [h["action"] for h in still["history"]]) == ("PENDING", ["REQUESTED", "APPROVED"])


async def test_a_level_names_someone_who_shows_and_approvers_the_directory_knows(gql):
    nobody = {"type": "user", "userId": "00000000-0000-0000-0000-000000000000"}
    cases = [
        ({"levels": [{"name": "   ", "approvers": [MANAGER]}]}, "levels[0].name"),
        ({"levels": [{"name": "\u200b", "approvers": [MANAGER]}]}, "levels[0].name"),
        ({"levels": [{"approvers": [MANAGER]}, {"approvers": [nobody]}]}, "levels[1].approvers[0].userId"),
        (
            {"levels": [{"approvers": [MANAGER], "escalateAfterHours": 4, "escalateTo": [nobody]}]},
            "levels[0].escalateTo[0].userId",
        ),
        ({"conditions": [{"field": "event.title", "op": "contains", "value": 5}]}, "conditions[0].value"),
        (
            {"levels": [{"approvers": [MANAGER], "conditions": [{"field": "event.x", "op": "notIn", "value": 3}]}]},
            "levels[0].conditions[0].value",
        ),
    ]
    for change, field in cases:
        error = await gql.error(SAVE, {"i": {**TWO_LEVELS, **change}}, "automator", code="BAD_USER_INPUT")
        assert error["extensions"]["field"] == field, (change, error)
    zh = await gql.error(SAVE, {"i": {**TWO_LEVELS, **cases[2][0]}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert zh["message"] == "字段“levels[1].approvers[0].userId”：用户不存在、已停用或不在您的权限范围内"
    assert (await gql.ok("{ approvalChains { name } }", None, "automator"))["approvalChains"] == []
    named = {"name": " 经理 Manager ", "approvers": [{"type": "user", "userId": gql.user("boss")}]}
    await chain(gql, levels=[named])
    await submit(gql, "20.00")
    [waiting] = await mine(gql, "boss")
    assert waiting["levels"][0]["name"] == "经理 Manager"


DELEGATION = """mutation($to: ID!, $from: DateTime, $until: DateTime!) {
    delegateApprovals(toUserId: $to, from: $from, until: $until) { id startsAt endsAt } }"""
END = "mutation($id: ID!) { endApprovalDelegation(id: $id) { id startsAt endsAt delegate { id } } }"
DELEGATIONS = "{ myApprovalDelegations { id } }"


def week():
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat()


async def test_a_chain_or_delegation_naming_someone_who_cannot_read_its_subjects_is_refused_at_its_field(gql):
    agent = {"type": "user", "userId": gql.user("agent")}
    role = {"type": "role", "role": "service_agent"}
    error = await gql.error(
        SAVE,
        {"i": {**TWO_LEVELS, "levels": [{"approvers": [MANAGER]}, {"approvers": [agent]}]}},
        "automator",
        "BAD_USER_INPUT",
    )
    assert (error["extensions"]["field"], error["message"]) == (
        "levels[1].approvers[0].userId",
        "Field 'levels[1].approvers[0].userId': this user's roles do not let them see these records; "
        "give them a role that does",
    )
    error = await gql.error(
        SAVE, {"i": {**TWO_LEVELS, "levels": [{"approvers": [role]}]}}, "automator", "BAD_USER_INPUT"
    )
    assert (error["extensions"]["field"], error["message"]) == (
        "levels[0].approvers[0].role",
        "Field 'levels[0].approvers[0].role': those holding role 'service_agent' may not see these records; "
        "name a role that may",
    )
    escalated = [{"approvers": [MANAGER], "escalateAfterHours": 4, "escalateTo": [role]}]
    zh = await gql.error(SAVE, {"i": {**TWO_LEVELS, "levels": escalated}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert (zh["extensions"]["field"], zh["message"]) == (
        "levels[0].escalateTo[0].role",
        "字段“levels[0].escalateTo[0].role”：担任角色“service_agent”的用户无权查看此类记录，请填写有权查看的角色",
    )
    # by the chain's kind: the manager reads quotes, not campaigns
    boss = {"type": "user", "userId": gql.user("boss")}
    budgets = {**TWO_LEVELS, "subjectKind": "CAMPAIGN_BUDGET", "levels": [{"approvers": [boss]}]}
    error = await gql.error(SAVE, {"i": budgets}, "automator", "BAD_USER_INPUT")
    assert error["extensions"]["field"] == "levels[0].approvers[0].userId"
    assert (await gql.ok("{ approvalChains { name } }", None, "automator"))["approvalChains"] == []
    zh = await gql.error(DELEGATE, {"to": gql.user("agent"), "until": week()}, "boss", "BAD_USER_INPUT", "zh-CN")
    assert (zh["extensions"]["field"], zh["message"]) == (
        "toUserId",
        "字段“toUserId”：该用户的角色无权查看此类记录，请先为其分配相应角色",
    )
    assert (await gql.ok(DELEGATIONS, None, "boss"))["myApprovalDelegations"] == []


async def test_someone_who_cannot_read_the_subject_is_not_offered_it_and_cannot_decide_it(gql):
    """The agent reached the directory before identity's events carried permissions (taken as able), so the
    delegation was taken; their token says they read no quote."""
    event = user_created(gql.personas["agent"], "user.updated")
    del event.data["permissions"]
    async with gql.app.state.db.unit_of_work() as uow:
        await apply_user_event(uow, event)
    await chain(gql)
    await gql.ok(DELEGATE, {"to": gql.user("agent"), "until": week()}, "boss")
    await submit(gql, "20.00")
    assert await mine(gql, "agent") == []
    [waiting] = await mine(gql, "boss")
    for mutation, variables in (
        (APPROVE, {"id": waiting["id"], "c": "ok"}),
        (REJECT, {"id": waiting["id"], "c": "不"}),
    ):
        error = await gql.error(mutation, variables, "agent", "NOT_FOUND")
        assert error["message"] == "Approval not found"
    entities = await gql.ok(OF_QUOTE, {"r": [{"__typename": "Quote", "id": waiting["subjectId"]}]}, "agent")
    assert entities["_entities"] == [{"approval": None}]
    [still] = await mine(gql, "boss")
    assert (still["status"], [h["action"] for h in still["history"]]) == ("PENDING", ["REQUESTED"])


async def test_a_delegation_is_ended_by_its_maker_or_an_administrator_and_never_overlaps_or_leads_back(gql, clock):
    now = clock.now()
    until = now + dt.timedelta(days=7)
    to_deputy = {"to": gql.user("deputy"), "until": until.isoformat()}
    made = (await gql.ok(DELEGATION, to_deputy, "boss"))["delegateApprovals"]
    for to in ("deputy", "director"):  # the same one again, or another delegate meanwhile
        error = await gql.error(DELEGATION, {**to_deputy, "to": gql.user(to)}, "boss", "CONFLICT")
        assert error["message"] == (
            f"You delegate your approvals from {now:%Y-%m-%d %H:%M} UTC until {until:%Y-%m-%d %H:%M} UTC already: "
            "end that delegation first"
        )
    back = {"to": gql.user("boss"), "from": (now + dt.timedelta(days=6)).isoformat(), "until": until.isoformat()}
    zh = await gql.error(DELEGATION, back, "deputy", "BAD_USER_INPUT", "zh-CN")
    assert (zh["extensions"]["field"], zh["message"]) == (
        "toUserId",
        "字段“toUserId”：该用户在此期间已将审批委托给您，两人不能互相代理",
    )
    error = await gql.error(END, {"id": made["id"]}, "peer", "NOT_FOUND")
    assert error["message"] == "Approval delegation not found"
    clock.advance(hours=1)
    ended = (await gql.ok(END, {"id": made["id"]}, "boss"))["endApprovalDelegation"]
    assert (ended["startsAt"], ended["endsAt"], ended["delegate"]["id"]) == (
        now.isoformat(),
        clock.now().isoformat(),
        gql.user("deputy"),
    )
    assert (await gql.ok(DELEGATIONS, None, "boss"))["myApprovalDelegations"] == []
    zh = await gql.error(END, {"id": made["id"]}, "boss", "CONFLICT", "zh-CN")
    assert zh["message"] == "该代理已经结束"
    await chain(gql)
    await submit(gql, "20.00")
    assert await mine(gql, "deputy") == []
    # the way is free again; an administrator of approvals ends anyone's, and one not begun never begins
    later = {**to_deputy, "from": (clock.now() + dt.timedelta(days=1)).isoformat()}
    planned = (await gql.ok(DELEGATION, later, "boss"))["delegateApprovals"]
    ended = (await gql.ok(END, {"id": planned["id"]}, "automator"))["endApprovalDelegation"]
    assert ended["startsAt"] == ended["endsAt"] == clock.now().isoformat()
    assert (await gql.ok(DELEGATIONS, None, "boss"))["myApprovalDelegations"] == []


async def test_an_approval_is_not_offered_to_a_delegate_who_requested_it(gql):
    await chain(gql)
    await gql.ok(DELEGATE, {"to": gql.user("seller"), "until": week()}, "boss")
    await submit(gql, "20.00")
    assert await mine(gql, "seller") == []
    [waiting] = await mine(gql, "boss")
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "seller")
    assert error["message"] == "Whoever owns, created or submitted it cannot approve or reject it"
    assert (await gql.inbox("seller"))["notifications"]["edges"] == []


async def test_an_approval_answers_those_who_may_not_see_it_as_an_unknown_one_does(gql):
    await chain(gql)
    await submit(gql, "20.00")
    [waiting] = await mine(gql, "boss")
    unknown = await gql.error(APPROVE, {"id": str(uuid.uuid4())}, "peer", "NOT_FOUND")
    for mutation, variables in ((APPROVE, {"id": waiting["id"]}), (REJECT, {"id": waiting["id"], "c": "不行"})):
        error = await gql.error(mutation, variables, "peer", "NOT_FOUND")
        assert (error["message"], error["extensions"]) == (unknown["message"], unknown["extensions"])
        zh = await gql.error(mutation, variables, "peer", "NOT_FOUND", "zh-CN")
        assert zh["message"] == "未找到审批"
    # the director reads every quote: told it does not wait on them
    error = await gql.error(APPROVE, {"id": waiting["id"]}, "director", "FORBIDDEN")
    assert error["message"] == "This approval does not wait on you or on anyone you stand in for"


async def test_a_delegation_starting_in_the_past_is_refused_at_from(gql, clock):
    now = clock.now()
    window = {"to": gql.user("deputy"), "until": (now + dt.timedelta(days=1)).isoformat()}
    error = await gql.error(DELEGATION, {**window, "from": "1900-01-01T00:00:00Z"}, "boss", "BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == ("from", "Field 'from' must not be in the past")
    zh = await gql.error(DELEGATION, {**window, "from": "1900-01-01T00:00:00Z"}, "boss", "BAD_USER_INPUT", "zh-CN")
    assert zh["message"] == "字段“from”不能早于当前时间"
    assert (await gql.ok(DELEGATIONS, None, "boss"))["myApprovalDelegations"] == []
    behind = (now - dt.timedelta(minutes=2)).isoformat()  # a client whose clock runs a little behind
    made = (await gql.ok(DELEGATION, {**window, "from": behind}, "boss"))["delegateApprovals"]
    assert made["startsAt"] == behind
