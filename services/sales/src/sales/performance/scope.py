"""Which owners an analytics question covers: the caller's data scope, narrowed to a rep or a unit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser, among, scope_filter


async def owners_filter(
    session: AsyncSession,
    principal: Principal,
    resource: str,
    owner_col: Any,
    owner_id: uuid.UUID | None,
    unit_id: uuid.UUID | None,
) -> ColumnElement[bool]:
    clauses = [await scope_filter(session, principal, resource, owner_col)]
    if owner_id is not None:
        clauses.append(owner_col == owner_id)
    if unit_id is not None:
        members = (
            await session.scalars(select(col(DirectoryUser.user_id)).where(col(DirectoryUser.unit_id) == unit_id))
        ).all()
        clauses.append(among(owner_col, members))
    return and_(*clauses)
