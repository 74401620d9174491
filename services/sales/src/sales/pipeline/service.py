"""Pipelines: named sequences of stages; one is the default for new opportunities."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select, update
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import required_text
from sales.money import parse
from sales.pipeline.models import REQUIRABLE, Pipeline, Stage

RESOURCE = "sales:pipeline"  # managers shape their units' pipelines; administrators the company's

DEFAULT_STAGES = (
    ("初步接洽", "10", ()),
    ("需求确认", "25", ()),
    ("方案报价", "50", ("amount",)),
    ("商务谈判", "75", ("amount", "expected_close_date")),
    ("合同签订", "90", ("amount", "expected_close_date", "contact_id")),
)


@dataclass
class StageInput:
    name: str
    probability: str
    required_fields: list[str] = field(default_factory=list)


def build_stage(pipeline_id: uuid.UUID, position: int, data: StageInput, at: str = "") -> Stage:
    """A validated stage; `at` prefixes the field names in errors (e.g. "stages[2].")."""
    for required in data.required_fields:
        if required not in REQUIRABLE:
            raise BadInput("only_from", field=f"{at}requiredFields", choices=", ".join(REQUIRABLE))
    return Stage(
        pipeline_id=pipeline_id,
        name=required_text(data.name, f"{at}name", 100),
        position=position,
        probability=parse(data.probability, f"{at}probability", Decimal(0), Decimal(100)),
        required_fields=list(dict.fromkeys(data.required_fields)),
    )


def build_stages(pipeline_id: uuid.UUID, stages: list[StageInput]) -> list[Stage]:
    if not stages:
        raise BadInput("required_field", field="stages")
    built = [build_stage(pipeline_id, i + 1, data, f"stages[{i}].") for i, data in enumerate(stages)]
    for index, stage in enumerate(built):
        _distinct(stage.name, built[:index], f"stages[{index}].name")
    return built


def _distinct(name: str, others: Sequence[Stage], field: str) -> None:
    """Stages of a pipeline go by different names: the funnel and a move name them."""
    if any(other.name == name for other in others):
        raise BadInput("entry_repeated", field=field)


async def default_pipeline(uow: UnitOfWork) -> Pipeline:
    found = await uow.session.scalar(select(Pipeline).where(col(Pipeline.is_default).is_(True)))
    if found is None:
        raise NotFound(entity="Pipeline")
    return found


async def stages_of(uow: UnitOfWork, pipeline_id: uuid.UUID) -> list[Stage]:
    rows = await uow.session.scalars(
        select(Stage).where(col(Stage.pipeline_id) == pipeline_id).order_by(col(Stage.position))
    )
    return list(rows.all())


async def stages(uow: UnitOfWork, stage_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Stage]:
    rows = await uow.session.scalars(select(Stage).where(col(Stage.id).in_(stage_ids)))
    return {stage.id: stage for stage in rows.all()}


async def ensure_default(uow: UnitOfWork) -> Pipeline:
    """The standard pipeline (初步接洽 → 合同签订), created once."""
    found = await uow.session.scalar(select(Pipeline).where(col(Pipeline.is_default).is_(True)))
    if found is not None:
        return found
    pipeline = Pipeline(name="标准销售流程", is_default=True)
    uow.session.add(pipeline)
    await uow.flush()
    uow.session.add_all(build_stages(pipeline.id, [StageInput(n, p, list(r)) for n, p, r in DEFAULT_STAGES]))
    return pipeline


async def listed(uow: UnitOfWork, principal: Principal) -> list[tuple[Pipeline, list[Stage]]]:
    principal.require("sales:opportunity:read")
    pipelines = (await uow.session.scalars(select(Pipeline).order_by(col(Pipeline.created_at)))).all()
    return [(p, await stages_of(uow, p.id)) for p in pipelines]


async def create(
    uow: UnitOfWork,
    principal: Principal,
    name: str,
    stages: list[StageInput],
    default: bool,
    unit_id: uuid.UUID | None = None,
) -> tuple[Pipeline, list[Stage]]:
    """A unit's pipeline, or (no unit) a company-wide one; the default pipeline is always company-wide."""
    if default and unit_id is not None:
        raise BadInput("default_company_wide", field="isDefault")
    principal.require_governs(f"{RESOURCE}:create", unit_id)
    pipeline = Pipeline(name=required_text(name, "name", 100), is_default=default, unit_id=unit_id)
    if await uow.session.scalar(select(col(Pipeline.id)).where(col(Pipeline.name) == pipeline.name)):
        raise Conflict("pipeline_exists", field="name")
    if default:
        await uow.session.execute(update(Pipeline).values(is_default=False))
    uow.session.add(pipeline)
    await uow.flush()
    built = build_stages(pipeline.id, stages)
    uow.session.add_all(built)
    await audit.record(
        uow,
        "pipeline.created",
        "Pipeline",
        pipeline.id,
        None,
        {"name": pipeline.name, "stages": [s.name for s in stages], "unitId": str(unit_id) if unit_id else None},
    )
    return pipeline, built


async def update_stage(uow: UnitOfWork, principal: Principal, stage_id: uuid.UUID, data: StageInput) -> Stage:
    """Rename a stage, change its default probability or what it requires; open opportunities already
    in it keep the probability they entered with."""
    principal.require(f"{RESOURCE}:update")
    stage = await uow.session.get(Stage, stage_id, with_for_update=True)
    if stage is None:
        raise NotFound(entity="Stage")
    pipeline = await uow.session.get_one(Pipeline, stage.pipeline_id)
    principal.require_governs(f"{RESOURCE}:update", None if pipeline.is_default else pipeline.unit_id)
    before = {
        "name": stage.name,
        "probability": str(stage.probability),
        "requiredFields": list(stage.required_fields),
    }
    built = build_stage(stage.pipeline_id, stage.position, data)
    _distinct(built.name, [s for s in await stages_of(uow, stage.pipeline_id) if s.id != stage.id], "name")
    stage.name, stage.probability, stage.required_fields = (
        built.name,
        built.probability,
        built.required_fields,
    )
    await audit.record(
        uow,
        "stage.updated",
        "Stage",
        stage.id,
        before,
        {
            "name": stage.name,
            "probability": str(stage.probability),
            "requiredFields": list(stage.required_fields),
        },
    )
    return stage
