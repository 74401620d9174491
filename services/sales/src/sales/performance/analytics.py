"""Forecast (weighted pipeline, categories, trend, accuracy) and funnel analytics, in the base currency."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from sales.money import cents
from sales.opportunities.models import Opportunity
from sales.performance.models import ForecastSnapshot
from sales.performance.rollup import FunnelTotal, StageTimeTotal
from sales.performance.scope import owners_filter
from sales.periods import Period, current, period
from sales.pipeline.models import Pipeline, Stage

RESOURCE = "sales:opportunity"
ZERO = Decimal("0.00")
MONTH = func.date_trunc(literal_column("'month'"), func.timezone("UTC", Opportunity.closed_at))


@dataclass
class PastForecast:
    period: str
    forecast: Decimal
    actual: Decimal
    accuracy: float | None


@dataclass
class Forecast:
    period: str
    currency: str
    pipeline: Decimal
    weighted: Decimal
    commit: Decimal
    best_case: Decimal
    closed_won: Decimal
    open_count: int
    trend: Decimal
    history: list[tuple[str, Decimal]]
    accuracy: list[PastForecast]


@dataclass(frozen=True)
class FunnelFilter:
    pipeline_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    period: str | None = None
    source: str | None = None
    campaign_id: uuid.UUID | None = None


@dataclass
class FunnelStage:
    id: uuid.UUID | None
    name: str
    count: int
    conversion_rate: float | None
    average_days_in_stage: float | None


@dataclass
class Funnel:
    stages: list[FunnelStage] = field(default_factory=list)
    total: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    win_rate: float | None = None
    average_deal_size: Decimal = ZERO
    average_cycle_days: float | None = None
    sales_velocity: Decimal = ZERO  # expected won amount per day from the open pipeline
    currency: str = "CNY"


def trend_line(values: list[Decimal]) -> Decimal:
    """Least-squares line through past periods, read one period ahead; never negative."""
    n = len(values)
    if n == 0:
        return ZERO
    if n == 1:
        return cents(values[0])
    xs = range(n)
    mean_x, mean_y = Decimal(n - 1) / 2, sum(values, Decimal(0)) / n
    spread = sum(((Decimal(x) - mean_x) ** 2 for x in xs), Decimal(0))
    slope = sum(((Decimal(x) - mean_x) * (y - mean_y) for x, y in zip(xs, values, strict=True)), Decimal(0)) / spread
    return max(ZERO, cents(mean_y + slope * (Decimal(n) - mean_x)))


def accuracy(forecast: Decimal, actual: Decimal) -> float | None:
    """1 when the forecast hit the actual, falling to 0 as the miss reaches the larger of the two."""
    larger = max(forecast, actual)
    return None if larger == 0 else round(float(1 - abs(forecast - actual) / larger), 4)


def weighted_sums(owner_col: Any = None) -> list[Any]:
    weighted = func.coalesce(func.sum(Opportunity.amount_base * Opportunity.probability / 100), 0)
    commit = func.coalesce(
        func.sum(case((col(Opportunity.forecast_category) == "commit", col(Opportunity.amount_base)), else_=0)), 0
    )
    best = func.coalesce(
        func.sum(
            case(
                (col(Opportunity.forecast_category).in_(("commit", "best_case")), col(Opportunity.amount_base)),
                else_=0,
            )
        ),
        0,
    )
    return [weighted, commit, best]


async def _narrowed(
    session: AsyncSession, principal: Principal, totals: Any, pipeline_id: uuid.UUID, f: FunnelFilter
) -> list[Any]:
    """The funnel filter, and the caller's data scope, over a table of running totals."""
    where = [
        totals.pipeline_id == pipeline_id,
        await owners_filter(session, principal, RESOURCE, totals.owner_id, f.owner_id, f.unit_id),
    ]
    if f.period:
        p = period(f.period)
        where += [totals.month >= p.start, totals.month < p.end]
    if f.source:
        where.append(totals.source == f.source)
    if f.campaign_id:
        where.append(totals.campaign_id == f.campaign_id)
    return where


