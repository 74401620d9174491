"""The bound on chains of runs: a run's calls carry it as their trace, which the services continue into the events
they cause (`remote.traceparent`), so a run started by such an event is one deeper than the run behind it. A rule
that updates what triggers it (or two rules that trigger each other) is stopped when its chain grows past
`workflow_chain_limit`: the run is written as failed, never takes a step, and whoever published the rule is told."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from automation import events
from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.workflows.models import Workflow, WorkflowRun, WorkflowVersion
from crm_shared.db import UnitOfWork

log = logging.getLogger(__name__)
LOOPING = "stopped as a loop: {limit} runs in a row were each started by an event the run before caused"


async def depths(uow: UnitOfWork, causes: Collection[uuid.UUID | None]) -> dict[uuid.UUID | None, int]:
    """How deep each run behind an event is, in one statement; an event no run caused is at depth 0."""
    known = {cause for cause in causes if cause is not None}
    if not known:
        return {}
    query = select(col(WorkflowRun.id), col(WorkflowRun.depth)).where(col(WorkflowRun.id).in_(known))
    return {run_id: depth for run_id, depth in (await uow.session.execute(query)).all()}


async def stopped(uow: UnitOfWork, version: WorkflowVersion, run: dict[str, Any]) -> None:
    """A run written as stopped: its finish published as any run's, a warning logged, its publisher notified."""
    log.warning("workflow %s: run %s stopped as a loop at depth %s", version.workflow_id, run["id"], run["depth"])
    await uow.publish(
        events.WorkflowRunFinished(
            workflow_id=version.workflow_id,
            run_id=run["id"],
            version=version.version,
            status=run["status"].value,
            error=run["error"],
            started_at=run["started_at"],
            finished_at=run["finished_at"],
        )
    )
    workflow = await uow.session.get(Workflow, version.workflow_id)
    if version.published_by is None or workflow is None:
        return
    title = f"规则循环触发，已停止 Rule stopped looping: {workflow.name}"
    depth = run["depth"]
    body = (
        f"规则的动作一再触发规则本身，第 {depth} 次运行已停止 Its actions kept triggering it: run {depth} was stopped"
    )
    await notifications.notify(
        uow, notifications.NewNotification(version.published_by, Kind.WORKFLOW, title, body, run_id=run["id"])
    )
