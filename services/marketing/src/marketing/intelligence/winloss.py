"""Win/loss against each competitor, from sales' closed opportunities: a deal lost naming the competitor was
lost to them, a deal won naming them was won against them. The names sales writes are matched, normalised,
against the competitor's name and aliases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from marketing.intelligence.models import Competitor
from marketing.performance.models import OpportunityRef
from marketing.sales_events import OpportunityStatus


@dataclass(frozen=True)
class WinLoss:
    won: int = 0
    lost: int = 0
    won_revenue: Decimal = Decimal(0)
    lost_revenue: Decimal = Decimal(0)

    @property
    def win_rate(self) -> Decimal | None:
        """Won of the closed deals, to four places; none before any closed."""
        closed = self.won + self.lost
        return (Decimal(self.won) / closed).quantize(Decimal("0.0001")) if closed else None


async def win_loss(uow: UnitOfWork, competitors: list[Competitor]) -> dict[uuid.UUID, WinLoss]:
    """Each competitor's record, in one query over the opportunities naming any of them."""
    owner = {key: c.id for c in competitors for key in c.keys}
    if not owner:
        return {}
    rows = await uow.session.execute(
        select(
            col(OpportunityRef.competitor_key),
            col(OpportunityRef.status),
            func.count(),
            func.coalesce(func.sum(col(OpportunityRef.revenue)), 0),
        )
        .where(
            col(OpportunityRef.competitor_key).in_(list(owner)),
            col(OpportunityRef.status).in_([OpportunityStatus.WON, OpportunityStatus.LOST]),
        )
        .group_by(col(OpportunityRef.competitor_key), col(OpportunityRef.status))
    )
    counts: dict[uuid.UUID, dict[str, tuple[int, Decimal]]] = {}
    for key, status, count, revenue in rows.all():
        mine = counts.setdefault(owner[str(key)], {})
        n, amount = mine.get(str(status), (0, Decimal(0)))
        mine[str(status)] = (n + int(count), amount + Decimal(revenue))
    result = {}
    for competitor_id, found in counts.items():
        won, won_revenue = found.get("won", (0, Decimal(0)))
        lost, lost_revenue = found.get("lost", (0, Decimal(0)))
        result[competitor_id] = WinLoss(won, lost, won_revenue, lost_revenue)
    return result
