"""The account search vector: its own name, industry, city and tags, and its contacts' names; and the words of
a search that must match those texts as typed, since the vector leaves out what they hold (`%`, `_`, `\\`).

Keeping contact names on the account lets one GIN-indexed condition answer a keyword search,
which the planner can combine with any sort order and scope filter.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.db.repository import contains_text
from crm_shared.text import tsvector
from customer.accounts.models import Account
from customer.contacts.models import Contact

# each account's new vector bound as one array: one statement for an import's batch of accounts; an unchanged one
# is left alone, since the vector's GIN index makes every update a new row version in each index of the table
UPDATE_SEARCH = text(
    "UPDATE accounts SET search = CAST(u.search AS tsvector) "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:searches AS text[])) AS u(id, search) "
    "WHERE accounts.id = u.id AND accounts.search IS DISTINCT FROM CAST(u.search AS tsvector)"
)


async def refresh_search(session: AsyncSession, account_ids: Iterable[uuid.UUID | None]) -> None:
    ids = {i for i in account_ids if i is not None}
    if not ids:
        return
    names: dict[uuid.UUID | None, list[str]] = defaultdict(list)
    rows = await session.execute(
        select(col(Contact.account_id), col(Contact.name)).where(
            col(Contact.account_id).in_(ids), col(Contact.deleted_at).is_(None)
        )
    )
    for account_id, name in rows.all():
        names[account_id].append(name)
    accounts = await session.execute(
        select(col(Account.id), col(Account.name), col(Account.industry), col(Account.city), col(Account.tags)).where(
            col(Account.id).in_(ids)
        )
    )
    vectors = {a.id: tsvector(a.name, a.industry, a.city, *a.tags, *names[a.id]) for a in accounts.all()}
    if vectors:
        await session.execute(UPDATE_SEARCH, {"ids": list(vectors), "searches": list(vectors.values())})


WILDCARDS = ("%", "_", "\\")
TAG_SEPARATOR = "\x1f"  # a control character: no search holds one, so no word matches across two tags


def as_typed(search: str) -> ColumnElement[bool] | None:
    """Each word of a search holding `%`, `_` or `\\` appears as typed (case aside) in a text the vector is made of.

    The vector keeps letters, digits and Chinese characters only, so by its tokens alone `50%` would find 折扣500公司.
    """
    words = [w for w in search.split() if any(c in w for c in WILDCARDS)]
    return and_(*(_holds(w) for w in words)) if words else None


def _holds(word: str) -> ColumnElement[bool]:
    tags = func.array_to_string(col(Account.tags), TAG_SEPARATOR)
    contact = exists().where(
        col(Contact.account_id) == col(Account.id),
        col(Contact.deleted_at).is_(None),
        contains_text(word, col(Contact.name)),
    )
    return or_(contains_text(word, col(Account.name), col(Account.industry), col(Account.city), tags), contact)
