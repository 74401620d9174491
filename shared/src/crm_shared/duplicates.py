"""The one answer a likely duplicate gets: customer's accounts and contacts, sales' leads.

It names the field that matched and, when the caller may see it, the record. A match on a field masked to the
caller (`customer:contact.phone`) is told as neither: `existingId` and `field` would confirm the digits the mask
hides (try `13800000000` ... `13899990000` until one answers), so such a conflict names no field and no record.
It still refuses, or duplicates would go in unseen; all it tells is that some record, anyone's, holds the value,
and each wrong guess leaves a record in the guesser's name and the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from crm_shared.auth import Principal
from crm_shared.errors import Conflict


class Record(Protocol):
    id: uuid.UUID


R = TypeVar("R", bound=Record)


async def conflict(
    principal: Principal,
    key: str,
    resource: str,
    matches: Sequence[tuple[R, str]],
    reaches: Callable[[R], Awaitable[bool]],
) -> Conflict:
    """CONFLICT `key` for `matches`, (record, field) pairs in the order they are told: the first record the caller
    reaches among those matched on a field they see, named with that field; else that field alone; else nothing."""
    told = [(row, field) for row, field in matches if not principal.masks(f"{resource}.{field}")]
    for row, field in told:
        if await reaches(row):
            return Conflict(key, field=field, existingId=str(row.id))
    return Conflict(key, field=told[0][1]) if told else Conflict(key)
