"""Workflow queries and mutations."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON

from automation.graphql.types import Workflow, WorkflowDryRun, WorkflowRun, optional_uid, uid
from automation.workflows import service as workflows
from automation.workflows.models import RunStatus
from crm_shared.graphql import Connection, Info


@strawberry.input
class WorkflowInput:
    name: str
    definition: JSON = strawberry.field(
        description="trigger, conditions and steps; see the README's Automation section."
    )
    description: str | None = None

    def command(self) -> workflows.WorkflowInput:
        return workflows.WorkflowInput(self.name, self.definition, self.description)


@strawberry.input
class WorkflowRunFilter:
    workflow_id: strawberry.ID | None = None
    status: RunStatus | None = None
    started_from: dt.datetime | None = strawberry.field(default=None, description="Runs started at or after.")
    started_before: dt.datetime | None = strawberry.field(default=None, description="Runs started before.")

    def command(self) -> workflows.RunFilter:
        return workflows.RunFilter(optional_uid(self.workflow_id), self.status, self.started_from, self.started_before)


@strawberry.type
class Query:
    @strawberry.field
    async def workflows(self, info: Info) -> list[Workflow]:
        async with info.context.uow() as uow:
            return [Workflow.of(w) for w in await workflows.listed(uow, info.context.principal)]

    @strawberry.field(description="The topics whose events may trigger a rule (and a webhook).")
    def workflow_trigger_topics(self, info: Info) -> list[str]:
        return workflows.trigger_topics(info.context.principal, info.context.state.settings)

    @strawberry.field
    async def workflow(self, info: Info, id: strawberry.ID) -> Workflow:
        async with info.context.uow() as uow:
            return Workflow.of(await workflows.get(uow, info.context.principal, uid(id)))

    @strawberry.field(description="A dry run of the draft against a sample event: nothing is done or stored.")
    async def test_workflow(self, info: Info, id: strawberry.ID, sample_event: JSON) -> WorkflowDryRun:
        async with info.context.uow() as uow:
            return WorkflowDryRun.of(await workflows.dry_run(uow, info.context.principal, uid(id), sample_event))

    @strawberry.field(description="Runs, newest first, each with the log of its steps.")
    async def workflow_runs(
        self, info: Info, filter: WorkflowRunFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[WorkflowRun]:
        where = filter or WorkflowRunFilter()
        async with info.context.uow() as uow:
            found = await workflows.runs(uow, info.context.principal, where.command(), first, after)
            return Connection.of(found, WorkflowRun.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create (no id) or change a workflow's draft; published versions stay as they are."
    )
    async def save_workflow(self, info: Info, input: WorkflowInput, id: strawberry.ID | None = None) -> Workflow:
        async with info.context.uow() as uow:
            settings, principal = info.context.state.settings, info.context.principal
            return Workflow.of(await workflows.save(uow, principal, optional_uid(id), input.command(), settings))

    @strawberry.mutation(
        description="The draft becomes the next version; runs under way finish the version they began."
    )
    async def publish_workflow(self, info: Info, id: strawberry.ID) -> Workflow:
        async with info.context.uow() as uow:
            settings = info.context.state.settings
            return Workflow.of(await workflows.publish(uow, info.context.principal, uid(id), settings))

    @strawberry.mutation(description="No new runs start; runs under way finish.")
    async def disable_workflow(self, info: Info, id: strawberry.ID) -> Workflow:
        async with info.context.uow() as uow:
            return Workflow.of(await workflows.disable(uow, info.context.principal, uid(id)))
