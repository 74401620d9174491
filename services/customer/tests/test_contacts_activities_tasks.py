"""Contacts with masked personal data, the activity timeline, tasks and their durable reminders."""

import datetime as dt
import json
import uuid

from crm_shared.testing import read_topic
from customer.tasks import service as tasks

CREATE_CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
CONTACT = "query($id: ID!) { contact(id: $id) { name phone email idNumber account { id } } }"


async def test_contact_personal_data_is_encrypted_and_masked_for_roles_that_mask_it(gql, app):
    account_id = await gql.account("rep1")
    contact_id = (
        await gql.ok(
            CREATE_CONTACT,
            {
                "i": {
                    "accountId": account_id,
                    "name": "张三",
                    "phone": "13800138000",
                    "email": "zs@example.cn",
                    "idNumber": "11010519491231002x",
                }
            },
            "rep1",
        )
    )["createContact"]["id"]
    full = (await gql.ok(CONTACT, {"id": contact_id}, "rep1"))["contact"]
    assert full == {
        "name": "张三",
        "phone": "13800138000",
        "email": "zs@example.cn",
        "idNumber": "11010519491231002X",
        "account": {"id": account_id},
    }
    masked = (await gql.ok(CONTACT, {"id": contact_id}, "marketing"))["contact"]
    assert masked["phone"] == "138****8000" and masked["idNumber"] == "110***********002X"
    assert masked["email"] == "zs@example.cn"
    assert (await gql(CONTACT, {"id": contact_id}, "rep2"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    from sqlalchemy import text

    async with app.state.db.read() as session:
        stored = (
            await session.execute(
                text("SELECT phone_enc, id_number_enc FROM contacts WHERE id = :id"), {"id": contact_id}
            )
        ).one()
    assert "13800138000" not in stored[0] and "1101" not in stored[1]


async def test_timeline_is_newest_first_and_counts_as_follow_up(gql):
    account_id = await gql.account("rep1")
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id kind } }"
    now = dt.datetime.now(dt.UTC)
    for days, kind in ((3, "call"), (1, "meeting"), (2, "email")):
        when = (now - dt.timedelta(days=days)).isoformat()
        await gql.ok(
            log,
            {
                "i": {
                    "accountId": account_id,
                    "kind": kind,
                    "subject": f"{kind}记录",
                    "occurredAt": when,
                    "participants": ["李销售", "王采购"],
                }
            },
            "rep1",
        )
    timeline = "query($id: ID!) { account(id: $id) { activities(first: 2) { totalCount edges { node { kind } } } } }"
    page = (await gql.ok(timeline, {"id": account_id}, "rep1"))["account"]["activities"]
    assert page["totalCount"] == 3 and [e["node"]["kind"] for e in page["edges"]] == ["meeting", "email"]
    # the timeline, tasks and stage history hang off an account read for the caller: out of scope, none shows
    whole = """query($id: ID!) {
        account(id: $id) { activities { totalCount } tasks { totalCount } lifecycleHistory { toStage } }
    }"""
    outside = await gql(whole, {"id": account_id}, "rep2")
    assert outside["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in outside["errors"]] == [(["account"], "NOT_FOUND")]
    bad = await gql(log, {"i": {"accountId": account_id, "kind": "fax", "subject": "x"}}, "rep1")
    assert bad["errors"][0]["extensions"]["field"] == "kind"
    for empty in ("", "   "):  # no kind is no note either
        for lang, message in (("en", "Field 'kind' is required"), ("zh-CN", "字段“kind”为必填项")):
            refused = await gql.error(
                log, {"i": {"accountId": account_id, "kind": empty, "subject": "x"}}, "rep1", "BAD_USER_INPUT", lang
            )
            assert (refused["extensions"]["field"], refused["message"]) == ("kind", message)
    assert (await gql.ok(timeline, {"id": account_id}, "rep1"))["account"]["activities"]["totalCount"] == 3
    agent = await gql(log, {"i": {"accountId": account_id, "kind": "note", "subject": "售后回访"}}, "agent")
    assert agent["data"]["logActivity"]["kind"] == "note"  # service agents record after-sales contact


async def test_task_reminder_is_published_once_at_its_time_and_overdue_tasks_are_listed(gql, app, platform_settings):
    account_id = await gql.account("rep1")
    now = dt.datetime.now(dt.UTC)
    create = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id status } }"
    task_id = (
        await gql.ok(
            create,
            {
                "i": {
                    "title": "回访报价",
                    "accountId": account_id,
                    "dueAt": (now - dt.timedelta(hours=1)).isoformat(),
                    "remindAt": (now - dt.timedelta(hours=2)).isoformat(),
                }
            },
            "rep1",
        )
    )["createTask"]["id"]
    await gql.run_schedule("task reminders")
    async with app.state.db.unit_of_work() as uow:
        assert await tasks.send_due_reminders(uow) == 0  # never twice
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.customer.task",
        1,
        match=lambda e: e["subject"] == task_id and e["type"] == "task.reminder_due",
    )
    assert json.loads(records[0].value)["data"]["title"] == "回访报价"

    overdue = await gql.ok("{ overdueTasks { id title } }", None, "rep1")
    assert overdue["overdueTasks"] == [{"id": task_id, "title": "回访报价"}]
    assert (await gql.ok("{ overdueTasks { id } }", None, "rep2"))["overdueTasks"] == []
    done = await gql.ok("mutation($id: ID!) { completeTask(id: $id) { status } }", {"id": task_id}, "rep1")
    assert done["completeTask"]["status"] == "done"
    later = (now + dt.timedelta(days=1)).isoformat()
    wrong = await gql(create, {"i": {"title": "x", "dueAt": now.isoformat(), "remindAt": later}}, "rep1")
    assert wrong["errors"][0]["extensions"]["field"] == "remindAt"
    stranger = await gql(create, {"i": {"title": "x", "dueAt": later, "assigneeId": str(uuid.uuid4())}}, "manager")
    assert stranger["errors"][0]["extensions"]["field"] == "assigneeId"


async def test_the_same_person_twice_at_an_account_is_a_conflict_naming_the_first(gql):
    account = await gql.account("rep1")
    create = """mutation($i: ContactFields!, $d: Boolean! = false) {
      createContact(input: $i, allowDuplicate: $d) { id } }"""
    person = {"accountId": account, "name": "王五", "phone": "+86 139-0013-9001"}
    first = (await gql.ok(create, {"i": person}, "rep1"))["createContact"]["id"]

    again = await gql(create, {"i": {**person, "name": "王五（重复）", "phone": "13900139001"}}, "rep1", lang="zh-CN")
    second = (await gql.ok(create, {"i": person, "d": True}, "rep1"))["createContact"]["id"]

    error = again["errors"][0]
    assert error["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": first}
    assert error["message"] == "该客户下已有电话、邮箱或姓名相同的联系人"
    assert second != first
