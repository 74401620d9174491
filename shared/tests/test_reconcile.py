"""A projection's side of a reconciliation: prune only once every snapshot of the run is applied, in any order."""

import datetime as dt
import uuid

import pytest
from sqlmodel import SQLModel, select

from crm_contracts.identity import USER_TOPIC, UserCreated, UserReconciled, UsersReconciled, UserUpdated
from crm_shared.auth.directory import DIRECTORY, DirectoryUser
from crm_shared.events.reconcile import ReconciliationRun

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
CUTOFF = T0 + dt.timedelta(hours=1)
RUN_AT = CUTOFF + dt.timedelta(seconds=1)
UNIT = uuid.uuid4()


@pytest.fixture
async def directory(db):
    async with db.engine.begin() as conn:
        tables = [DirectoryUser.__table__, ReconciliationRun.__table__]
        await conn.run_sync(SQLModel.metadata.create_all, tables=tables)
    return db


def user(kind, user_id, name, **extra):
    return kind(
        id=user_id, email=f"{name}@example.com", display_name=name, roles=[], org_unit_id=UNIT, is_active=True, **extra
    )


async def deliver(db, event, at):
    """Apply `event` as the consumer would, stamped `at` by its producer."""
    envelope = event.envelope("/crm/identity").model_copy(update={"time": at})
    async with db.unit_of_work() as uow:
        await DIRECTORY.routes[USER_TOPIC][event.type](uow, envelope)


async def rows(db):
    async with db.read() as session:
        found = (await session.scalars(select(DirectoryUser))).all()
    return {row.user_id: (row.display_name, row.unit_id, row.is_active) for row in found}


async def test_the_marker_read_first_waits_for_the_run_s_snapshots_before_pruning(directory):
    kept, renamed, gone, joined = (uuid.uuid4() for _ in range(4))
    for user_id, name in ((kept, "kept"), (renamed, "renamed-later"), (gone, "gone")):
        await deliver(directory, user(UserCreated, user_id, name), T0)
    await deliver(directory, user(UserUpdated, renamed, "renamed-later-again"), T0 + dt.timedelta(minutes=5))
    run = uuid.uuid4()

    # the marker travels on another partition than the snapshots and is read first
    await deliver(directory, UsersReconciled(run_id=run, count=2, cutoff=CUTOFF), RUN_AT)
    await deliver(directory, user(UserReconciled, kept, "kept", run_id=run), RUN_AT)
    # someone created while the run took its snapshots: not in the run, but newer than its cutoff
    await deliver(directory, user(UserCreated, joined, "joined"), CUTOFF + dt.timedelta(milliseconds=1))
    assert (await rows(directory))[gone] == ("gone", UNIT, True)  # one snapshot of the run is still on its way

    await deliver(directory, user(UserReconciled, renamed, "renamed-later", run_id=run), RUN_AT)
    assert await rows(directory) == {
        kept: ("kept", UNIT, True),
        renamed: ("renamed-later", UNIT, True),  # the restored state wins over the newer one projected
        gone: ("gone", None, False),
        joined: ("joined", UNIT, True),
    }
    async with directory.read() as session:
        progress = await session.get(ReconciliationRun, (run, "user.reconciled"))
    assert (progress.applied, progress.expected, progress.pruned) == (2, 2, 1)

    # an event of the gone user from before the restore, arriving late, does not bring them back
    await deliver(directory, user(UserUpdated, gone, "gone"), CUTOFF - dt.timedelta(minutes=1))
    assert (await rows(directory))[gone] == ("gone", None, False)


async def test_a_run_of_nothing_prunes_everything_older_than_its_cutoff(directory):
    before, after = uuid.uuid4(), uuid.uuid4()
    await deliver(directory, user(UserCreated, before, "before"), T0)
    await deliver(directory, user(UserCreated, after, "after"), CUTOFF + dt.timedelta(seconds=1))
    await deliver(directory, UsersReconciled(run_id=uuid.uuid4(), count=0, cutoff=CUTOFF), RUN_AT)
    assert await rows(directory) == {before: ("before", None, False), after: ("after", UNIT, True)}
