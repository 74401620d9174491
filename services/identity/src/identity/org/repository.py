"""Organisation units: every holder of `identity:org_unit:read` sees the whole tree."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlmodel import col

from identity.org.models import OrgUnit
from identity.repository import Unscoped


class OrgUnits(Unscoped[OrgUnit]):
    model = OrgUnit
    resource = "identity:org_unit"

    async def tree(self) -> list[OrgUnit]:
        """Parents before children, siblings by name."""
        query = select(OrgUnit).order_by(func.cardinality(OrgUnit.path), col(OrgUnit.name))
        return list((await self.session.scalars(query)).all())

    async def subtree(self, unit_id: uuid.UUID) -> list[OrgUnit]:
        """The unit and every unit below it."""
        return list((await self.session.scalars(select(OrgUnit).where(col(OrgUnit.path).contains([unit_id])))).all())

    async def subtree_ids(self, unit_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(select(col(OrgUnit.id)).where(col(OrgUnit.path).contains([unit_id])))
        return list(rows.all())

    async def children(self, unit_id: uuid.UUID) -> int:
        return int(await self.session.scalar(select(func.count()).where(col(OrgUnit.parent_id) == unit_id)) or 0)

    async def has_root(self) -> bool:
        return bool(await self.session.scalar(select(select(OrgUnit).where(col(OrgUnit.parent_id).is_(None)).exists())))
