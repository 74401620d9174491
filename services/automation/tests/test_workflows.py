"""Workflow rules end to end: saved and checked, published as versions, triggered by the suite's events,
their steps run once each (through the owning service's API, with the run and step as Idempotency-Key),
waits and retries kept as durable timers, and every run logged."""

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlmodel import col

from automation.settings import TRIGGER_TOPICS
from automation.workflows.models import RunStatus, Timer, Workflow, WorkflowRun, WorkflowVersion
from automation.workflows.remote import caused_by, traceparent
from automation.workflows.timers import POSTPONE_SECONDS
from crm_shared.auth.directory import DirectoryUser
from crm_shared.events.outbox import OutboxMessage

LEAD_TOPIC = "crm.sales.lead"
FOLLOW_UP = {
    "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
    "conditions": [{"field": "event.ownerId", "op": "exists"}],
    "steps": [
        {"id": "task", "action": "create_task", "title": "跟进线索 {{ event.id }}", "dueInHours": 48},
        {"id": "tell", "action": "notify", "title": "新线索 New lead", "body": "任务 {{ steps.task.taskId }}"},
    ],
}
SAVE = "mutation($i: WorkflowInput!, $id: ID) { saveWorkflow(input: $i, id: $id) { id version status draft } }"


async def test_a_lead_assigned_gives_its_owner_a_follow_up_task_and_a_notification_once(gql, stand_in):
    workflow = await gql.workflow(FOLLOW_UP)
    owner = gql.user("user1")
    event = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.deliver(LEAD_TOPIC, "lead.assigned", event.data, event_id=event.id)  # delivered again
    assert await gql.fire() == 1
    [(key, request)] = stand_in.effects().items()
    [run] = await gql.runs(workflow)
    assert key == f"workflow-{run['id']}-task"
    assert request["path"] == "/graphql"
    assert request["authorization"].startswith("Bearer ")
    task = request["variables"]["i"]
    assert (task["title"], task["assigneeId"], task["accountId"]) == (f"跟进线索 {event.data['id']}", owner, None)
    task_id = stand_in.answers[key]["data"]["createTask"]["id"]
    assert (run["status"], run["version"], run["subject"], run["error"]) == ("SUCCEEDED", 1, event.data["id"], None)
    assert [(s["stepId"], s["status"], s["attempts"]) for s in run["steps"]] == [
        ("task", "done", 1),
        ("tell", "done", 1),
    ]
    assert run["steps"][0]["result"] == {"taskId": task_id}
    inbox = await gql.inbox("user1")
    assert inbox["unreadNotificationCount"] == 1
    [note] = [e["node"] for e in inbox["notifications"]["edges"]]
    assert (note["kind"], note["title"], note["body"]) == ("WORKFLOW", "新线索 New lead", f"任务 {task_id}")
    assert await gql.fire() == 0  # nothing is left to do, and nothing is done again
    assert len(stand_in.requests) == 1


async def test_a_step_whose_transaction_was_lost_is_sent_again_under_the_same_key_and_takes_effect_once(
    gql, stand_in, app
):
    workflow = await gql.workflow(FOLLOW_UP)
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    [run] = await gql.runs(workflow)

    class Crash(Exception):
        pass

    try:  # the task is created in customer, then the process dies before automation commits
        async with app.state.db.unit_of_work() as uow:
            row = await uow.session.get(WorkflowRun, uuid.UUID(run["id"]))
            await app.state.engine.advance(uow, row)
            raise Crash
    except Crash:
        pass
    assert await gql.fire() == 1  # the run's timer was not consumed either: it fires again
    assert [r["key"] for r in stand_in.requests] == [f"workflow-{run['id']}-task"] * 2
    [answer] = stand_in.answers.values()
    [run] = await gql.runs(workflow)
    assert run["status"] == "SUCCEEDED"
    assert run["steps"][0]["result"] == {"taskId": answer["data"]["createTask"]["id"]}
    assert (await gql.inbox("user1"))["unreadNotificationCount"] == 1


async def test_a_run_finishes_the_version_it_began_while_new_runs_take_the_new_one(gql, clock):
    waiting = {
        "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
        "steps": [
            {"id": "pause", "action": "wait", "seconds": 3600},
            {"id": "tell", "action": "notify", "title": "第一版 Version one"},
        ],
    }
    workflow = await gql.workflow(waiting)
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    second = {**waiting, "steps": [{"id": "tell", "action": "notify", "title": "第二版 Version two"}]}
    await gql.ok(SAVE, {"i": {"name": "版本", "definition": second}, "id": workflow}, "automator")
    published = await gql.ok(
        "mutation($id: ID!) { publishWorkflow(id: $id) { version status } }", {"id": workflow}, "automator"
    )
    assert published["publishWorkflow"] == {"version": 2, "status": "ACTIVE"}
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    assert [(r["version"], r["status"]) for r in await gql.runs(workflow)] == [(2, "SUCCEEDED"), (1, "WAITING")]
    clock.advance(hours=1)
    await gql.fire()
    assert [(r["version"], r["status"]) for r in await gql.runs(workflow)] == [(2, "SUCCEEDED"), (1, "SUCCEEDED")]
    titles = sorted(e["node"]["title"] for e in (await gql.inbox("user1"))["notifications"]["edges"])
    assert titles == ["第一版 Version one", "第二版 Version two"]


