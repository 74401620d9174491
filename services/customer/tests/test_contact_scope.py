"""Records hanging from an account outside the caller's scope answer exactly as missing ones: nobody learns
from an answer that another representative's contact, task or account exists."""

import datetime as dt
import uuid

CONTACT_OPERATIONS = {
    "contact": "query($id: ID!) { contact(id: $id) { id name } }",
    "updateContact": 'mutation($id: ID!) { updateContact(id: $id, input: {name: "改名"}) { id } }',
    "deleteContact": "mutation($id: ID!) { deleteContact(id: $id) }",
    "_entities": (
        'query($id: ID!) { _entities(representations: [{__typename: "Contact", id: $id}]) { ... on Contact { id } } }'
    ),
}


async def answers(gql, query, variables, as_, lang):
    """What the caller is told: the data and each error's message and extensions, its path aside."""
    body = await gql(query, variables, as_, lang)
    return body["data"], [(e["message"], e["extensions"]) for e in body["errors"]]


async def test_another_reps_contact_answers_contact_not_found_exactly_as_a_missing_one(gql):
    account = await gql.account("rep2")
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
    theirs = (await gql.ok(create, {"i": {"accountId": account, "name": "别人的联系人"}}, "rep2"))["createContact"][
        "id"
    ]
    missing = str(uuid.uuid4())
    for name, query in CONTACT_OPERATIONS.items():
        for lang, message in (("en", "Contact not found"), ("zh-CN", "未找到联系人")):
            told = await answers(gql, query, {"id": theirs}, "rep1", lang)
            assert told == await answers(gql, query, {"id": missing}, "rep1", lang), (name, lang)
            assert told[1] == [(message, {"code": "NOT_FOUND", "entity": "Contact"})], (name, lang)

    link = "mutation($c: ID!, $a: ID!) { linkContactToAccount(contactId: $c, accountId: $a) }"
    mine = await gql.account("rep1")
    told = await answers(gql, link, {"c": theirs, "a": mine}, "rep1", "zh-CN")
    assert told == await answers(gql, link, {"c": missing, "a": mine}, "rep1", "zh-CN")
    assert told == (None, [("未找到联系人", {"code": "NOT_FOUND", "entity": "Contact"})])

    kept = await gql.ok("query($id: ID!) { contact(id: $id) { name } }", {"id": theirs}, "rep2")
    assert kept["contact"] == {"name": "别人的联系人"}  # neither renamed nor deleted


async def test_another_reps_contact_or_task_answers_as_a_missing_one_on_activities_and_tasks(gql):
    theirs_account, mine = await gql.account("rep2"), await gql.account("rep1")
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
    theirs = (await gql.ok(create, {"i": {"accountId": theirs_account, "name": "外人"}}, "rep2"))["createContact"]["id"]
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"
    missing = str(uuid.uuid4())
    told = await answers(
        gql, log, {"i": {"accountId": mine, "kind": "call", "subject": "x", "contactId": theirs}}, "rep1", "en"
    )
    assert told == await answers(
        gql, log, {"i": {"accountId": mine, "kind": "call", "subject": "x", "contactId": missing}}, "rep1", "en"
    )
    assert told == (
        None,
        [("The contact does not belong to this account", {"code": "BAD_USER_INPUT", "field": "contactId"})],
    )

    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    task = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
    their_task = (await gql.ok(task, {"i": {"title": "别人的任务", "dueAt": due}}, "rep2"))["createTask"]["id"]
    complete = "mutation($id: ID!) { completeTask(id: $id) { status } }"
    told = await answers(gql, complete, {"id": their_task}, "rep1", "zh-CN")
    assert told == await answers(gql, complete, {"id": missing}, "rep1", "zh-CN")
    assert told == (None, [("未找到任务", {"code": "NOT_FOUND", "entity": "Task"})])
