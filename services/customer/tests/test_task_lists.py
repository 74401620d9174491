"""Task lists, an account's tasks and recent activities across accounts, each within the caller's data scope."""

import datetime as dt

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
CREATE_TASK = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
COMPLETE = "mutation($id: ID!) { completeTask(id: $id) { status } }"
TASKS = """query($f: TaskFilter, $first: Int! = 20, $after: String) {
  tasks(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { title status } } } }"""
LOG = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"
RECENT = """query($owner: ID, $first: Int! = 20, $after: String) {
  recentActivities(ownerId: $owner, first: $first, after: $after) {
    totalCount pageInfo { endCursor } edges { node { subject accountId account { id name } } } } }"""


def at(days: float) -> str:
    return (NOW + dt.timedelta(days=days)).isoformat()


async def task(gql, title, days, as_="rep1", **fields):
    made = await gql.ok(CREATE_TASK, {"i": {"title": title, "dueAt": at(days), **fields}}, as_)
    return made["createTask"]["id"]


def titles(connection):
    return [e["node"]["title"] for e in connection["edges"]]


async def test_my_tasks_default_to_my_open_ones_soonest_first_and_filter_by_due_window_and_account(gql, persona):
    account = await gql.account("rep1")
    await task(gql, "明天回访", 1, accountId=account)
    await task(gql, "昨天逾期", -1)
    done = await task(gql, "已完成", 0.5)
    await gql.ok(COMPLETE, {"id": done}, "rep1")
    await task(gql, "下周拜访", 7)
    await task(gql, "同事的任务", 1, "rep2")

    mine = (await gql.ok(TASKS, {}, "rep1"))["tasks"]
    assert (titles(mine), mine["totalCount"]) == (["昨天逾期", "明天回访", "下周拜访"], 3)
    window = {"dueFrom": at(0), "dueTo": at(2), "status": None}
    assert titles((await gql.ok(TASKS, {"f": window}, "rep1"))["tasks"]) == ["已完成", "明天回访"]
    assert titles((await gql.ok(TASKS, {"f": {"status": "done"}}, "rep1"))["tasks"]) == ["已完成"]
    assert titles((await gql.ok(TASKS, {"f": {"accountId": account}}, "rep1"))["tasks"]) == ["明天回访"]

    first = (await gql.ok(TASKS, {"first": 2}, "rep1"))["tasks"]
    assert titles(first) == ["昨天逾期", "明天回访"] and first["pageInfo"]["hasNextPage"] is True
    rest = (await gql.ok(TASKS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, "rep1"))["tasks"]
    assert titles(rest) == ["下周拜访"] and rest["pageInfo"]["hasNextPage"] is False


async def test_another_persons_tasks_are_seen_by_their_manager_only(gql, persona):
    await task(gql, "rep2 的任务", 1, "rep2")
    await task(gql, "rep3 的任务", 1, "rep3")
    rep2, rep3 = (str(persona[p].user_id) for p in ("rep2", "rep3"))
    assert titles((await gql.ok(TASKS, {"f": {"assigneeId": rep2}}, "manager"))["tasks"]) == ["rep2 的任务"]
    assert (await gql.ok(TASKS, {"f": {"assigneeId": rep3}}, "manager"))["tasks"]["totalCount"] == 0
    assert (await gql.ok(TASKS, {"f": {"assigneeId": rep2}}, "rep1"))["tasks"]["totalCount"] == 0
    assert titles((await gql.ok(TASKS, {"f": {"assigneeId": rep3}}, "admin"))["tasks"]) == ["rep3 的任务"]


async def test_bad_task_filters_name_their_field(gql):
    cases = (
        ({"status": "later"}, "status"),
        ({"dueFrom": at(2), "dueTo": at(1)}, "dueTo"),
        ({"dueFrom": "2026-01-01T00:00:00"}, "dueFrom"),
    )
    for value, field in cases:
        errors = (await gql(TASKS, {"f": value}, "rep1"))["errors"]
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [("BAD_USER_INPUT", field)]
    assert (await gql(TASKS, {}, "marketing"))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_task_window_ending_before_it_starts_is_refused_in_the_callers_language(gql):
    backwards = {"f": {"dueFrom": at(2), "dueTo": at(1)}}
    said = [(await gql(TASKS, backwards, "rep1", lang))["errors"][0]["message"] for lang in ("zh-CN", "en")]
    assert said == ["字段“dueTo”不能早于“dueFrom”", "Field 'dueTo' must not be before 'dueFrom'"]