async def test_a_wait_for_an_event_goes_on_when_it_comes_or_when_it_times_out_and_a_branch_follows(gql, clock):
    definition = {
        "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
        "steps": [
            {
                "id": "reply",
                "action": "wait",
                "seconds": 86400,
                "untilEvent": {
                    "topic": LEAD_TOPIC,
                    "type": "lead.status_changed",
                    "conditions": [{"field": "event.to", "op": "eq", "value": "CONTACTED"}],
                },
            },
            {
                "id": "answered",
                "action": "branch",
                "conditions": [{"field": "steps.reply.outcome", "op": "eq", "value": "event"}],
                "then": "done",
                "else": "late",
            },
            {"id": "late", "action": "notify", "title": "线索未跟进 Not contacted in a day", "next": "end"},
            {"id": "done", "action": "notify", "title": "线索已联系 Contacted"},
        ],
    }
    workflow = await gql.workflow(definition)
    contacted, ignored = uuid.uuid4(), uuid.uuid4()
    for lead in (contacted, ignored):
        await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user2", lead=lead))
    await gql.fire()
    change = {"id": str(contacted), "from": "NEW", "to": "CONTACTED", "reason": None}
    await gql.deliver(LEAD_TOPIC, "lead.status_changed", {**change, "to": "QUALIFIED"})  # not what it waits for
    await gql.deliver(LEAD_TOPIC, "lead.status_changed", {**change, "id": str(ignored), "to": "NEW"})
    await gql.deliver(LEAD_TOPIC, "lead.status_changed", change)
    runs = {r["subject"]: r for r in await gql.runs(workflow)}
    assert (runs[str(contacted)]["status"], runs[str(ignored)]["status"]) == ("SUCCEEDED", "WAITING")
    assert [s["stepId"] for s in runs[str(contacted)]["steps"]] == ["reply", "answered", "done"]
    assert runs[str(contacted)]["steps"][0]["result"]["outcome"] == "event"
    clock.advance(days=1)
    assert await gql.fire() == 1
    runs = {r["subject"]: r for r in await gql.runs(workflow)}
    assert runs[str(ignored)]["status"] == "SUCCEEDED"
    assert [(s["stepId"], s["result"]) for s in runs[str(ignored)]["steps"]] == [
        ("reply", {"outcome": "timeout"}),
        ("answered", {"matched": False}),
        ("late", runs[str(ignored)]["steps"][2]["result"]),
    ]
    titles = sorted(e["node"]["title"] for e in (await gql.inbox("user2"))["notifications"]["edges"])
    assert titles == ["线索已联系 Contacted", "线索未跟进 Not contacted in a day"]


async def test_a_condition_on_a_field_changed_from_one_value_to_another(gql):
    definition = {
        "trigger": {
            "kind": "event",
            "topic": "crm.sales.opportunity",
            "type": "opportunity.updated",
            "conditions": [{"field": "event.stage", "op": "changed", "from": "PROPOSAL", "to": "NEGOTIATION"}],
        },
        "steps": [{"id": "tell", "action": "notify", "title": "进入谈判 Negotiating"}],
    }
    workflow = await gql.workflow(definition)
    deal, owner = str(uuid.uuid4()), gql.user("user1")
    topic, kind = "crm.sales.opportunity", "opportunity.updated"
    for stage in ("QUALIFICATION", "NEGOTIATION", "PROPOSAL", "PROPOSAL", "NEGOTIATION", "NEGOTIATION"):
        await gql.deliver(topic, kind, {"id": deal, "ownerId": owner, "stage": stage})
    await gql.fire()
    assert len(await gql.runs(workflow)) == 1  # only PROPOSAL → NEGOTIATION, not QUALIFICATION → NEGOTIATION


async def test_a_fetched_batch_starts_and_resumes_runs_as_its_events_would_one_by_one(gql):
    topic, updated = "crm.sales.opportunity", "opportunity.updated"
    negotiating = {
        "trigger": {
            "kind": "event",
            "topic": topic,
            "type": updated,
            "conditions": [{"field": "event.stage", "op": "changed", "from": "PROPOSAL", "to": "NEGOTIATION"}],
        },
        "steps": [{"id": "tell", "action": "notify", "title": "进入谈判 Negotiating"}],
    }
    until_won = {
        "trigger": {"kind": "event", "topic": topic, "type": "opportunity.created"},
        "steps": [
            {
                "id": "outcome",
                "action": "wait",
                "seconds": 86400,
                "untilEvent": {
                    "topic": topic,
                    "type": updated,
                    "conditions": [{"field": "event.stage", "op": "eq", "value": "WON"}],
                },
            },
            {"id": "tell", "action": "notify", "title": "赢单 Won"},
        ],
    }
    first, second = await gql.workflow(negotiating), await gql.workflow(until_won)
    deal, other, owner = str(uuid.uuid4()), str(uuid.uuid4()), gql.user("user1")

    def moved(record, stage):
        return gql.event(updated, {"id": record, "ownerId": owner, "stage": stage})

    stages = ("QUALIFICATION", "NEGOTIATION", "PROPOSAL", "PROPOSAL", "NEGOTIATION", "NEGOTIATION")
    batch = [gql.event("opportunity.created", {"id": deal, "ownerId": owner}), *(moved(deal, s) for s in stages)]
    assert await gql.deliver_batch(topic, batch) is True
    assert await gql.deliver_batch(topic, batch) is True  # the whole batch again: nothing twice
    await gql.fire()
    [run] = await gql.runs(first)
    assert (run["status"], run["trigger"]) == ("SUCCEEDED", batch[5].data)  # PROPOSAL → NEGOTIATION only
    [waiting] = await gql.runs(second)
    assert (waiting["status"], waiting["currentStep"]) == ("WAITING", "outcome")  # it started after the batch

    later = [moved(other, "WON"), moved(deal, "LOST"), moved(deal, "WON"), moved(deal, "WON")]
    assert await gql.deliver_batch(topic, later) is True
    [done] = await gql.runs(second)
    assert done["status"] == "SUCCEEDED"
    assert [(s["stepId"], s["result"].get("event")) for s in done["steps"]][0] == ("outcome", later[2].data)
    titles = sorted(e["node"]["title"] for e in (await gql.inbox("user1"))["notifications"]["edges"])
    assert titles == ["赢单 Won", "进入谈判 Negotiating"]


