"""Follow-up tasks: create, complete, list a user's overdue tasks; reminders leave as events on time."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import assignable
from crm_shared.db import UnitOfWork, effects, utcnow
from crm_shared.db.pages import Order, Page
from crm_shared.db.repository import Repository
from crm_shared.errors import BadInput
from crm_shared.rows import from_row
from crm_shared.validate import aware, note
from customer import normalise as norm
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.events import TaskCompleted, TaskCreated, TaskReminderDue, TaskSnapshot
from customer.tasks.models import Task, TaskStatus

RESOURCE = "customer:task"
S = TypeVar("S", bound=TaskSnapshot)
STATUSES = tuple(s.value for s in TaskStatus)
BY_DUE = Order.by(Task.due_at, Task.id)


@dataclass
class TaskInput:
    title: str
    due_at: dt.datetime
    account_id: uuid.UUID | None = None
    remind_at: dt.datetime | None = None
    assignee_id: uuid.UUID | None = None
    notes: str = ""


def snapshot(kind: type[S], task: Task) -> S:
    return from_row(kind, task)


class Tasks(Repository[Task]):
    """A task is seen by those whose scope covers its assignee, and by whoever created it."""

    model = Task
    resource = RESOURCE
    owner_field = "assignee_id"

    async def reaches(self, row: Task) -> bool:
        return self.principal is None or row.created_by == self.principal.user_id or await super().reaches(row)

    async def visible(self) -> ColumnElement[bool]:
        scoped = await super().visible()
        return scoped if self.principal is None else or_(scoped, col(Task.created_by) == self.principal.user_id)


@dataclass
class TaskFilter:
    """A task list's filter: by default the caller's open tasks."""

    assignee_id: uuid.UUID | None = None
    status: str | None = TaskStatus.OPEN
    due_from: dt.datetime | None = None
    due_to: dt.datetime | None = None
    account_id: uuid.UUID | None = None


async def create(uow: UnitOfWork, principal: Principal, data: TaskInput) -> Task:
    principal.require(f"{RESOURCE}:create")
    step = await effects.step(uow, "Task")
    if step.done is not None:  # this request ran before and made it; its answer was lost
        return await Tasks(uow, principal).get(step.done)
    aware(data.due_at, "dueAt")
    aware(data.remind_at, "remindAt")
    if data.remind_at is not None and data.remind_at > data.due_at:
        raise BadInput("remind_after_due", field="remindAt")
    assignee = data.assignee_id or principal.user_id
    task = Task(
        title=norm.required_text(data.title, "title", 200),
        notes=note(data.notes, "notes", 5000),
        due_at=data.due_at,
        remind_at=data.remind_at,
        assignee_id=assignee,
        account_id=data.account_id,
        created_by=principal.user_id,
    )
    if assignee != principal.user_id:
        await assignable(uow, principal, RESOURCE, assignee, "assigneeId")
    if data.account_id is not None:
        await Accounts(uow, principal).get(data.account_id)
    uow.session.add(task)
    await uow.flush()
    await audit.published(uow, snapshot(TaskCreated, task), "Task", task.id)
    step.made(task.id)
    return task


async def complete(uow: UnitOfWork, principal: Principal, task_id: uuid.UUID) -> Task:
    task = await Tasks(uow, principal).get(task_id, "update", lock=True)
    task.complete()
    await uow.publish(snapshot(TaskCompleted, task))
    await audit.record(uow, "task.completed", "Task", task.id, {"status": "open"}, {"status": "done"})
    return task


async def overdue(uow: UnitOfWork, principal: Principal, user_id: uuid.UUID | None = None) -> list[Task]:
    """Open tasks past due for a user (default: the caller) the caller may see."""
    principal.require(f"{RESOURCE}:read")
    query = (await Tasks(uow, principal).select()).where(
        col(Task.status) == TaskStatus.OPEN,
        col(Task.due_at) < utcnow(),
        col(Task.assignee_id) == (user_id or principal.user_id),
    )
    return list((await uow.session.scalars(query.order_by(col(Task.due_at)).limit(500))).all())


async def page(uow: UnitOfWork, principal: Principal, data: TaskFilter, first: int, after: str | None) -> Page[Task]:
    """Tasks the caller may see matching `data`, soonest due first."""
    principal.require(f"{RESOURCE}:read")
    aware(data.due_from, "dueFrom")
    aware(data.due_to, "dueTo")
    if data.due_from and data.due_to and data.due_from > data.due_to:
        raise BadInput("not_before", field="dueTo", other="dueFrom")
    where = [col(Task.assignee_id) == (data.assignee_id or principal.user_id)]
    if status := norm.choice(data.status, "status", STATUSES):
        where.append(col(Task.status) == status)
    if data.due_from is not None:
        where.append(col(Task.due_at) >= data.due_from)
    if data.due_to is not None:
        where.append(col(Task.due_at) < data.due_to)
    if data.account_id is not None:
        where.append(col(Task.account_id) == data.account_id)
    repository = Tasks(uow, principal)
    return await repository.page(await repository.select(*where), BY_DUE, first, after)


async def of_account(
    uow: UnitOfWork, principal: Principal, account: Account, status: str | None, first: int, after: str | None
) -> Page[Task]:
    """The tasks the caller may see on an account they have read (an `Account` resolved for them), whoever they
    are assigned to, soonest due first."""
    principal.require(f"{RESOURCE}:read")
    where = [col(Task.account_id) == account.id]
    if chosen := norm.choice(status, "status", STATUSES):
        where.append(col(Task.status) == chosen)
    repository = Tasks(uow, principal)
    return await repository.page(await repository.select(*where), BY_DUE, first, after)


async def send_due_reminders(uow: UnitOfWork) -> int:
    """Publish `task.reminder_due` for every open task whose reminder time has come (scheduled).

    The reminder state lives in the tasks table, so a restart neither loses nor repeats one.
    """
    due = (
        await uow.session.scalars(
            select(Task)
            .where(
                col(Task.reminder_sent_at).is_(None),
                col(Task.remind_at) <= utcnow(),
                col(Task.status) == TaskStatus.OPEN,
            )
            .order_by(col(Task.remind_at))
            .limit(500)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for task in due:
        task.reminder_sent_at = utcnow()
        await uow.publish(snapshot(TaskReminderDue, task))
    return len(due)