async def test_an_accounts_tasks_include_every_assignee_the_caller_may_see(gql, persona):
    account = await gql.account("rep1")
    await task(gql, "本人跟进", 3, accountId=account)
    await task(gql, "经理安排", 2, "manager", accountId=account, assigneeId=str(persona["rep2"].user_id))
    closed = await task(gql, "已结束", 1, accountId=account)
    await gql.ok(COMPLETE, {"id": closed}, "rep1")
    query = """query($id: ID!, $s: String) { account(id: $id) {
      open: tasks { totalCount edges { node { title } } } all: tasks(status: $s) { edges { node { title } } } } }"""

    seen = (await gql.ok(query, {"id": account, "s": None}, "manager"))["account"]
    assert (titles(seen["open"]), seen["open"]["totalCount"]) == (["经理安排", "本人跟进"], 2)
    assert titles(seen["all"]) == ["已结束", "经理安排", "本人跟进"]
    own = (await gql.ok(query, {"id": account, "s": "done"}, "rep1"))["account"]
    assert titles(own["open"]) == ["本人跟进"] and titles(own["all"]) == ["已结束"]
    assert (await gql(query, {"id": account, "s": None}, "rep2"))["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_caller_who_may_not_read_tasks_gets_the_account_with_that_section_null_and_told_why(gql):
    account = await gql.account("rep1", name="华为技术")
    await task(gql, "本人跟进", 3, accountId=account)
    query = """query($id: ID!) { account(id: $id) { name tasks { totalCount } activities { totalCount } } }"""

    got = await gql(query, {"id": account}, "agent")

    assert got["data"] == {"account": {"name": "华为技术", "tasks": None, "activities": {"totalCount": 0}}}
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["permission"]) for e in got["errors"]] == [
        (["account", "tasks"], "FORBIDDEN", "customer:task:read")
    ]


async def test_recent_activities_span_the_accounts_in_scope_newest_first_with_their_account(gql, persona):
    names = {}
    for rep, days in (("rep1", 3), ("rep2", 2), ("rep3", 1), ("rep1", 0)):
        account = await gql.account(rep)
        names[account] = rep
        subject = f"{rep} 拜访 {days}"
        await gql.ok(
            LOG, {"i": {"accountId": account, "kind": "visit", "subject": subject, "occurredAt": at(-days)}}, rep
        )

    def seen(connection):
        return [(e["node"]["subject"], names[e["node"]["account"]["id"]]) for e in connection["edges"]]

    rep1 = (await gql.ok(RECENT, {}, "rep1"))["recentActivities"]
    assert seen(rep1) == [("rep1 拜访 0", "rep1"), ("rep1 拜访 3", "rep1")]
    node = rep1["edges"][0]["node"]
    assert node["accountId"] == node["account"]["id"] and node["account"]["name"].startswith("测试客户")
    manager = (await gql.ok(RECENT, {}, "manager"))["recentActivities"]
    assert (seen(manager), manager["totalCount"]) == (
        [("rep1 拜访 0", "rep1"), ("rep2 拜访 2", "rep2"), ("rep1 拜访 3", "rep1")],
        3,
    )
    page = (await gql.ok(RECENT, {"first": 1}, "manager"))["recentActivities"]
    after = await gql.ok(RECENT, {"first": 2, "after": page["pageInfo"]["endCursor"]}, "manager")
    assert seen(after["recentActivities"]) == [("rep2 拜访 2", "rep2"), ("rep1 拜访 3", "rep1")]
    by_rep2 = (await gql.ok(RECENT, {"owner": str(persona["rep2"].user_id)}, "manager"))["recentActivities"]
    assert seen(by_rep2) == [("rep2 拜访 2", "rep2")]
    assert (await gql.ok(RECENT, {}, "admin"))["recentActivities"]["totalCount"] == 4
    assert (await gql(RECENT, {}, "marketing"))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
