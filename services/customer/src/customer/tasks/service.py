"""Follow-up tasks: create, complete, list a user's overdue tasks; reminders leave as events on time."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser, scope_filter
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from customer import normalise as norm
from customer.access import load_account
from customer.events import TASK_TOPIC, event
from customer.tasks.models import Task

RESOURCE = "customer:task"


@dataclass
class TaskInput:
    title: str
    due_at: dt.datetime
    account_id: uuid.UUID | None = None
    remind_at: dt.datetime | None = None
    assignee_id: uuid.UUID | None = None
    notes: str = ""


def snapshot(task: Task) -> dict[str, object]:
    return {
        "id": str(task.id),
        "title": task.title,
        "accountId": str(task.account_id) if task.account_id else None,
        "assigneeId": str(task.assignee_id),
        "dueAt": task.due_at.isoformat(),
        "remindAt": task.remind_at.isoformat() if task.remind_at else None,
        "status": task.status,
    }


class TaskService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _load(self, uow: UnitOfWork, principal: Principal, task_id: uuid.UUID, action: str) -> Task:
        principal.require(f"{RESOURCE}:{action}")
        task = await uow.session.get(Task, task_id, with_for_update=action != "read")
        if task is None:
            raise NotFound(entity="Task")
        unit = await uow.session.scalar(select(DirectoryUser.unit_id).where(DirectoryUser.user_id == task.assignee_id))  # type: ignore[call-overload]
        if not (principal.may_access(RESOURCE, task.assignee_id, unit) or task.created_by == principal.user_id):
            raise NotFound(entity="Task")
        return task

    async def create(self, principal: Principal, data: TaskInput) -> Task:
        principal.require(f"{RESOURCE}:create")
        for name, value in (("dueAt", data.due_at), ("remindAt", data.remind_at)):
            if value is not None and value.tzinfo is None:
                raise BadInput(field=name, reason="include a time zone")
        if data.remind_at is not None and data.remind_at > data.due_at:
            raise BadInput("remind_after_due", field="remindAt")
        assignee = data.assignee_id or principal.user_id
        task = Task(
            title=norm.required_text(data.title, "title", 200),
            notes=data.notes[:5000],
            due_at=data.due_at,
            remind_at=data.remind_at,
            assignee_id=assignee,
            account_id=data.account_id,
            created_by=principal.user_id,
        )
        async with self.db.unit_of_work() as uow:
            if assignee != principal.user_id:
                person = await uow.session.get(DirectoryUser, assignee)
                unit = person.unit_id if person else None
                if person is None or not person.is_active or not principal.may_access(RESOURCE, assignee, unit):
                    raise BadInput("unknown_user", field="assigneeId")
            if data.account_id is not None:
                await load_account(uow, principal, data.account_id, "customer:account:read")
            uow.session.add(task)
            await uow.flush()
            await uow.emit(TASK_TOPIC, event("task.created", task.id, snapshot(task)))
            await audit.record(uow, "task.created", "Task", task.id, None, snapshot(task))
        return task

    async def complete(self, principal: Principal, task_id: uuid.UUID) -> Task:
        async with self.db.unit_of_work() as uow:
            task = await self._load(uow, principal, task_id, "update")
            if task.status == "done":
                raise Conflict("task_done")
            task.status, task.completed_at = "done", utcnow()
            await uow.emit(TASK_TOPIC, event("task.completed", task.id, snapshot(task)))
            await audit.record(uow, "task.completed", "Task", task.id, {"status": "open"}, {"status": "done"})
        return task

    async def overdue(self, principal: Principal, user_id: uuid.UUID | None = None) -> list[Task]:
        """Open tasks past due for a user (default: the caller) the caller may see."""
        principal.require(f"{RESOURCE}:read")
        async with self.db.read() as session:
            query = select(Task).where(
                Task.status == "open",
                Task.due_at < utcnow(),
                await scope_filter(session, principal, RESOURCE, Task.assignee_id),
                Task.assignee_id == (user_id or principal.user_id),
            )
            return list((await session.scalars(query.order_by(Task.due_at).limit(500))).all())

    async def send_due_reminders(self) -> int:
        """Publish `task.reminder_due` for every open task whose reminder time has come (scheduler).

        The reminder state lives in the tasks table, so a restart neither loses nor repeats one.
        """
        async with self.db.unit_of_work() as uow:
            due = (
                await uow.session.scalars(
                    select(Task)
                    .where(Task.reminder_sent_at.is_(None), Task.remind_at <= utcnow(), Task.status == "open")  # type: ignore[union-attr,operator]
                    .order_by(Task.remind_at)
                    .limit(500)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for task in due:
                task.reminder_sent_at = utcnow()
                await uow.emit(TASK_TOPIC, event("task.reminder_due", task.id, snapshot(task)))
            return len(due)
