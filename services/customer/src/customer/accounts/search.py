"""The account search vector: its own name, industry, city and tags, and its contacts' names.

Keeping contact names on the account lets one GIN-indexed condition answer a keyword search,
which the planner can combine with any sort order and scope filter.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.text import tsvector
from customer.accounts.models import Account
from customer.contacts.models import Contact


async def refresh_search(session: AsyncSession, account_ids: Iterable[uuid.UUID | None]) -> None:
    ids = {i for i in account_ids if i is not None}
    if not ids:
        return
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = await session.execute(
        select(col(Contact.account_id), col(Contact.name)).where(
            col(Contact.account_id).in_(ids), col(Contact.deleted_at).is_(None)
        )
    )
    for account_id, name in rows.all():
        names[account_id].append(name)
    for account in (await session.scalars(select(Account).where(col(Account.id).in_(ids)))).all():
        account.search = tsvector(account.name, account.industry, account.city, *account.tags, *names[account.id])