async def test_a_failing_call_is_retried_later_and_a_refused_one_fails_the_run_with_its_error(gql, stand_in, clock):
    workflow = await gql.workflow(FOLLOW_UP)
    stand_in.errors = [{"message": "down", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    [run] = await gql.runs(workflow)
    assert (run["status"], run["steps"][0]["status"], run["steps"][0]["attempts"]) == ("RUNNING", "retrying", 1)
    assert run["steps"][0]["error"] == "customer: SERVICE_UNAVAILABLE down"
    assert await gql.fire() == 0  # the retry waits for its time (60 s, then doubling)
    clock.advance(seconds=60)
    assert await gql.fire() == 1
    [run] = await gql.runs(workflow)
    assert (run["status"], run["steps"][0]["status"], run["steps"][0]["attempts"]) == ("SUCCEEDED", "done", 2)
    stand_in.errors = [{"message": "Field 'assigneeId' is invalid", "extensions": {"code": "BAD_USER_INPUT"}}]
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user2"))
    await gql.fire()
    failed = (await gql.runs(workflow))[0]
    assert (failed["status"], failed["error"]) == (
        "FAILED",
        "task: customer: BAD_USER_INPUT Field 'assigneeId' is invalid",
    )
    assert [(s["stepId"], s["status"]) for s in failed["steps"]] == [("task", "failed")]


async def test_an_update_moves_the_record_through_its_service(gql, stand_in):
    definition = {
        "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
        "steps": [
            {
                "id": "rate",
                "action": "update_record",
                "service": "sales",
                "mutation": "updateLead",
                "input": {"rating": "HOT"},
            },
            {"id": "qualify", "action": "update_record", "service": "sales", "mutation": "qualifyLead"},
        ],
    }
    workflow = await gql.workflow(definition)
    event = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    [run] = await gql.runs(workflow)
    assert [(r["query"], r["variables"]) for r in stand_in.requests] == [
        (
            "mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id } }",
            {"id": event.data["id"], "input": {"rating": "HOT"}},
        ),
        ("mutation($id: ID!) { qualifyLead(id: $id) { id } }", {"id": event.data["id"]}),
    ]
    assert [r["key"] for r in stand_in.requests] == [f"workflow-{run['id']}-rate", f"workflow-{run['id']}-qualify"]


async def test_a_scheduled_workflow_starts_on_its_cron_times_and_a_date_rule_before_a_contract_ends(gql, clock):
    clock.set(dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC))
    weekly = {
        "trigger": {"kind": "schedule", "cron": "0 9 * * *"},
        "steps": [
            {"id": "tell", "action": "notify", "user": gql.user("user1"), "title": "早报 {{ event.scheduledAt }}"}
        ],
    }
    daily = await gql.workflow(weekly)
    ending = {
        "trigger": {
            "kind": "date",
            "topic": "crm.sales.contract",
            "type": "contract.created",
            "field": "endDate",
            "offsetDays": -30,
        },
        "steps": [{"id": "tell", "action": "notify", "title": "合同 {{ event.number }} 将到期"}],
    }
    contracts = await gql.workflow(ending)
    contract = {"id": str(uuid.uuid4()), "number": "HT-001", "endDate": "2027-04-15", "ownerId": gql.user("user2")}
    await gql.deliver("crm.sales.contract", "contract.created", contract)
    await gql.deliver(
        "crm.sales.contract", "contract.created", {**contract, "id": str(uuid.uuid4()), "endDate": "2027-03-20"}
    )
    assert await gql.fire() == 0
    clock.set(dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC))  # two cron times have passed: each starts its run
    await gql.fire()
    assert [r["trigger"] for r in await gql.runs(daily)] == [
        {"scheduledAt": "2027-03-02T09:00:00+00:00"},
        {"scheduledAt": "2027-03-01T09:00:00+00:00"},
    ]
    clock.set(dt.datetime(2027, 3, 16, 1, 0, tzinfo=dt.UTC))  # 30 days before 15 April, at 01:00 UTC
    await gql.fire()
    [run] = await gql.runs(contracts)
    assert (run["status"], run["subject"]) == ("SUCCEEDED", contract["id"])
    [note] = [e["node"]["title"] for e in (await gql.inbox("user2"))["notifications"]["edges"]]
    assert note == "合同 HT-001 将到期"


