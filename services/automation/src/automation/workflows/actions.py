"""What each kind of step does. Effects in this database (a notification) go in the step's transaction;
effects elsewhere carry the run and step as their `Idempotency-Key` (the receiving service answers a
repeat with its first answer)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import httpx

from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.webhooks import signing
from automation.workflows import checks
from automation.workflows.conditions import fill
from automation.workflows.definition import CallWebhook, CreateTask, Notify, UpdateRecord
from automation.workflows.models import WorkflowRun
from automation.workflows.remote import Services, StepFailed
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.http import outgoing
from crm_shared.http.outgoing import Network

CREATE_TASK = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"


def step_key(run: WorkflowRun, step_id: str) -> str:
    return f"workflow-{run.id}-{step_id}"


def user_id(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise StepFailed(f"{field}: {value!r} is no user id", retry=False) from None


def text_of(value: Any) -> str:
    """A filled-in value as text: a missing one is empty, not "None"."""
    return "" if value is None else str(value)


def task_input(step: CreateTask, context: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    account = fill(step.account_id, context) if step.account_id else None
    return {
        "title": text_of(fill(step.title, context)),
        "dueAt": (now + dt.timedelta(hours=step.due_in_hours)).isoformat(),
        "assigneeId": str(user_id(fill(step.assignee, context), "assignee")),
        "accountId": str(account) if account else None,
        "notes": text_of(fill(step.notes, context)),
    }


async def create_task(
    services: Services, run: WorkflowRun, step: CreateTask, context: dict[str, Any]
) -> dict[str, Any]:
    data = await services.mutate(
        "customer", CREATE_TASK, {"i": task_input(step, context, utcnow())}, step_key(run, step.id), run=run.id
    )
    return {"taskId": data["createTask"]["id"]}


async def notify(uow: UnitOfWork, run: WorkflowRun, step: Notify, context: dict[str, Any]) -> dict[str, Any]:
    new = notifications.NewNotification(
        user_id=user_id(fill(step.user, context), "user"),
        kind=Kind.WORKFLOW,
        title=text_of(fill(step.title, context)),
        body=text_of(fill(step.body, context)),
        link=checks.link(fill(step.link, context), "link") if step.link else None,
        run_id=run.id,
    )
    return {"notificationId": str((await notifications.notify(uow, new)).id)}


def update_document(step: UpdateRecord) -> str:
    """`updateLead(id, input)` with `input: UpdateLeadInput!`, or a move such as `qualifyLead(id)`."""
    if step.input is None:
        return f"mutation($id: ID!) {{ {step.mutation}(id: $id) {{ id }} }}"
    typed = step.mutation[0].upper() + step.mutation[1:] + "Input!"
    return f"mutation($id: ID!, $input: {typed}) {{ {step.mutation}(id: $id, input: $input) {{ id }} }}"


def update_variables(step: UpdateRecord, context: dict[str, Any]) -> dict[str, Any]:
    variables: dict[str, Any] = {"id": str(fill(step.record_id, context))}
    if step.input is not None:
        variables["input"] = fill(step.input, context)
    return variables


async def update_record(
    services: Services, run: WorkflowRun, step: UpdateRecord, context: dict[str, Any]
) -> dict[str, Any]:
    variables = update_variables(step, context)
    data = await services.mutate(step.service, update_document(step), variables, step_key(run, step.id), run=run.id)
    return {"id": (data.get(step.mutation) or {}).get("id", variables["id"])}


def webhook_body(run: WorkflowRun, step: CallWebhook, context: dict[str, Any]) -> Any:
    if step.body is not None:
        return fill(step.body, context)
    return {"workflowId": str(run.workflow_id), "runId": str(run.id), "event": context.get("event")}


async def call_webhook(
    run: WorkflowRun, step: CallWebhook, context: dict[str, Any], timeout: float, networks: Sequence[Network]
) -> dict[str, Any]:
    body = signing.encode(webhook_body(run, step, context))
    try:
        async with outgoing.public(timeout, networks) as client:
            status = await signing.post(client, step.url, body, step_key(run, step.id), step.secret, timeout)
    except outgoing.DestinationRefused as exc:
        raise StepFailed(f"{step.url}: {exc}", retry=False) from exc
    except httpx.HTTPError as exc:
        raise StepFailed(f"{step.url}: {type(exc).__name__}") from exc
    except (httpx.InvalidURL, ValueError) as exc:  # an address the client cannot read (`http://1.2.3.256/`), saved
        raise StepFailed(f"{step.url}: {type(exc).__name__}: {exc}", retry=False) from exc  # before it was checked
    if not 200 <= status < 300:
        raise StepFailed(f"{step.url} answered {status}", retry=status >= 500 or status in (408, 429))
    return {"status": status}