class AnalyticsService:
    def __init__(self, base_currency: str) -> None:
        self.currency = base_currency

    async def forecast(
        self,
        uow: UnitOfWork,
        principal: Principal,
        key: str,
        owner_id: uuid.UUID | None = None,
        unit_id: uuid.UUID | None = None,
        history: int = 6,
    ) -> Forecast:
        principal.require("sales:forecast:read")
        p = period(key)
        scope = await owners_filter(uow.session, principal, RESOURCE, Opportunity.owner_id, owner_id, unit_id)
        open_row = (
            await uow.session.execute(
                select(func.coalesce(func.sum(Opportunity.amount_base), 0), *weighted_sums(), func.count()).where(
                    scope,
                    col(Opportunity.status) == "open",
                    col(Opportunity.expected_close_date) >= p.start,
                    col(Opportunity.expected_close_date) < p.end,
                )
            )
        ).one()
        past = [p.shift(-i) for i in range(history, -1, -1)]
        won_rows: dict[dt.datetime, Any] = dict(
            (
                await uow.session.execute(
                    select(MONTH, func.sum(col(Opportunity.amount_base)))
                    .where(
                        scope,
                        col(Opportunity.status) == "won",
                        col(Opportunity.closed_at) >= past[0].start_time(),
                        col(Opportunity.closed_at) < p.end_time(),
                    )
                    .group_by(MONTH)
                )
            ).all()
        )
        snap_scope = await owners_filter(uow.session, principal, RESOURCE, ForecastSnapshot.owner_id, owner_id, unit_id)
        earliest = (
            select(
                col(ForecastSnapshot.period),
                col(ForecastSnapshot.owner_id),
                func.min(col(ForecastSnapshot.taken_on)).label("taken_on"),
            )
            .where(snap_scope, col(ForecastSnapshot.period).in_([q.key for q in past[:-1]]))
            .group_by(col(ForecastSnapshot.period), col(ForecastSnapshot.owner_id))
            .subquery()
        )
        snapshots = dict(
            (
                await uow.session.execute(
                    select(col(ForecastSnapshot.period), func.sum(col(ForecastSnapshot.weighted)))
                    .join(
                        earliest,
                        and_(
                            col(ForecastSnapshot.period) == earliest.c.period,
                            col(ForecastSnapshot.owner_id) == earliest.c.owner_id,
                            col(ForecastSnapshot.taken_on) == earliest.c.taken_on,
                        ),
                    )
                    .group_by(ForecastSnapshot.period)
                )
            ).all()
        )

        def won_in(q: Period) -> Decimal:
            return cents(sum((Decimal(v) for month, v in won_rows.items() if q.contains(month.date())), Decimal(0)))

        actuals = [(q.key, won_in(q)) for q in past[:-1]]
        pipeline, weighted, commit, best, count = open_row
        closed = won_in(p)
        return Forecast(
            period=p.key,
            currency=self.currency,
            pipeline=cents(Decimal(pipeline)),
            weighted=cents(Decimal(weighted) + closed),
            commit=cents(Decimal(commit) + closed),
            best_case=cents(Decimal(best) + closed),
            closed_won=closed,
            open_count=int(count),
            trend=trend_line([v for _, v in actuals]),
            history=actuals,
            accuracy=[
                PastForecast(k, cents(Decimal(snapshots[k])), v, accuracy(Decimal(snapshots[k]), v))
                for k, v in actuals
                if k in snapshots
            ],
        )

    async def take_snapshots(self, uow: UnitOfWork, today: dt.date | None = None) -> int:
        """Each owner's open forecast for this and next month and quarter, once a day (scheduler)."""
        day = today or utcnow().date()
        periods = [current(kind, day).shift(step) for kind in ("month", "quarter") for step in (0, 1)]
        taken = 0
        for p in periods:
            rows = (
                await uow.session.execute(
                    select(col(Opportunity.owner_id), *weighted_sums())
                    .where(
                        col(Opportunity.status) == "open",
                        col(Opportunity.expected_close_date) >= p.start,
                        col(Opportunity.expected_close_date) < p.end,
                    )
                    .group_by(col(Opportunity.owner_id))
                )
            ).all()
            if not rows:
                continue
            stmt = insert(ForecastSnapshot).values(
                [
                    {
                        "id": uuid.uuid4(),
                        "period": p.key,
                        "owner_id": owner,
                        "taken_on": day,
                        "weighted": cents(Decimal(w)),
                        "commit": cents(Decimal(c)),
                        "best_case": cents(Decimal(b)),
                    }
                    for owner, w, c, b in rows
                ]
            )
            inserted = await uow.session.scalars(
                stmt.on_conflict_do_nothing(index_elements=["period", "owner_id", "taken_on"]).returning(
                    col(ForecastSnapshot.id)
                )
            )
            taken += len(inserted.all())
        return taken

    async def funnel(self, uow: UnitOfWork, principal: Principal, f: FunnelFilter) -> Funnel:
        """Stage counts are opportunities that reached the stage or went past it; rates are stage to stage."""
        principal.require(f"{RESOURCE}:read")
        pipeline_id = f.pipeline_id or await uow.session.scalar(
            select(col(Pipeline.id)).where(col(Pipeline.is_default).is_(True))
        )
        if pipeline_id is None:
            raise BadInput("unknown_pipeline", field="pipelineId")
        stages = list(
            (
                await uow.session.scalars(
                    select(Stage).where(col(Stage.pipeline_id) == pipeline_id).order_by(col(Stage.position))
                )
            ).all()
        )
        if not stages:
            raise BadInput("unknown_pipeline", field="pipelineId")
        grouped = (
            await uow.session.execute(
                select(
                    col(FunnelTotal.max_position),
                    col(FunnelTotal.status),
                    func.sum(col(FunnelTotal.opportunities)),
                    func.sum(col(FunnelTotal.amount)),
                    func.sum(col(FunnelTotal.cycle_seconds)),
                )
                .where(*await _narrowed(uow.session, principal, FunnelTotal, pipeline_id, f))
                .group_by(col(FunnelTotal.max_position), col(FunnelTotal.status))
            )
        ).all()
        now = func.extract("epoch", func.now())
        spent = (
            func.sum(StageTimeTotal.closed_seconds)
            + func.sum(StageTimeTotal.open_visits) * now
            - func.sum(StageTimeTotal.open_entered_sum)
        )
        visits = func.sum(StageTimeTotal.closed_visits) + func.sum(StageTimeTotal.open_visits)
        durations = {
            stage: seconds / count
            for stage, seconds, count in (
                await uow.session.execute(
                    select(col(StageTimeTotal.stage_id), spent, visits)
                    .where(*await _narrowed(uow.session, principal, StageTimeTotal, pipeline_id, f))
                    .group_by(col(StageTimeTotal.stage_id))
                )
            ).all()
            if count
        }
        result = Funnel(currency=self.currency)
        won_amount, won_seconds = Decimal(0), 0.0
        reached = [0] * (len(stages) + 2)
        for position, status, count, amount, seconds in grouped:
            result.total += count
            reached[min(position, len(stages) + 1)] += count
            if status == "won":
                result.won, won_amount, won_seconds = (
                    result.won + count,
                    won_amount + (amount or 0),
                    won_seconds + float(seconds or 0),
                )
            elif status == "lost":
                result.lost += count
            else:
                result.open += count
        at_least = [sum(reached[k:]) for k in range(len(reached))]
        names = [(s.id, s.name) for s in stages] + [(None, "赢单 Won")]
        for index, (stage_id, name) in enumerate(names, start=1):
            following = at_least[index + 1] if index < len(names) else None
            rate = None if following is None or not at_least[index] else round(following / at_least[index], 4)
            days = durations.get(stage_id) if stage_id else None
            result.stages.append(
                FunnelStage(
                    stage_id, name, at_least[index], rate, round(float(days) / 86400, 2) if days is not None else None
                )
            )
        decided = result.won + result.lost
        result.win_rate = round(result.won / decided, 4) if decided else None
        if result.won:
            result.average_deal_size = cents(won_amount / result.won)
            result.average_cycle_days = round(won_seconds / result.won / 86400, 2)
        if result.win_rate and result.average_cycle_days:
            velocity = Decimal(result.open) * Decimal(str(result.win_rate)) * result.average_deal_size
            result.sales_velocity = cents(velocity / Decimal(str(max(result.average_cycle_days, 1 / 24))))
        return result