async def test_a_definition_is_checked_field_by_field_in_both_languages(gql):
    cases = [
        ({"steps": []}, "definition.trigger", "required"),
        ({"trigger": {"topic": LEAD_TOPIC}, "steps": []}, "definition.trigger.kind", "required"),
        (
            {
                "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
                "steps": [{"id": "a", "action": "fly"}],
            },
            "definition.steps[0]",
            "must be one of",
        ),
        (
            {
                "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "ticket.created"},
                "steps": [{"id": "a", "action": "notify", "title": "t"}],
            },
            "definition.trigger.type",
            "lead.assigned, lead.conversion_failed",
        ),
        (
            {
                "trigger": {"kind": "schedule", "cron": "every day"},
                "steps": [{"id": "a", "action": "notify", "title": "t"}],
            },
            "definition.trigger.cron",
            "cron",
        ),
        (
            {
                "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
                "steps": [{"id": "a", "action": "notify", "title": "t", "colour": "red"}],
            },
            "definition.steps[0].colour",
            "not a setting",
        ),
        (
            {
                "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
                "steps": [
                    {"id": "a", "action": "notify", "title": "t"},
                    {"id": "b", "action": "notify", "title": "t", "next": "a"},
                ],
            },
            "definition.steps[1].next",
            "later step",
        ),
        (
            {
                "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
                "steps": [{"id": "a", "action": "webhook", "url": "ftp://example.com"}],
            },
            "definition.steps[0].url",
            "http",
        ),
    ]
    for definition, field, words in cases:
        error = await gql.error(
            SAVE, {"i": {"name": "坏规则", "definition": definition}}, "automator", code="BAD_USER_INPUT"
        )
        assert (error["extensions"]["field"], words in error["message"]) == (field, True), error
    zh = await gql(SAVE, {"i": {"name": "坏规则", "definition": cases[4][0]}}, "automator", lang="zh-CN")
    assert zh["errors"][0]["message"] == "字段“definition.trigger.cron”不是有效的 cron 表达式"
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []


async def test_a_definition_nested_too_deeply_is_refused_naming_it_and_never_an_internal_error(gql):
    deep: dict = {}
    for _ in range(39):
        deep = {"trigger": deep}
    error = await gql.error(SAVE, {"i": {"name": "深规则", "definition": deep}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "definition", "maximum": 32}
    assert error["message"] == "字段“definition”嵌套过深：最多 32 层"
    # thousands of levels, past what the JSON decoder follows: refused before any GraphQL runs
    body = '{"query": "mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }", "variables": {"i": '
    body += '{"name": "深规则", "definition": ' + '{"a": ' * 5000 + "{}" + "}" * 5000 + "}}}"
    response = await gql.client.post(
        "/graphql", content=body.encode(), headers={"Content-Type": "application/json", **gql.bearer("automator")}
    )
    assert (response.status_code, response.text) == (400, "Field 'body' is nested too deeply: at most 32 levels")
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []


async def test_a_dry_run_shows_the_conditions_met_and_what_each_step_would_do_without_doing_it(gql, stand_in):
    workflow = await gql.workflow(FOLLOW_UP, publish=False)
    dry = """query($id: ID!, $e: JSON!) { testWorkflow(id: $id, sampleEvent: $e) {
        matched conditions { field op actual matched } steps { stepId action would error } } }"""
    owner = gql.user("user1")
    sample = {"type": "lead.assigned", "data": {"id": "L-1", "ownerId": owner}}
    found = (await gql.ok(dry, {"id": workflow, "e": sample}, "automator"))["testWorkflow"]
    assert found["matched"] is True
    assert found["conditions"] == [{"field": "event.ownerId", "op": "exists", "actual": owner, "matched": True}]
    [task, tell] = found["steps"]
    assert (task["stepId"], task["action"], task["error"]) == ("task", "create_task", None)
    assert task["would"]["mutation"] == "createTask"
    assert (task["would"]["input"]["title"], task["would"]["input"]["assigneeId"]) == ("跟进线索 L-1", owner)
    assert tell["would"] == {"user": owner, "title": "新线索 New lead", "body": "任务 "}
    unmatched = (await gql.ok(dry, {"id": workflow, "e": {"data": {"id": "L-2"}}}, "automator"))["testWorkflow"]
    assert (unmatched["matched"], unmatched["steps"]) == (False, [])
    assert unmatched["conditions"] == [{"field": "event.ownerId", "op": "exists", "actual": None, "matched": False}]
    assert stand_in.requests == []
    assert (await gql.inbox("user1"))["unreadNotificationCount"] == 0
    assert await gql.runs(workflow) == []
    assert RunStatus.RUNNING.value == "running"


async def test_runs_are_found_by_when_they_started_and_name_the_record_and_event_behind_them(gql):
    workflow = await gql.workflow(FOLLOW_UP)
    event = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    [run] = await gql.runs(workflow)
    query = """query($f: WorkflowRunFilter) { workflowRuns(filter: $f) { totalCount edges { node {
        id subject topic eventType } } } }"""
    started = dt.datetime.fromisoformat(run["startedAt"])

    async def found(**window):
        where = {"workflowId": workflow, **{k: v.isoformat() for k, v in window.items()}}
        return [e["node"] for e in (await gql.ok(query, {"f": where}))["workflowRuns"]["edges"]]

    expected = {"id": run["id"], "subject": event.data["id"], "topic": LEAD_TOPIC, "eventType": "lead.assigned"}
    assert await found(startedFrom=started, startedBefore=started + dt.timedelta(seconds=1)) == [expected]
    assert await found(startedFrom=started + dt.timedelta(microseconds=1)) == []
    assert await found(startedBefore=started) == []
    topics = (await gql.ok("{ workflowTriggerTopics }"))["workflowTriggerTopics"]
    assert topics == list(TRIGGER_TOPICS)


async def test_a_step_whose_values_come_out_invalid_fails_its_run_and_holds_up_no_other(gql):
    broken = {
        "trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"},
        "steps": [{"id": "tell", "action": "notify", "title": "{{ event.nothing }}"}],
    }
    workflow = await gql.workflow(broken)
    working = await gql.workflow(
        {**broken, "steps": [{"id": "tell", "action": "notify", "title": "好的 Fine"}]}, name="好规则"
    )
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    [run] = await gql.runs(workflow)
    assert (run["status"], run["error"]) == ("FAILED", "tell: Field 'title' is required")
    assert [r["status"] for r in await gql.runs(working)] == ["SUCCEEDED"]


