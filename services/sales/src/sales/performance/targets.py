"""Targets per rep and per unit, month or quarter, on amount won or collected; attainment and team ranking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser, assignable, scope_filter
from crm_shared.auth.principal import DataScope
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from sales.money import cents, parse
from sales.opportunities.models import Opportunity
from sales.orders.models import Payment
from sales.performance.models import METRICS, Target
from sales.periods import Period, period

RESOURCE = "sales:target"


@dataclass
class Attainment:
    target: Target
    actual: Decimal
    attainment: float | None
    rank: int | None  # among the unit's reps with a target of the same period and metric


async def members_of(uow: UnitOfWork, unit_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        (
            await uow.session.scalars(select(col(DirectoryUser.user_id)).where(col(DirectoryUser.unit_id) == unit_id))
        ).all()
    )


async def actual(uow: UnitOfWork, metric: str, p: Period, owners: list[uuid.UUID]) -> Decimal:
    if not owners:
        return Decimal("0.00")
    if metric == "won_amount":
        query = select(func.sum(Opportunity.amount_base)).where(
            col(Opportunity.status) == "won",
            col(Opportunity.owner_id).in_(owners),
            col(Opportunity.closed_at) >= p.start_time(),
            col(Opportunity.closed_at) < p.end_time(),
        )
    else:
        query = select(func.sum(Payment.amount_base)).where(
            col(Payment.owner_id).in_(owners), col(Payment.received_on) >= p.start, col(Payment.received_on) < p.end
        )
    return cents(Decimal(await uow.session.scalar(query) or 0))


async def _settable_unit(uow: UnitOfWork, principal: Principal, unit_id: uuid.UUID) -> None:
    """The caller's unit or one below it, or for a company-wide caller any unit people belong to (whose results a
    target counts); an unknown or unreachable unit is bad input at `unitId`, as an unknown user is at `userId`."""
    if unit_id in {principal.unit_id, *principal.subtree_unit_ids}:
        return
    if principal.scope(RESOURCE) is DataScope.ALL and await uow.session.scalar(
        select(col(DirectoryUser.user_id)).where(col(DirectoryUser.unit_id) == unit_id).limit(1)
    ):
        return
    raise BadInput("unknown_target_unit", field="unitId")


async def set_target(
    uow: UnitOfWork,
    principal: Principal,
    key: str,
    metric: str,
    amount: str,
    user_id: uuid.UUID | None,
    unit_id: uuid.UUID | None,
) -> Target:
    principal.require(f"{RESOURCE}:create")
    p = period(key)
    if p.kind == "year":
        raise BadInput("target_period", field="period")
    if metric not in METRICS:
        raise BadInput("one_of", field="metric", choices=", ".join(METRICS))
    if (user_id is None) == (unit_id is None):
        raise BadInput("target_for_one", field="userId")
    value = cents(parse(amount, "amount", Decimal("0.01")))
    if user_id is not None:
        await assignable(uow, principal, RESOURCE, user_id, "userId")
    elif unit_id is not None:
        await _settable_unit(uow, principal, unit_id)
    stmt = insert(Target).values(
        id=uuid.uuid4(),
        period=p.key,
        metric=metric,
        user_id=user_id,
        unit_id=unit_id,
        amount=value,
        owner_id=user_id,
        set_by=principal.user_id,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["period", "metric", "user_id", "unit_id"],
        set_={"amount": value, "set_by": principal.user_id, "updated_at": utcnow()},
    )
    target_id = (await uow.session.execute(stmt.returning(col(Target.id)))).scalar_one()
    target = await uow.session.get(Target, target_id, populate_existing=True)
    assert target is not None
    await audit.record(
        uow,
        "target.set",
        "Target",
        target.id,
        None,
        {
            "period": p.key,
            "metric": metric,
            "amount": str(value),
            "userId": str(user_id) if user_id else None,
            "unitId": str(unit_id) if unit_id else None,
        },
    )
    return target


async def overview(
    uow: UnitOfWork,
    principal: Principal,
    key: str,
    user_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
) -> list[Attainment]:
    """Targets the caller may see (their scope's reps, their own units) with actuals and team ranks."""
    principal.require(f"{RESOURCE}:read")
    p = period(key)
    units = {principal.unit_id, *principal.subtree_unit_ids} - {None}
    visible_units = (
        col(Target.unit_id).in_(units)
        if principal.scope(RESOURCE) is not DataScope.ALL
        else col(Target.unit_id).is_not(None)
    )
    query = select(Target).where(
        col(Target.period) == p.key,
        or_(await scope_filter(uow.session, principal, RESOURCE, Target.owner_id), visible_units),
    )
    if user_id is not None:
        query = query.where(col(Target.user_id) == user_id)
    if unit_id is not None:
        query = query.where(col(Target.unit_id) == unit_id)
    targets = list((await uow.session.scalars(query.order_by(col(Target.metric), col(Target.created_at)))).all())
    units_of = dict(
        (
            await uow.session.execute(
                select(col(DirectoryUser.user_id), col(DirectoryUser.unit_id)).where(
                    col(DirectoryUser.user_id).in_([t.user_id for t in targets if t.user_id])
                )
            )
        ).all()
    )
    results = []
    for t in targets:
        owners = [t.user_id] if t.user_id else await members_of(uow, t.unit_id) if t.unit_id else []
        done = await actual(uow, t.metric, p, owners)
        results.append(Attainment(t, done, round(float(done / t.amount), 4) if t.amount else None, None))
    for result in results:
        if result.target.user_id is None:
            continue
        team = [
            r
            for r in results
            if r.target.user_id
            and r.target.metric == result.target.metric
            and units_of.get(r.target.user_id) == units_of.get(result.target.user_id)
        ]
        result.rank = 1 + sum((r.attainment or 0) > (result.attainment or 0) for r in team)  # ties share a place
    return results
