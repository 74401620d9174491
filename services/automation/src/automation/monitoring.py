"""How each rule and each approval chain is doing, for the administrators who keep them: how many runs
(approvals) there were and how many failed (were rejected), how long they took at the median and p95, what
is still under way, and the oldest timer still waiting. Computed in the database, one statement each."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import text

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork

RULES = text(
    """
    SELECT w.id, w.name, count(r.id) AS runs,
           count(*) FILTER (WHERE r.status = 'failed') AS failed,
           count(*) FILTER (WHERE r.status IN ('running', 'waiting')) AS pending,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at))
             FILTER (WHERE r.finished_at IS NOT NULL) AS median,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at))
             FILTER (WHERE r.finished_at IS NOT NULL) AS p95,
           (SELECT min(t.due_at) FROM workflow_timers t
             WHERE t.run_id IN (SELECT id FROM workflow_runs WHERE workflow_id = w.id AND finished_at IS NULL)
                OR t.version_id IN (SELECT id FROM workflow_versions WHERE workflow_id = w.id)) AS oldest_timer
    FROM workflows w LEFT JOIN workflow_runs r ON r.workflow_id = w.id
    GROUP BY w.id ORDER BY w.name
    """
)
CHAINS = text(
    """
    SELECT a.chain_id AS id, a.chain_name AS name, count(*) AS runs,
           count(*) FILTER (WHERE a.status = 'rejected') AS failed,
           count(*) FILTER (WHERE a.status = 'pending') AS pending,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - a.created_at))
             FILTER (WHERE a.decided_at IS NOT NULL) AS median,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - a.created_at))
             FILTER (WHERE a.decided_at IS NOT NULL) AS p95,
           (SELECT min(t.due_at) FROM workflow_timers t JOIN approvals p ON t.subject = p.id::text
             WHERE t.kind = 'approval' AND p.chain_name = a.chain_name AND p.status = 'pending') AS oldest_timer,
           min(a.created_at) FILTER (WHERE a.status = 'pending') AS oldest_pending
    FROM approvals a GROUP BY a.chain_id, a.chain_name ORDER BY a.chain_name
    """
)


@dataclass(frozen=True)
class Figures:
    """One rule's runs, or one chain's approvals (`failed`: rejected ones)."""

    id: uuid.UUID | None  # a chain's: None for the default chain
    name: str
    runs: int
    failed: int
    pending: int
    median_seconds: float | None
    p95_seconds: float | None
    oldest_timer_due: dt.datetime | None
    oldest_pending_since: dt.datetime | None = None


async def rules(uow: UnitOfWork, principal: Principal) -> list[Figures]:
    principal.require("automation:workflow:read")
    rows = (await uow.session.execute(RULES)).mappings().all()
    return [_figures(row) for row in rows]


async def chains(uow: UnitOfWork, principal: Principal) -> list[Figures]:
    principal.require("automation:approval_chain:read")
    rows = (await uow.session.execute(CHAINS)).mappings().all()
    return [_figures(row) for row in rows]


def _figures(row: object) -> Figures:
    values = dict(row)  # type: ignore[call-overload]
    return Figures(
        values["id"],
        values["name"],
        values["runs"],
        values["failed"],
        values["pending"],
        values["median"],
        values["p95"],
        values["oldest_timer"],
        values.get("oldest_pending"),
    )