async def test_a_timer_that_fails_is_put_off_and_holds_up_none_of_the_others_in_its_batch(gql, app, clock):
    steps = [{"id": "pause", "action": "wait", "seconds": 60}, {"id": "tell", "action": "notify", "title": "一分钟后"}]
    workflow = await gql.workflow(
        {"trigger": {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}, "steps": steps}
    )
    for _ in range(3):
        await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    assert await gql.fire() == 3
    async with app.state.db.unit_of_work() as uow:  # one run names a step its definition no longer has
        broken = await uow.session.get(WorkflowRun, uuid.UUID((await gql.runs(workflow))[0]["id"]))
        broken.status, broken.current_step = RunStatus.RUNNING, "gone"
    clock.advance(seconds=60)
    assert await gql.fire() == 3
    runs = {r["id"]: r["status"] for r in await gql.runs(workflow)}
    assert sorted(runs.values()) == ["RUNNING", "SUCCEEDED", "SUCCEEDED"]
    assert (await gql.inbox("user1"))["unreadNotificationCount"] == 2
    async with app.state.db.unit_of_work() as uow:
        [timer] = (await uow.session.scalars(select(Timer).where(col(Timer.run_id) == broken.id))).all()
    assert timer.due_at == clock.now() + dt.timedelta(seconds=POSTPONE_SECONDS)


async def test_each_rule_shows_its_runs_how_long_they_took_and_its_oldest_waiting_timer(gql, clock):
    tell = {"id": "tell", "action": "notify", "title": "新线索 New lead"}
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}
    quick = await gql.workflow({"trigger": trigger, "steps": [tell]}, name="立即通知 Tell at once")
    later = await gql.workflow(
        {"trigger": trigger, "steps": [{"id": "pause", "action": "wait", "seconds": 3600}, tell]},
        name="一小时后通知 Tell an hour later",
    )
    began = clock.now()
    for _ in range(2):
        await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    assert await gql.fire() == 4  # each run starts; two finish at once, two wait an hour
    query = "{ workflowMonitoring { id name runs failed pending medianSeconds p95Seconds oldestTimerDue } }"
    figures = {f["id"]: f for f in (await gql.ok(query, None, "automator"))["workflowMonitoring"]}
    assert figures == {
        quick: {
            "id": quick,
            "name": "立即通知 Tell at once",
            "runs": 2,
            "failed": 0,
            "pending": 0,
            "medianSeconds": 0.0,
            "p95Seconds": 0.0,
            "oldestTimerDue": None,
        },
        later: {
            "id": later,
            "name": "一小时后通知 Tell an hour later",
            "runs": 2,
            "failed": 0,
            "pending": 2,
            "medianSeconds": None,
            "p95Seconds": None,
            "oldestTimerDue": (began + dt.timedelta(hours=1)).isoformat(),
        },
    }
    clock.advance(hours=1)
    assert await gql.fire() == 2
    [after] = [f for f in (await gql.ok(query, None, "automator"))["workflowMonitoring"] if f["id"] == later]
    assert (after["pending"], after["medianSeconds"], after["oldestTimerDue"]) == (0, 3600.0, None)


