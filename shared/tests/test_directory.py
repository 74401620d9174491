"""Unit and subtree scopes read the local user directory kept from identity's events."""

import asyncio
import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import column, event, select, table, text
from sqlmodel import SQLModel

from crm_contracts.identity import USER_TOPIC
from crm_shared.auth import DataScope, Principal
from crm_shared.auth.directory import (
    CHANGED,
    DIRECTORY,
    DirectoryServiceAccount,
    DirectoryUser,
    apply_user_event,
    may_read,
    scope_filter,
    unit_of,
)
from crm_shared.auth.revocation import Revocations, directory_standing
from crm_shared.context import directory_reads
from crm_shared.errors import Unauthenticated
from crm_shared.events import CloudEvent

U1, U2, U3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def user_event(user_id, unit, at, type="user.updated", active=True):
    return CloudEvent(
        source="/crm/identity",
        type=type,
        subject=str(user_id),
        time=at,
        data={
            "id": str(user_id),
            "email": f"{user_id.hex[:8]}@example.com",
            "displayName": "某人",
            "roles": ["sales_rep"],
            "orgUnitId": str(unit),
            "isActive": active,
        },
    )


async def visible(db, principal):
    records = table("records", column("name"), column("owner_id"))
    async with db.read() as session:
        clause = await scope_filter(session, principal, "customer:account", records.c.owner_id)
        rows = await session.execute(select(records.c.name).where(clause).order_by(records.c.name))
        return [r[0] for r in rows]


async def test_unit_and_subtree_scopes_follow_membership_events(db):
    async with db.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=[DirectoryUser.__table__])
        await conn.execute(text("CREATE TABLE records (name text, owner_id uuid)"))
    me, colleague, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        for user, unit in ((me, U1), (colleague, U1), (other, U3)):
            await apply_user_event(uow, user_event(user, unit, now, "user.created"))
        for name, owner in (("a-mine", me), ("b-colleague", colleague), ("c-other", other)):
            await uow.session.execute(text("INSERT INTO records VALUES (:n, :o)"), {"n": name, "o": owner})

    def caller(scope):
        return Principal(
            user_id=me, scopes={"customer:account": scope}, unit_id=U1, subtree_unit_ids=frozenset({U1, U3})
        )

    assert await visible(db, caller(DataScope.OWN)) == ["a-mine"]
    assert await visible(db, caller(DataScope.UNIT)) == ["a-mine", "b-colleague"]
    assert await visible(db, caller(DataScope.SUBTREE)) == ["a-mine", "b-colleague", "c-other"]

    async with db.unit_of_work() as uow:  # the colleague moves away; a stale, older event arrives late
        await apply_user_event(uow, user_event(colleague, U2, now + dt.timedelta(seconds=5)))
        await apply_user_event(uow, user_event(colleague, U1, now + dt.timedelta(seconds=1)))
    assert await visible(db, caller(DataScope.UNIT)) == ["a-mine"]


async def test_a_request_reads_a_teams_members_once_and_the_next_request_reads_them_again(db):
    """A dashboard's lists each filter by the caller's team, several at once, and a record's owner is looked up
    more than once: the directory is read once for each."""
    async with db.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=[DirectoryUser.__table__])
        await conn.execute(text("CREATE TABLE records (name text, owner_id uuid)"))
    me, colleague = uuid.uuid4(), uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        for user in (me, colleague):
            await apply_user_event(uow, user_event(user, U1, now, "user.created"))
        for name, owner in (("a-mine", me), ("b-colleague", colleague)):
            await uow.session.execute(text("INSERT INTO records VALUES (:n, :o)"), {"n": name, "o": owner})
    caller = Principal(user_id=me, scopes={"customer:account": DataScope.UNIT}, unit_id=U1)
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    async def request():
        directory_reads.set({})  # as `RequestContextMiddleware` does for each request
        lists = [*await asyncio.gather(visible(db, caller), visible(db, caller)), await visible(db, caller)]
        async with db.unit_of_work() as uow:  # a record's owner's unit, as a scoped `get` checks it
            units = [await unit_of(uow, colleague) for _ in range(2)]
        return lists, units, sum("FROM directory_users" in s for s in statements)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        assert await asyncio.create_task(request()) == ([["a-mine", "b-colleague"]] * 3, [U1, U1], 2)
        async with db.unit_of_work() as uow:  # the colleague moves to another team
            await apply_user_event(uow, user_event(colleague, U2, now + dt.timedelta(seconds=5)))
        statements.clear()
        assert await asyncio.create_task(request()) == ([["a-mine"]] * 3, [U2, U2], 2)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


