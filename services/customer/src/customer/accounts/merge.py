"""Merging duplicate accounts: everything of the source moves to the target, the source is retired."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, update

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, utcnow
from crm_shared.errors import BadInput
from customer.access import RESOURCE, load_account
from customer.accounts.models import Account, AccountLink, OwnershipChange
from customer.accounts.search import refresh_search
from customer.accounts.service import AccountInput, apply_input
from customer.accounts.snapshot import account_snapshot
from customer.activities.models import Activity
from customer.contacts.models import Contact
from customer.events import ACCOUNT_TOPIC, event
from customer.tasks.models import Task


class MergeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def merge(self, principal: Principal, target_id: uuid.UUID, source_id: uuid.UUID) -> Account:
        """Contacts, activities, tasks and links move to the target; gaps in its fields are filled from the source.

        `account.merged` tells other services to re-point what referenced the source.
        """
        if target_id == source_id:
            raise BadInput("merge_same", field="sourceId")
        async with self.db.unit_of_work() as uow:
            target = await load_account(uow, principal, target_id, f"{RESOURCE}:merge", lock=True)
            source = await load_account(uow, principal, source_id, f"{RESOURCE}:merge", lock=True)
            before = account_snapshot(target)
            moved = {}
            for model, column in (
                (Contact, Contact.account_id),
                (Activity, Activity.account_id),
                (Task, Task.account_id),
                (OwnershipChange, OwnershipChange.account_id),
            ):
                result = await uow.session.execute(
                    update(model).where(column == source.id).values({column.key: target.id})  # type: ignore[attr-defined]
                )
                moved[model.__tablename__] = result.rowcount  # type: ignore[attr-defined]
            await self._move_links(uow.session, source.id, target.id)
            apply_input(target, _gaps(target, source))
            target.tags = sorted({*target.tags, *source.tags})
            target.custom = {**source.custom, **target.custom}
            target.last_followup_at = max(
                filter(None, (target.last_followup_at, source.last_followup_at)), default=None
            )
            target.updated_at = source.updated_at = source.deleted_at = utcnow()
            source.merged_into_id = target.id
            await uow.flush()
            await refresh_search(uow.session, [target.id])
            await uow.session.refresh(target)
            data = {"targetId": str(target.id), "sourceId": str(source.id), "moved": moved}
            await uow.emit(ACCOUNT_TOPIC, event("account.merged", target.id, data))
            await audit.record(
                uow, "account.merged", "Account", target.id, before, account_snapshot(target), detail=data
            )
        return target

    async def _move_links(self, session: object, source: uuid.UUID, target: uuid.UUID) -> None:
        links = (
            await session.scalars(  # type: ignore[attr-defined]
                select(AccountLink).where((AccountLink.from_id == source) | (AccountLink.to_id == source))
            )
        ).all()
        existing = {
            (link.from_id, link.to_id, link.kind)
            for link in (
                await session.scalars(  # type: ignore[attr-defined]
                    select(AccountLink).where((AccountLink.from_id == target) | (AccountLink.to_id == target))
                )
            ).all()
        }
        for link in links:
            new = (
                target if link.from_id == source else link.from_id,
                target if link.to_id == source else link.to_id,
            )
            if new[0] == new[1] or (*new, link.kind) in existing:
                await session.execute(delete(AccountLink).where(AccountLink.id == link.id))  # type: ignore[attr-defined]
                continue
            link.from_id, link.to_id = new
            existing.add((*new, link.kind))


def _gaps(target: Account, source: Account) -> AccountInput:
    """The source's values for the fields the target lacks."""
    fill = AccountInput()
    for name in ("industry", "size", "province", "city", "address", "website", "level", "source"):
        if getattr(target, name) is None and getattr(source, name) is not None:
            setattr(fill, name, getattr(source, name))
    if target.phone_enc is None and source.phone_enc is not None:
        target.phone_enc, target.phone_hash = source.phone_enc, source.phone_hash
    if target.email_enc is None and source.email_enc is not None:
        target.email_enc, target.email_hash = source.email_enc, source.email_hash
    return fill