async def test_a_condition_that_cannot_compare_is_refused_and_one_stored_costs_no_event(gql, app):
    """`contains` 5 raised for every event of the topic: the consumer retried, then dead-lettered it, so every
    rule, webhook and approval lost it; a dry run answered INTERNAL_SERVER_ERROR."""
    odd = {"field": "event.ownerId", "op": "contains", "value": 5}
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}
    tell = [{"id": "tell", "action": "notify", "title": "新线索 New lead"}]
    refused = [
        ({"trigger": {**trigger, "conditions": [odd]}, "steps": tell}, "definition.trigger.conditions[0].value"),
        ({"trigger": trigger, "conditions": [{**odd, "op": "in"}], "steps": tell}, "definition.conditions[0].value"),
        (
            {"trigger": trigger, "steps": [{"id": "b", "action": "branch", "conditions": [{**odd, "value": {}}]}]},
            "definition.steps[0].conditions[0].value",
        ),
    ]
    for definition, field in refused:
        error = await gql.error(
            SAVE, {"i": {"name": "坏条件", "definition": definition}}, "automator", "BAD_USER_INPUT"
        )
        assert error["extensions"]["field"] == field, error
    zh = await gql.error(
        SAVE, {"i": {"name": "坏条件", "definition": refused[0][0]}}, "automator", "BAD_USER_INPUT", "zh-CN"
    )
    assert zh["message"] == "字段“definition.trigger.conditions[0].value”须为文本，才能使用 contains 比较"

    stored = [odd, {"field": "event.ownerId", "op": "gt", "value": 5}, {"field": "event.id", "op": "in", "value": 1}]
    kept = await gql.workflow({"trigger": trigger, "steps": tell}, name="旧规则 Saved before the checks")
    working = await gql.workflow({"trigger": trigger, "steps": tell}, name="好规则 Fine")
    async with app.state.db.unit_of_work() as uow:  # as saved and published before values were checked
        version = await uow.session.scalar(select(WorkflowVersion).where(col(WorkflowVersion.workflow_id) == kept))
        version.definition = {**version.definition, "conditions": stored}
        (await uow.session.get(Workflow, uuid.UUID(kept))).draft = version.definition
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.fire()
    assert (await gql.runs(kept), [r["status"] for r in await gql.runs(working)]) == ([], ["SUCCEEDED"])
    dry = "query($id: ID!, $e: JSON!) { testWorkflow(id: $id, sampleEvent: $e) { matched conditions { op matched } } }"
    sample = {"type": "lead.assigned", "data": {"id": "L-1", "ownerId": "abc"}}
    found = (await gql.ok(dry, {"id": kept, "e": sample}, "automator"))["testWorkflow"]
    assert found == {
        "matched": False,
        "conditions": [{"op": op, "matched": False} for op in ("contains", "gt", "in")],
    }


async def test_a_schedule_takes_standard_five_field_cron_only(gql):
    """croniter reads a sixth field as seconds: `* * * * * */1` fired every second."""
    tell = [{"id": "tell", "action": "notify", "user": gql.user("user1"), "title": "定时 Scheduled"}]
    for cron in ("* * * * * */1", "0 9 * * * 0 2027"):
        definition = {"trigger": {"kind": "schedule", "cron": cron}, "steps": tell}
        error = await gql.error(SAVE, {"i": {"name": "秒级", "definition": definition}}, "automator", "BAD_USER_INPUT")
        assert (error["extensions"]["field"], error["message"]) == (
            "definition.trigger.cron",
            "Field 'definition.trigger.cron' must be a cron expression of five fields: minute hour day month weekday",
        )
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []
    await gql.workflow({"trigger": {"kind": "schedule", "cron": "*/5 9-18 * * 1-5"}, "steps": tell})


async def test_a_draft_its_runs_could_not_carry_out_is_refused_naming_the_value(gql):
    """Each of these was saved and published, and failed only when a run reached it."""
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}

    def notify(**fields):
        return {"trigger": trigger, "steps": [{"id": "tell", "action": "notify", "title": "t", **fields}]}

    def step(base, **fields):
        return {"trigger": trigger, "steps": [{"id": "s", **base, **fields}]}

    hook = {"action": "webhook", "url": "https://example.com/hook"}
    update = {"action": "update_record", "service": "sales"}
    cases = [
        (notify(user="boss"), "definition.steps[0].user", "not a valid ID"),
        (notify(title=" "), "definition.steps[0].title", "required"),
        (notify(title="\u200b"), "definition.steps[0].title", "visible characters"),
        (notify(body="线索 {{ event.x"), "definition.steps[0].body", "placeholder"),
        (notify(title="{{ event.id }} {{ 9 }}"), "definition.steps[0].title", "placeholder"),
        (notify(link="javascript:alert(1)"), "definition.steps[0].link", "path of the app"),
        (notify(link="javascript:{{ event.id }}"), "definition.steps[0].link", "path of the app"),
        (step(hook, secret="not-a-secret"), "definition.steps[0].secret", "whsec_"),
        (step(hook, url="http://169.254.169.254/latest"), "definition.steps[0].url", "169.254.169.254"),
        (step(hook, url="http://10.0.0.8/hook"), "definition.steps[0].url", "may not reach"),
        (step(hook, url="https://exa mple.com/h"), "definition.steps[0].url", "http"),
        (
            {"trigger": {**trigger, "topic": "crm.no.such"}, "steps": [{"id": "t", "action": "notify", "title": "t"}]},
            "definition.trigger.topic",
            "crm.sales.lead",
        ),
        (step(update, mutation="deleteEverything"), "definition.steps[0].mutation", "updateLead"),
        (step(update, mutation="updateLead"), "definition.steps[0].input", "required"),
        (
            step(update, service="marketing", mutation="updateCampaign", input={}),
            "definition.steps[0].service",
            "sales",
        ),
    ]
    for definition, field, words in cases:
        error = await gql.error(
            SAVE, {"i": {"name": "坏草稿", "definition": definition}}, "automator", "BAD_USER_INPUT"
        )
        assert (error["extensions"]["field"], words in error["message"]) == (field, True), (definition, error)
    zh = await gql.error(
        SAVE, {"i": {"name": "坏草稿", "definition": cases[3][0]}}, "automator", "BAD_USER_INPUT", "zh-CN"
    )
    assert zh["message"] == "字段“definition.steps[0].body”中的占位符未闭合或未指明路径：应写作 {{ event.field }}"
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []
    fine = notify(user="{{ event.ownerId }}", link="/leads/{{ event.id }}", body="{{ event.id }} 已分配")
    await gql.workflow(fine)
    await gql.workflow(notify(link="https://crm.example.com/leads"), name="外链 Link")