async def test_a_large_teams_records_are_filtered_by_one_array_of_its_members(db):
    """A manager of 40 sees their team's records and no one else's; the members travel as one parameter, not
    one each (an IN list is expanded into the statement at every execution)."""
    async with db.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=[DirectoryUser.__table__])
        await conn.execute(text("CREATE TABLE records (name text, owner_id uuid)"))
    team, outsider = [uuid.uuid4() for _ in range(40)], uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        for user, unit in [*((member, U1) for member in team), (outsider, U2)]:
            await apply_user_event(uow, user_event(user, unit, now, "user.created"))
        for n, owner in enumerate([*team, outsider]):
            await uow.session.execute(text("INSERT INTO records VALUES (:n, :o)"), {"n": f"r{n:02}", "o": owner})
    manager = Principal(user_id=team[0], scopes={"customer:account": DataScope.UNIT}, unit_id=U1)
    bound: list[object] = []

    def note(conn, cursor, statement, parameters, *args):
        if "FROM records" in statement:
            bound.append(parameters)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        assert await visible(db, manager) == [f"r{n:02}" for n in range(40)]
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)
    assert [len(parameters) for parameters in bound] == [1]


async def test_a_standing_is_read_again_only_once_the_directory_announces_a_change(db):
    async with db.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=[DirectoryUser.__table__])
    user, now = uuid.uuid4(), dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        await apply_user_event(uow, user_event(user, U1, now, "user.created"))
    reads = []

    async def counted(session, user_id):
        reads.append(user_id)
        return await directory_standing(session, user_id)

    # no cache of its own (ttl 0): what it keeps, it keeps because it listens
    revocations = Revocations(db, counted, ttl=0.0, told_by=CHANGED, kept=60.0)
    listening = asyncio.create_task(revocations.listen())
    try:
        for _ in range(100):
            if revocations.listener.listening:
                break
            await asyncio.sleep(0.05)
        assert (await revocations.standing(user)).active
        assert (await revocations.standing(user)).active
        assert len(reads) == 1
        async with db.unit_of_work() as uow:
            await apply_user_event(uow, user_event(user, U1, now + dt.timedelta(seconds=1), active=False))
        for _ in range(100):
            if not (await revocations.standing(user)).active:
                break
            await asyncio.sleep(0.05)
        assert not (await revocations.standing(user)).active
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
    read = len(reads)
    await revocations.standing(user)
    await revocations.standing(user)
    assert len(reads) == read + 2  # no longer told of changes: each check reads (a ttl of 0)


async def test_a_service_accounts_tokens_are_refused_once_identity_says_a_key_was_revoked_or_it_was_deactivated(db):
    async with db.engine.begin() as conn:
        tables = [DirectoryUser.__table__, DirectoryServiceAccount.__table__]
        await conn.run_sync(SQLModel.metadata.create_all, tables=tables)
    account, now = uuid.uuid4(), dt.datetime.now(dt.UTC)

    async def told(type, version, active, at):
        data = {"id": str(account), "isActive": active, "authzVersion": version}
        said = CloudEvent(source="/crm/identity", type=type, subject=str(account), time=at, data=data)
        async with db.unit_of_work() as uow:
            await DIRECTORY.routes[USER_TOPIC][type](uow, said)  # as every service's consumer applies it

    revocations = Revocations(db, ttl=0.0)
    earlier = Principal(user_id=account, roles=frozenset({"service_account"}))
    later = dataclasses.replace(earlier, authz_version=1)
    await revocations.check(earlier)  # nothing said of it yet: its tokens count
    await told("service_account.key_revoked", 1, True, now)
    with pytest.raises(Unauthenticated):
        await revocations.check(earlier)
    await revocations.check(later)  # issued after the revocation
    await told("service_account.deactivated", 1, False, now + dt.timedelta(seconds=1))
    await told("service_account.key_revoked", 1, True, now)  # arriving late, it changes nothing
    with pytest.raises(Unauthenticated):
        await revocations.check(later)


def test_a_user_is_given_only_what_their_permissions_let_them_read():
    assert may_read(["customer:account:read"], "customer:account")
    assert may_read(["customer:*"], "customer:account") and may_read(["*"], "support:ticket")
    assert not may_read(["customer:account:update", "sales:lead:read"], "customer:account")
    assert not may_read([], "support:ticket")
    assert may_read(None, "support:ticket")  # projected before identity sent permissions: as before
