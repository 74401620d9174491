"""Delivering low scores' follow-up tasks to customer, which owns tasks.

Customer consumes no event that asks for a task, so support calls its `createTask` over HTTP as
support's own service account (an API key exchanged at identity for an access token). A scheduled
job sends what is pending; the task's id is kept, so each is created once, and an outage of either
service only delays it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy import select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from support.surveys.models import FollowUpTask

log = logging.getLogger(__name__)
CREATE = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
TokenSource = Callable[[], Awaitable[str]]


class ApiKeyToken:
    """An access token for the service account, exchanged at identity and kept until shortly before it expires."""

    def __init__(self, identity_url: str, api_key: str, timeout: float = 5.0) -> None:
        self.url = identity_url.rstrip("/") + "/api/v1/auth/token"
        self.api_key, self.timeout = api_key, timeout
        self._token, self._until = "", 0.0

    async def __call__(self) -> str:
        if time.monotonic() < self._until:
            return self._token
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(self.url, json={"api_key": self.api_key})
        response.raise_for_status()
        body = response.json()
        self._token, self._until = body["access_token"], time.monotonic() + int(body["expires_in"]) - 30
        return self._token


class CustomerTasks:
    def __init__(self, customer_url: str, token: TokenSource, batch: int = 50, timeout: float = 5.0) -> None:
        self.url = customer_url.rstrip("/") + "/graphql"
        self.token, self.batch, self.timeout = token, batch, timeout

    async def deliver(self, uow: UnitOfWork) -> int:
        """Scheduled: create the pending tasks; returns how many were created."""
        pending = (
            await uow.session.scalars(
                select(FollowUpTask)
                .where(col(FollowUpTask.task_id).is_(None))
                .order_by(col(FollowUpTask.created_at))
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        created = 0
        for row in pending:
            row.attempts += 1
            try:
                row.task_id = await self._create(row)
                created += 1
            except (httpx.HTTPError, KeyError, TypeError, ValueError) as error:
                log.warning("follow-up task for survey %s not created yet: %s", row.survey_id, error)
                break  # the rest waits for the next run; the attempt is counted
        await uow.flush()
        return created

    async def _create(self, row: FollowUpTask) -> uuid.UUID:
        task = {
            "title": row.title,
            "dueAt": row.due_at.isoformat(),
            "accountId": str(row.account_id),
            "assigneeId": str(row.assignee_id),
            "notes": row.notes,
        }
        headers = {"Authorization": f"Bearer {await self.token()}", "Idempotency-Key": f"survey-{row.survey_id}"}
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(self.url, json={"query": CREATE, "variables": {"i": task}}, headers=headers)
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise ValueError(body["errors"][0].get("message"))
        return uuid.UUID(body["data"]["createTask"]["id"])