async def test_a_webhook_step_to_an_address_the_client_cannot_read_is_refused_and_one_stored_fails_its_run(gql, app):
    """Such a step kept its run RUNNING for ever: the client's error was no HTTP error, so its timer failed and fired
    again every minute, disabled rule or not."""
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}
    hook = {"trigger": trigger, "steps": [{"id": "hook", "action": "webhook", "url": "http://1.2.3.256/hook"}]}
    error = await gql.error(SAVE, {"i": {"name": "坏地址", "definition": hook}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "definition.steps[0].url",
        "字段“definition.steps[0].url”中的主机既不是有效的域名，也不是有效的 IP 地址：1.2.3.256",
    )
    fine = {"trigger": trigger, "steps": [{"id": "hook", "action": "webhook", "url": "https://example.com/hook"}]}
    workflow = await gql.workflow(fine)
    async with app.state.db.unit_of_work() as uow:  # as saved and published before addresses were read so
        version = await uow.session.scalar(select(WorkflowVersion).where(col(WorkflowVersion.workflow_id) == workflow))
        version.definition = hook
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    assert await gql.fire() == 1
    [run] = await gql.runs(workflow)
    assert (run["status"], run["error"]) == (
        "FAILED",
        "hook: http://1.2.3.256/hook: InvalidURL: Invalid IPv4 address: '1.2.3.256'",
    )
    assert [(s["stepId"], s["status"], s["attempts"]) for s in run["steps"]] == [("hook", "failed", 1)]
    assert await gql.fire() == 0


ACCOUNT_TOPIC = "crm.customer.account"


async def test_an_event_a_call_causes_carries_the_calls_trace(gql, app):
    """What the bound on loops relies on: a service continues a call's trace (`traceparent`, the run's id) into the
    events the call makes it publish, as automation's own API does here."""
    run = uuid.uuid4()
    workflow = await gql.workflow(FOLLOW_UP, publish=False)
    publish = "mutation($id: ID!) { publishWorkflow(id: $id) { version } }"
    await gql(publish, {"id": workflow}, "automator", headers={"traceparent": traceparent(run)})
    async with app.state.db.read() as session:
        payloads = (await session.scalars(select(OutboxMessage.payload))).all()
    [published] = [p for p in payloads if p["type"] == "workflow.published"]
    assert caused_by(published["traceparent"]) == run


async def test_a_rule_that_triggers_itself_is_stopped_after_five_runs_and_its_publisher_told(gql, stand_in):
    """It updates the account whose update triggers it: each update's event, published in the run's trace, started
    the next run, 214 in 20 seconds. The sixth run in the chain is stopped before its first step."""
    looping = {
        "trigger": {"kind": "event", "topic": ACCOUNT_TOPIC, "type": "account.updated"},
        "steps": [
            {
                "id": "touch",
                "action": "update_record",
                "service": "customer",
                "mutation": "updateAccount",
                "input": {"rating": "HOT"},
            }
        ],
    }
    workflow = await gql.workflow(looping, name="自我触发 Triggers itself")
    account = {"id": str(uuid.uuid4()), "name": "大疆 DJI", "ownerId": gql.user("user1")}
    await gql.deliver(ACCOUNT_TOPIC, "account.updated", account)  # a person's change
    for generation in range(5):
        assert await gql.fire() == 1
        call = stand_in.called("updateAccount")[generation]
        assert caused_by(call["traceparent"]) == uuid.UUID((await gql.runs(workflow))[0]["id"])
        # the customer service takes the update and publishes account.updated in the call's trace
        await gql.deliver(ACCOUNT_TOPIC, "account.updated", account, traceparent=call["traceparent"])
    assert await gql.fire() == 0  # the sixth run has nothing to do
    runs = await gql.runs(workflow)
    assert [r["status"] for r in runs] == ["FAILED"] + ["SUCCEEDED"] * 5
    assert (runs[0]["error"], runs[0]["steps"], runs[0]["currentStep"]) == (
        "stopped as a loop: 5 runs in a row were each started by an event the run before caused",
        [],
        None,
    )
    assert len(stand_in.called("updateAccount")) == 5
    [told] = [e["node"] for e in (await gql.inbox("automator"))["notifications"]["edges"]]
    assert (told["kind"], told["title"], told["body"]) == (
        "WORKFLOW",
        "规则循环触发，已停止 Rule stopped looping: 自我触发 Triggers itself",
        "规则的动作一再触发规则本身，第 6 次运行已停止 Its actions kept triggering it: run 6 was stopped",
    )
    await gql.deliver(ACCOUNT_TOPIC, "account.updated", account)  # a person's next change starts a new chain
    assert await gql.fire() == 1
    assert [r["status"] for r in await gql.runs(workflow)][0] == "SUCCEEDED"


async def test_a_schedule_that_never_comes_is_refused_at_its_cron(gql):
    """`0 0 31 2 *` was saved, and publishing it answered INTERNAL_SERVER_ERROR."""
    tell = [{"id": "tell", "action": "notify", "user": gql.user("user1"), "title": "定时 Scheduled"}]
    for cron in ("0 0 31 2 *", "0 9 30 2 *", "0 0 31 4,6 *"):
        definition = {"trigger": {"kind": "schedule", "cron": cron}, "steps": tell}
        error = await gql.error(
            SAVE, {"i": {"name": "二月", "definition": definition}}, "automator", "BAD_USER_INPUT", "zh-CN"
        )
        assert (error["extensions"]["field"], error["message"]) == (
            "definition.trigger.cron",
            "字段“definition.trigger.cron”的时间永远不会到来（如 2 月 31 日）",
        )
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []
    await gql.workflow({"trigger": {"kind": "schedule", "cron": "0 9 29 2 *"}, "steps": tell})  # leap years


async def test_a_link_whose_placeholders_could_make_it_unsafe_is_refused(gql):
    """`{{ event.x }}javascript:alert(1)` was saved: only a placeholder at the start was looked at, and it let the
    rest through. What comes before the first placeholder must fix the link as a path of the app or http(s)."""
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}

    def notify(link):
        return {"trigger": trigger, "steps": [{"id": "tell", "action": "notify", "title": "t", "link": link}]}

    for link in (
        "{{ event.x }}javascript:alert(1)",
        "{{ event.url }}",
        "java{{ event.x }}script:alert(1)",
        "//{{ event.host }}",
    ):
        error = await gql.error(
            SAVE, {"i": {"name": "坏链接", "definition": notify(link)}}, "automator", "BAD_USER_INPUT", "zh-CN"
        )
        assert (error["extensions"]["field"], error["message"]) == (
            "definition.steps[0].link",
            "字段“definition.steps[0].link”须为应用内路径（/leads/...）或 http、https 地址",
        ), link
    assert (await gql.ok("{ workflows { id } }", as_="automator"))["workflows"] == []
    for name, link in (("路径", "/leads/{{ event.id }}"), ("外链", "https://{{ event.host }}/leads/{{ event.id }}")):
        await gql.workflow(notify(link), name=name)


