"""The audit trail: every change arrives through crm.audit, hash-chained, queryable by administrators."""

import asyncio

import pytest
from sqlalchemy import text

from crm_shared import audit
from crm_shared.testing import discard_database

AUDIT = """query($f: AuditFilterInput, $first: Int!, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq action entityType entityId changes at service actor { email } } }
  }
}"""


@pytest.fixture(scope="module")
async def app(new_app, postgres):
    """One app for the module: its audit consumer joins the group once."""
    application, db = await new_app()
    yield application
    await discard_database(postgres, db)


@pytest.fixture(scope="module")
async def workers(app):
    """The relay and the audit consumer, as the running service has them."""
    tasks = [asyncio.create_task(app.state.relay.run()), asyncio.create_task(app.state.consumer.run())]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def wait_for(gql, token, filter, count=1):
    for _ in range(150):
        body = await gql(AUDIT, {"f": filter, "first": 20}, token=token)
        if body["data"]["auditLog"]["totalCount"] >= count:
            return body["data"]["auditLog"]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no audit record for {filter}")


async def test_changes_logins_and_denials_are_audited_with_actor_and_changed_fields(gql, workers):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    email, user_id = await gql.new_user("audit-me-1", "旧名", token=admin, prefix="audited-")
    await gql(
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
        {"id": user_id, "i": {"displayName": "新名"}},
        token=admin,
    )
    await gql(gql.LOGIN, {"input": {"email": email, "password": "wrong-one-1"}})
    rep = (await gql.login("rep2@example.com"))["accessToken"]
    await gql("{ auditLog { totalCount } }", token=rep)

    updates = await wait_for(gql, admin, {"entityId": user_id, "action": "user.updated"})
    node = updates["edges"][0]["node"]
    assert node["actor"]["email"] == "admin@example.com"
    assert node["entityType"] == "User" and node["service"] == "identity"
    assert node["changes"] == {"displayName": {"before": "旧名", "after": "新名"}}

    failed = await wait_for(gql, admin, {"entityId": user_id, "action": "auth.login_failed"})
    assert failed["edges"][0]["node"]["changes"] == {}
    rep_id = (await gql("{ me { id } }", token=rep))["data"]["me"]["id"]
    denied = await wait_for(gql, admin, {"action": "auth.denied", "actorId": rep_id})
    assert denied["edges"][0]["node"]["actor"]["email"] == "rep2@example.com"


async def audit_rows(app):
    """How many records the trail holds once the events still on their way have arrived."""
    previous = None
    while True:
        async with app.state.db.read() as session:
            rows = await session.scalar(text("SELECT count(*) FROM audit_log"))
        if rows == previous:
            return rows
        previous = rows
        await asyncio.sleep(0.5)


async def test_the_audit_log_keeps_the_services_request_id_and_the_clients_apart(gql, workers):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    email, user_id = await gql.new_user("audit-me-1", "请求", token=admin, prefix="rid-")
    sent = {"input": {"email": email, "password": "wrong-one-1"}}
    response = await gql.client.post(
        "/graphql", json={"query": gql.LOGIN, "variables": sent}, headers={"X-Request-Id": "forged-id-1"}
    )
    junk = await gql.client.post(
        "/graphql", json={"query": gql.LOGIN, "variables": sent}, headers={"X-Request-Id": "x" * 300}
    )
    query = "query($f: AuditFilterInput) { auditLog(filter: $f) { edges { node { requestId clientRequestId } } } }"
    await wait_for(gql, admin, {"entityId": user_id, "action": "auth.login_failed"}, count=2)
    body = await gql(query, {"f": {"entityId": user_id, "action": "auth.login_failed"}}, token=admin)
    assert [e["node"] for e in body["data"]["auditLog"]["edges"]] == [
        {"requestId": junk.headers["x-request-id"], "clientRequestId": None},
        {"requestId": response.headers["x-request-id"], "clientRequestId": "forged-id-1"},
    ]
    assert response.headers["x-request-id"] != "forged-id-1"
    integrity = (await gql("{ auditIntegrity { valid } }", token=admin))["data"]["auditIntegrity"]
    assert integrity == {"valid": True}


async def test_audit_log_pages_newest_first(gql, app, workers):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    await wait_for(gql, admin, None, count=3)
    rows = await audit_rows(app)
    first = (await gql(AUDIT, {"first": 2}, token=admin))["data"]["auditLog"]
    second = (await gql(AUDIT, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=admin))["data"]["auditLog"]
    seqs = [e["node"]["seq"] for e in first["edges"] + second["edges"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 4
    assert first["totalCount"] == rows


async def test_audit_log_is_append_only_and_tampering_breaks_the_chain(gql, app, workers):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    await wait_for(gql, admin, None, count=2)
    rows = await audit_rows(app)
    integrity = "{ auditIntegrity { valid checked firstBrokenSeq } }"
    before = (await gql(integrity, token=admin))["data"]["auditIntegrity"]
    assert before == {"valid": True, "checked": rows, "firstBrokenSeq": None}

    db = app.state.db
    with pytest.raises(Exception, match="append-only"):
        async with db.unit_of_work() as uow:
            await uow.session.execute(text("UPDATE audit_log SET action = 'nothing' WHERE seq = 1"))

    async with db.unit_of_work() as uow:  # an attacker with the owner's rights edits a record
        await uow.session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        original = (await uow.session.execute(text("SELECT action FROM audit_log WHERE seq = 1"))).scalar_one()
        await uow.session.execute(text("UPDATE audit_log SET action = 'user.viewed' WHERE seq = 1"))
    try:
        broken = (await gql(integrity, token=admin))["data"]["auditIntegrity"]
        assert broken == {"valid": False, "checked": 0, "firstBrokenSeq": 1}
    finally:
        async with db.unit_of_work() as uow:
            await uow.session.execute(text("UPDATE audit_log SET action = :a WHERE seq = 1"), {"a": original})
            await uow.session.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    assert (await gql(integrity, token=admin))["data"]["auditIntegrity"]["valid"] is True


async def test_hundreds_of_records_arriving_at_once_are_each_chained_once_in_the_order_made(gql, app, workers):
    """An import or a bulk edit audits hundreds of changes in one transaction; they reach the chain together."""
    admin = (await gql.login("admin@example.com"))["accessToken"]
    async with app.state.db.unit_of_work() as uow:
        for n in range(300):
            await audit.record(uow, "burst.edited", "Burst", "one-record", detail={"n": n})
    await wait_for(gql, admin, {"entityType": "Burst"}, count=300)

    async with app.state.db.read() as session:
        made = await session.scalars(
            text("SELECT detail->>'n' FROM audit_log WHERE entity_type = 'Burst' ORDER BY seq")
        )
        assert [int(n) for n in made] == list(range(300))
    rows = await audit_rows(app)
    integrity = (await gql("{ auditIntegrity { valid checked } }", token=admin))["data"]["auditIntegrity"]
    assert integrity == {"valid": True, "checked": rows}
