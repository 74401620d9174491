"""The administrators' view of how rules and approval chains are doing."""

from __future__ import annotations

import datetime as dt

import strawberry

from automation import monitoring
from crm_shared.graphql import Info


@strawberry.type(description="A rule's runs or an approval chain's approvals (failed: rejected), and what still waits.")
class AutomationFigures:
    id: strawberry.ID | None = strawberry.field(description="The rule or chain; null for the default approval chain.")
    name: str
    runs: int
    failed: int
    pending: int = strawberry.field(description="Runs under way or waiting; approvals waiting for a decision.")
    median_seconds: float | None = strawberry.field(description="From start to end, of those that ended.")
    p95_seconds: float | None
    oldest_timer_due: dt.datetime | None = strawberry.field(description="The earliest timer still waiting.")
    oldest_pending_since: dt.datetime | None = strawberry.field(description="Approvals: the oldest still waiting.")

    @classmethod
    def of(cls, f: monitoring.Figures) -> AutomationFigures:
        return cls(
            id=strawberry.ID(str(f.id)) if f.id else None,
            name=f.name,
            runs=f.runs,
            failed=f.failed,
            pending=f.pending,
            median_seconds=f.median_seconds,
            p95_seconds=f.p95_seconds,
            oldest_timer_due=f.oldest_timer_due,
            oldest_pending_since=f.oldest_pending_since,
        )


@strawberry.type
class Query:
    @strawberry.field(description="Each rule: runs, failures, median and p95 duration, runs under way, oldest timer.")
    async def workflow_monitoring(self, info: Info) -> list[AutomationFigures]:
        async with info.context.uow() as uow:
            return [AutomationFigures.of(f) for f in await monitoring.rules(uow, info.context.principal)]

    @strawberry.field(description="Each approval chain: approvals, rejections, median and p95 time to decide, waiting.")
    async def approval_chain_monitoring(self, info: Info) -> list[AutomationFigures]:
        async with info.context.uow() as uow:
            return [AutomationFigures.of(f) for f in await monitoring.chains(uow, info.context.principal)]