async def test_a_step_naming_a_user_not_in_the_directory_is_refused(gql, app):
    """Approval chains refused an unknown or inactive user; a notify step to one was saved and published, and
    failed every run."""
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}
    nobody = "00000000-0000-0000-0000-000000000000"
    cases = [
        ({"id": "tell", "action": "notify", "title": "t", "user": nobody}, "definition.steps[0].user"),
        ({"id": "task", "action": "create_task", "title": "t", "assignee": nobody}, "definition.steps[0].assignee"),
    ]
    for step, field in cases:
        definition = {"trigger": trigger, "steps": [step]}
        error = await gql.error(
            SAVE, {"i": {"name": "无此人", "definition": definition}}, "automator", "BAD_USER_INPUT", "zh-CN"
        )
        assert (error["extensions"]["field"], error["message"]) == (
            field,
            f"字段“{field}”：用户不存在、已停用或不在您的权限范围内",
        )
    tell = {"trigger": trigger, "steps": [{"id": "tell", "action": "notify", "title": "t", "user": gql.user("user2")}]}
    workflow = await gql.workflow(tell, publish=False)
    async with app.state.db.unit_of_work() as uow:  # user2 leaves before the rule is published
        await uow.session.execute(
            update(DirectoryUser)
            .where(col(DirectoryUser.user_id) == uuid.UUID(gql.user("user2")))
            .values(is_active=False)
        )
    publish = "mutation($id: ID!) { publishWorkflow(id: $id) { version } }"
    error = await gql.error(publish, {"id": workflow}, "automator", "BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "definition.steps[0].user",
        "Field 'definition.steps[0].user': no such active user within your scope",
    )


async def test_choices_and_limits_are_said_in_chinese_with_the_fields_own_bounds(gql):
    """Choice lists came out with pydantic's English "or" (`…, notExists or changed`), and a list too long said no
    maximum, in workflows and approval chains alike."""
    trigger = {"kind": "event", "topic": LEAD_TOPIC, "type": "lead.assigned"}
    tell = [{"id": "tell", "action": "notify", "title": "t"}]
    odd = {"trigger": trigger, "conditions": [{"field": "event.x", "op": "is"}], "steps": tell}
    error = await gql.error(SAVE, {"i": {"name": "坏", "definition": odd}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "definition.conditions[0].op",
        "字段“definition.conditions[0].op”须为以下之一：eq, ne, gt, gte, lt, lte, in, notIn, contains, exists, "
        "notExists, changed",
    )
    many = {"trigger": trigger, "steps": [{"id": f"s{i}", "action": "notify", "title": "t"} for i in range(101)]}
    error = await gql.error(SAVE, {"i": {"name": "坏", "definition": many}}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "definition.steps", "maximum": 100}
    assert error["message"] == "字段“definition.steps”的条目过多：最多 100 个"

    chain = "mutation($i: ApprovalChainInput!) { saveApprovalChain(input: $i) { id } }"
    manager = {"type": "manager", "level": 1}
    cases = [
        ([{"approvers": [manager], "mode": "MOST"}], "levels[0].mode", "须为以下之一：ALL, ANY, MIN"),
        ([{"approvers": [{"type": "boss"}]}], "levels[0].approvers[0].type", "须为以下之一：user, role, manager"),
        ([{"approvers": [manager]}] * 11, "levels", "的条目过多：最多 10 个"),
    ]
    for levels, field, said in cases:
        data = {"name": "审批", "subjectKind": "QUOTE", "levels": levels}
        error = await gql.error(chain, {"i": data}, "automator", "BAD_USER_INPUT", "zh-CN")
        assert (error["extensions"]["field"], error["message"]) == (field, f"字段“{field}”{said}")
