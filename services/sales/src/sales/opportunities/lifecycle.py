"""An opportunity's transitions: opened, edited, moved, won or lost, reopened.

Every change that can move an opportunity in the funnel goes through here, so the running totals
(`performance/rollup.py`) follow each one in the same transaction, in the lock order documented
there: stage time first, then the funnel.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import note, optional_text
from sales.events import (
    OpportunityCreated,
    OpportunityLost,
    OpportunityReopened,
    OpportunitySnapshot,
    OpportunityStageChanged,
    OpportunityWon,
    fields_of,
)
from sales.opportunities.models import Opportunity, OpportunityStatus, StageVisit
from sales.performance.rollup import StageChange, entry, exit_, funnel_state, record_stays, shift_funnel
from sales.pipeline.models import Stage
from sales.pipeline.service import stages_of


def snapshot(o: Opportunity) -> dict[str, Any]:
    """The opportunity as its events and audit records show it."""
    return OpportunitySnapshot(**fields_of(o, OpportunitySnapshot)).data()


def require_open(o: Opportunity) -> None:
    if o.status != OpportunityStatus.OPEN:
        raise Conflict("opportunity_closed")


def _visit(uow: UnitOfWork, o: Opportunity, stage_id: uuid.UUID, at: dt.datetime, actor: uuid.UUID | None) -> None:
    """The history row of a stay in a stage, which time in stage is measured from."""
    fields: dict[str, Any] = {"opportunity_id": o.id, "pipeline_id": o.pipeline_id, "owner_id": o.owner_id}
    uow.session.add(StageVisit(**fields, stage_id=stage_id, entered_at=at, actor_id=actor))


async def opened(uow: UnitOfWork, o: Opportunity, first: Stage) -> None:
    """A new opportunity enters the funnel at the pipeline's first stage."""
    o.stage_id, o.stage_position, o.max_position, o.probability = first.id, 1, 1, first.probability
    o.status = OpportunityStatus.OPEN
    uow.session.add(o)
    await uow.flush()
    _visit(uow, o, first.id, o.created_at, o.owner_id)
    await record_stays(uow, o, [entry(first.id, o.created_at)])
    await shift_funnel(uow, None, o)
    created = OpportunityCreated(**fields_of(o, OpportunityCreated))
    await uow.publish(created)
    await audit.record(uow, created.type, "Opportunity", o.id, None, created.data())


@asynccontextmanager
async def revising(uow: UnitOfWork, o: Opportunity) -> AsyncIterator[None]:
    """Edits to an open opportunity (amount, dates, lines); the funnel follows whatever they change."""
    require_open(o)
    counted = funnel_state(o)
    yield
    o.updated_at = utcnow()
    await shift_funnel(uow, counted, o)


async def move(uow: UnitOfWork, o: Opportunity, stage: Stage, actor: uuid.UUID | None) -> None:
    require_open(o)
    counted = funnel_state(o)
    await _enter(uow, o, stage, actor)
    await shift_funnel(uow, counted, o)


async def close(
    uow: UnitOfWork,
    o: Opportunity,
    won: bool,
    reason: str,
    competitor: str | None = None,
    priced: tuple[Decimal, str, Decimal] | None = None,
) -> None:
    """Won or lost; `priced` (amount, currency, amount in base) is the final price when a quote wins the deal."""
    require_open(o)
    if not reason.strip():
        raise BadInput("required_field", field="reason")
    counted = funnel_state(o)
    if priced is not None:
        o.amount, o.currency, o.amount_base = priced
    if won and not o.amount:
        raise BadInput("required_field", field="amount")
    now = utcnow()
    await record_stays(uow, o, await _leave(uow, o, now))
    stages = await stages_of(uow, o.pipeline_id)
    o.status = OpportunityStatus.WON if won else OpportunityStatus.LOST
    o.close_reason, o.closed_at, o.updated_at = note(reason, "reason", 500), now, now
    o.competitor = optional_text(competitor, "competitor", 200) if competitor is not None else o.competitor
    o.probability = Decimal(100 if won else 0)
    if won:
        o.max_position = len(stages) + 1
    await shift_funnel(uow, counted, o)
    closed = (OpportunityWon if won else OpportunityLost)(
        **fields_of(o, OpportunitySnapshot), reason=o.close_reason, competitor=o.competitor, closed_at=now
    )
    await uow.publish(closed)
    await audit.record(
        uow,
        closed.type,
        "Opportunity",
        o.id,
        {"status": "open"},
        {"status": o.status},
        detail={"reason": o.close_reason, "competitor": o.competitor},
    )


async def reopen(uow: UnitOfWork, o: Opportunity, stage: Stage, stage_count: int, actor: uuid.UUID | None) -> None:
    if o.status == OpportunityStatus.OPEN:
        raise Conflict("opportunity_open")
    before, counted = o.status, funnel_state(o)
    o.status, o.closed_at, o.close_reason = OpportunityStatus.OPEN, None, None
    o.max_position = min(o.max_position, stage_count)
    await _enter(uow, o, stage, actor)
    await shift_funnel(uow, counted, o)
    await uow.publish(OpportunityReopened(**fields_of(o, OpportunitySnapshot), from_status=before))
    await audit.record(uow, "opportunity.reopened", "Opportunity", o.id, {"status": before}, {"status": "open"})


async def _leave(uow: UnitOfWork, o: Opportunity, now: dt.datetime) -> list[StageChange]:
    """End the open stay; what it adds to the stage-time totals is returned for the caller to record."""
    visit = await uow.session.scalar(
        select(StageVisit).where(col(StageVisit.opportunity_id) == o.id, col(StageVisit.left_at).is_(None))
    )
    if visit is None:
        return []
    visit.left_at = now
    return [exit_(visit.stage_id, visit.entered_at, now)]


async def _enter(uow: UnitOfWork, o: Opportunity, stage: Stage, actor: uuid.UUID | None) -> None:
    """Into a stage, with history; the caller shifts the funnel totals."""
    now = utcnow()
    left = await _leave(uow, o, now)
    before = o.stage_id
    o.stage_id, o.stage_position, o.probability = stage.id, stage.position, stage.probability
    o.max_position = max(o.max_position, stage.position)
    o.stage_entered_at = o.updated_at = now
    _visit(uow, o, stage.id, now, actor)
    await record_stays(uow, o, [*left, entry(stage.id, now)])
    fields = fields_of(o, OpportunitySnapshot)
    await uow.publish(OpportunityStageChanged(**fields, from_stage_id=before, stage_name=stage.name))
    await audit.record(
        uow, "opportunity.stage_changed", "Opportunity", o.id, {"stageId": str(before)}, {"stageId": str(stage.id)}
    )
