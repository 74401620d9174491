"""Who may call which customer operation, on an account owned by rep1: every operation, every persona.

Whoever is made an owner or an assignee must be an active user within the caller's scope: a manager
hands work only to his team, a representative only to himself.
"""

import datetime as dt
import uuid

import pytest

from crm_shared.testing.authz import Entry, check_complete, check_matrix
from customer.graphql import schema

NAMES = ("admin", "manager", "rep1", "rep2", "rep3", "marketing", "agent")


def expect(**outcomes: str) -> dict[str, str]:
    return {"anonymous": "UNAUTHENTICATED", **outcomes}


READ_REP1 = expect(admin="ok", manager="ok", rep1="ok", rep2="NOT_FOUND", rep3="NOT_FOUND", marketing="ok", agent="ok")
WRITE_REP1 = expect(
    admin="ok",
    manager="ok",
    rep1="ok",
    rep2="NOT_FOUND",
    rep3="NOT_FOUND",
    marketing="FORBIDDEN",
    agent="FORBIDDEN",
)
SALES_ONLY = expect(admin="ok", manager="ok", rep1="ok", rep2="ok", rep3="ok", marketing="FORBIDDEN", agent="FORBIDDEN")
ANY_USER = expect(**dict.fromkeys(NAMES, "ok"))


