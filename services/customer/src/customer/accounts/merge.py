"""Merging duplicate accounts: everything of the source moves to the target, the source is retired."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from customer.accounts.models import DETAILS, Account, AccountLink, OwnershipChange
from customer.accounts.repository import Accounts
from customer.accounts.search import refresh_search
from customer.accounts.service import AccountInput, apply_input
from customer.accounts.snapshot import account_snapshot
from customer.activities.models import Activity
from customer.contacts.models import Contact
from customer.events import AccountMerged
from customer.tasks.models import Task

KEEPABLE = ("name", *DETAILS, "phone", "email")


async def merge(
    uow: UnitOfWork,
    principal: Principal,
    target_id: uuid.UUID,
    source_id: uuid.UUID,
    keep_from_source: tuple[str, ...] = (),
) -> Account:
    """Contacts, activities, tasks and links move to the target; gaps in its fields are filled from the source,
    and the fields named in `keep_from_source` take the source's value (the values chosen to survive).

    `account.merged` tells other services to re-point what referenced the source.
    """
    if target_id == source_id:
        raise BadInput("merge_same", field="sourceId")
    if not set(keep_from_source) <= set(KEEPABLE):
        raise BadInput("only_from", field="keepFromSource", choices=", ".join(KEEPABLE))
    accounts = Accounts(uow, principal)
    # locked in one order by every merge: A into B beside B into A waits, never deadlocks
    locked = {i: await accounts.get(i, "merge", lock=True) for i in sorted((target_id, source_id))}
    target, source = locked[target_id], locked[source_id]
    before = account_snapshot(target)
    moved = {}
    for model in (Contact, Activity, Task, OwnershipChange):
        moving = update(model).where(col(model.account_id) == source.id).values(account_id=target.id)
        result = await uow.session.execute(moving)
        if not isinstance(result, CursorResult):  # an UPDATE always answers with a cursor result
            raise TypeError(f"UPDATE returned {type(result).__name__}, not a row count")
        moved[model.__tablename__] = result.rowcount
    await _move_links(uow, source.id, target.id)
    apply_input(target, _surviving(target, source, set(keep_from_source)))
    target.tags = sorted({*target.tags, *source.tags})
    target.custom = {**source.custom, **target.custom}
    target.last_followup_at = max(filter(None, (target.last_followup_at, source.last_followup_at)), default=None)
    target.updated_at = source.updated_at = source.deleted_at = utcnow()
    source.merged_into_id = target.id
    await uow.flush()
    await refresh_search(uow.session, [target.id])
    await uow.session.refresh(target)
    event = AccountMerged(target_id=target.id, source_id=source.id, moved=moved)
    await uow.publish(event)
    await audit.record(
        uow, "account.merged", "Account", target.id, before, account_snapshot(target), detail=event.data()
    )
    return target


async def _move_links(uow: UnitOfWork, source: uuid.UUID, target: uuid.UUID) -> None:
    def touching(account_id: uuid.UUID) -> Any:
        return select(AccountLink).where(
            or_(col(AccountLink.from_id) == account_id, col(AccountLink.to_id) == account_id)
        )

    links = (await uow.session.scalars(touching(source))).all()
    existing = {(link.from_id, link.to_id, link.kind) for link in (await uow.session.scalars(touching(target))).all()}
    for link in links:
        new = (
            target if link.from_id == source else link.from_id,
            target if link.to_id == source else link.to_id,
        )
        if new[0] == new[1] or (*new, link.kind) in existing:
            await uow.session.execute(delete(AccountLink).where(col(AccountLink.id) == link.id))
            continue
        link.from_id, link.to_id = new
        existing.add((*new, link.kind))


def _surviving(target: Account, source: Account, keep: set[str]) -> AccountInput:
    """The source's values for the fields the target lacks or the caller chose to keep from the source."""
    fill = AccountInput()
    for name in ("name", *DETAILS):
        value = getattr(source, name)
        if value is not None and (name in keep or getattr(target, name) is None):
            setattr(fill, name, value)
    for channel in ("phone", "email"):
        stored = getattr(source, f"{channel}_enc")
        if stored is not None and (channel in keep or getattr(target, f"{channel}_enc") is None):
            setattr(target, f"{channel}_enc", stored)
            setattr(target, f"{channel}_hash", getattr(source, f"{channel}_hash"))
    return fill