async def test_every_customer_operation_has_a_matrix_entry_and_holds(gql, tokens, persona):
    account = await gql.account("rep1")
    other = await gql.account("rep1")
    contact = (
        await gql.ok(
            "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
            {"i": {"accountId": account, "name": "赵六"}},
            "rep1",
        )
    )["createContact"]["id"]
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    rep1 = str(persona["rep1"].user_id)

    async def fresh_account(caller):
        return {"id": await gql.account("rep1")}

    async def deleted_account(caller):
        account_id = await gql.account("rep1")
        await gql.ok("mutation($id: ID!) { deleteAccount(id: $id) { id } }", {"id": account_id}, "rep1")
        return {"id": account_id}

    async def pool_account(caller):
        account_id = await gql.account("rep1")
        await gql.ok('mutation($id: ID!) { releaseToPool(id: $id, reason: "矩阵") { id } }', {"id": account_id}, "rep1")
        return {"id": account_id}

    async def fresh_contact(caller):
        made = await gql.ok(
            "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
            {"i": {"accountId": account, "name": f"临时{uuid.uuid4().hex[:6]}"}},
            "rep1",
        )
        return {"id": made["createContact"]["id"]}

    async def fresh_task(caller):
        made = await gql.ok(
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
            {"i": {"title": "矩阵任务", "dueAt": due}},
            "rep1",
        )
        return {"id": made["createTask"]["id"]}

    rep3 = str(persona["rep3"].user_id)
    outside = expect(admin="ok", **dict.fromkeys(("manager", "rep1", "rep2"), "BAD_USER_INPUT"), rep3="ok")
    outside.update(marketing="FORBIDDEN", agent="FORBIDDEN")

    async def account_for_rep3(caller):
        return {"id": await gql.account("rep1"), "to": rep3}

    claim = expect(admin="ok", manager="ok", rep1="ok", rep2="ok", marketing="FORBIDDEN", agent="FORBIDDEN")
    entries = {
        "accounts": Entry("{ accounts { totalCount } }", ANY_USER),
        "account": Entry("query($id: ID!) { account(id: $id) { id } }", READ_REP1, {"id": account}),
        "contacts": Entry("{ contacts { totalCount } }", ANY_USER),
        "contact": Entry("query($id: ID!) { contact(id: $id) { id } }", READ_REP1, {"id": contact}),
        "contactsByChannel": Entry(  # marketing sees phones masked: none is looked up by one
            '{ contactsByChannel(phone: "13800138000") { id } }', {**ANY_USER, "marketing": "BAD_USER_INPUT"}
        ),
        "accountNetwork": Entry("query($id: ID!) { accountNetwork(id: $id) { depth } }", READ_REP1, {"id": account}),
        "overdueTasks": Entry("{ overdueTasks { id } }", SALES_ONLY),
        "tasks": Entry("{ tasks { totalCount } }", SALES_ONLY),
        "recentActivities": Entry("{ recentActivities { totalCount } }", {**SALES_ONLY, "agent": "ok"}),
        "savedViews": Entry('{ savedViews(list: "accounts") { id } }', ANY_USER),
        "saveView": Entry('mutation { saveView(input: {list: "accounts", name: "矩阵视图"}) { id } }', ANY_USER),
        "deleteView": Entry(
            "mutation($id: ID!) { deleteView(id: $id) }",
            expect(**{**dict.fromkeys(NAMES, "NOT_FOUND"), "rep1": "ok"}),
            fresh_view(gql),
        ),
        "createAccount": Entry(
            'mutation { createAccount(input: {name: "矩阵新建"}, allowDuplicate: true) { id } }', SALES_ONLY
        ),
        "updateAccount": Entry(
            'mutation($id: ID!) { updateAccount(id: $id, input: {industry: "制造"}) { id } }',
            WRITE_REP1,
            {"id": account},
        ),
        "deleteAccount": Entry("mutation($id: ID!) { deleteAccount(id: $id) { id } }", WRITE_REP1, fresh_account),
        "restoreAccount": Entry("mutation($id: ID!) { restoreAccount(id: $id) { id } }", WRITE_REP1, deleted_account),
        "transferAccounts": Entry(
            "mutation($id: ID!, $to: ID!) { transferAccounts(accountIds: [$id], toUserId: $to) { id } }",
            WRITE_REP1,
            {"id": account, "to": rep1},
        ),
        "transferAccounts to a user outside the caller's scope": Entry(
            "mutation($id: ID!, $to: ID!) { transferAccounts(accountIds: [$id], toUserId: $to) { id } }",
            {**WRITE_REP1, "manager": "BAD_USER_INPUT", "rep1": "BAD_USER_INPUT"},
            account_for_rep3,
        ),
        "transferAccounts to an unknown user": Entry(
            "mutation($id: ID!, $to: ID!) { transferAccounts(accountIds: [$id], toUserId: $to) { id } }",
            {**WRITE_REP1, "admin": "BAD_USER_INPUT", "manager": "BAD_USER_INPUT", "rep1": "BAD_USER_INPUT"},
            {"id": account, "to": str(uuid.uuid4())},
        ),
        "createAccount for an owner outside the caller's scope": Entry(
            'mutation($o: ID!) { createAccount(input: {name: "矩阵代建", ownerId: $o}, allowDuplicate: true) { id } }',
            outside,
            {"o": rep3},
        ),
        "createTask for an assignee outside the caller's scope": Entry(
            'mutation($d: DateTime!, $a: ID!) { createTask(input: {title: "t", dueAt: $d, assigneeId: $a}) { id } }',
            outside,
            {"d": due, "a": rep3},
        ),
        "releaseToPool": Entry(
            'mutation($id: ID!) { releaseToPool(id: $id, reason: "r") { id } }', WRITE_REP1, fresh_account
        ),
        "claimFromPool": Entry("mutation($id: ID!) { claimFromPool(id: $id) { id } }", claim, pool_account),
        "changeLifecycleStage": Entry(
            'mutation($id: ID!) { changeLifecycleStage(id: $id, stage: "active", reason: "r") { id } }',
            WRITE_REP1,
            {"id": account},
        ),
        "linkAccounts": Entry(
            'mutation($a: ID!, $b: ID!) { linkAccounts(fromId: $a, toId: $b, kind: "partner") }',
            WRITE_REP1,
            fresh_link(gql, other),
        ),
        "linkContactToAccount": Entry(
            "mutation($c: ID!, $a: ID!) { linkContactToAccount(contactId: $c, accountId: $a) }",
            WRITE_REP1,
            fresh_contact_link(gql, contact),
        ),
        "createContact": Entry(
            'mutation($id: ID!) { createContact(input: {accountId: $id, name: "n"}) { id } }',
            WRITE_REP1,
            fresh_account,
        ),
        "updateContact": Entry(
            'mutation($id: ID!) { updateContact(id: $id, input: {title: "总监"}) { id } }',
            WRITE_REP1,
            {"id": contact},
        ),
        "deleteContact": Entry("mutation($id: ID!) { deleteContact(id: $id) }", WRITE_REP1, fresh_contact),
        "logActivity": Entry(
            'mutation($id: ID!) { logActivity(input: {accountId: $id, kind: "note", subject: "s"}) { id } }',
            {**WRITE_REP1, "agent": "ok"},
            {"id": account},
        ),
        "createTask": Entry(
            'mutation($d: DateTime!) { createTask(input: {title: "t", dueAt: $d}) { id } }',
            SALES_ONLY,
            {"d": due},
        ),
        "mergeAccounts": Entry(
            "mutation($a: ID!, $b: ID!) { mergeAccounts(targetId: $a, sourceId: $b) { id } }",
            WRITE_REP1,
            fresh_pair(gql),
        ),
        "completeTask": Entry("mutation($id: ID!) { completeTask(id: $id) { id } }", WRITE_REP1, fresh_task),
    }
    job = await gql.ok('mutation { importAccounts(input: {content: "name\\n矩阵导入"}) { id } }', None, "rep1")
    entries |= {
        "importAccounts": Entry('mutation { importAccounts(input: {content: "name\\n矩阵"}) { id } }', SALES_ONLY),
        "importJob": Entry(
            "query($id: ID!) { importJob(id: $id) { status } }",
            expect(
                admin="ok",
                rep1="ok",
                manager="NOT_FOUND",
                rep2="NOT_FOUND",
                marketing="FORBIDDEN",
                agent="FORBIDDEN",
            ),
            {"id": job["importAccounts"]["id"]},
        ),
        "exportAccounts": Entry("mutation { exportAccounts { rowCount } }", SALES_ONLY),
        "importContacts": Entry(
            'mutation { importContacts(input: {content: "姓名,客户名称\\n张,某公司"}) { id } }', SALES_ONLY
        ),
        "customFields": Entry("{ customFields { key } }", ANY_USER),
        "defineCustomField": Entry(
            'mutation($k: String!) { defineCustomField(input: {key: $k, label: "L", type: "text"}) { key } }',
            expect(**{**dict.fromkeys(NAMES, "FORBIDDEN"), "admin": "ok"}),
            fresh_key,
        ),
    }
    check_complete(schema, entries)
    bearer = {name: tokens.token(p) for name, p in persona.items()} | {"anonymous": None}

    async def execute(query, variables, token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await gql.client.post(
            "/graphql", json={"query": query, "variables": dict(variables)}, headers=headers
        )
        return response.json()

    await check_matrix(entries, bearer, execute)


async def fresh_key(caller):
    import uuid

    return {"k": f"m_{uuid.uuid4().hex[:8]}"}


def fresh_contact_link(gql, contact):
    async def variables(caller):
        return {"c": contact, "a": await gql.account("rep1")}

    return variables


def fresh_pair(gql):
    async def variables(caller):
        return {"a": await gql.account("rep1"), "b": await gql.account("rep1")}

    return variables


def fresh_view(gql):
    async def variables(caller):
        made = await gql.ok(
            'mutation($n: String!) { saveView(input: {list: "accounts", name: $n, shared: true}) { id } }',
            {"n": f"矩阵{uuid.uuid4().hex[:6]}"},
            "rep1",
        )
        return {"id": made["saveView"]["id"]}

    return variables


def fresh_link(gql, target):
    async def variables(caller):
        return {"a": await gql.account("rep1"), "b": target}

    return variables


def test_a_new_customer_operation_without_an_entry_fails():
    with pytest.raises(AssertionError, match="without an authorization-matrix entry"):
        check_complete(schema, {})
