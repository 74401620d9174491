"""Delivering journeys' hand-overs: tasks to customer (`createTask`), leads to sales (`createLead`).

Neither service consumes an event asking for these, so marketing calls their GraphQL APIs as its own
service account (an API key exchanged at identity for an access token, `MARKETING_SERVICE_API_KEY`).
Each call carries the hand-over's id as its `Idempotency-Key` and the created id is kept, so each task
or lead is created once; an outage only delays them.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlmodel import col

from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork
from marketing.audience import ContactRef
from marketing.journeys.models import ActionKind, HandOver

log = logging.getLogger(__name__)
TASK = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i, allowDuplicate: true) { id } }"


class ApiKeyToken:
    """An access token for the service account, kept until shortly before it expires."""

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


class HandOvers:
    def __init__(self, customer_url: str, sales_url: str, token: ApiKeyToken, batch: int = 50) -> None:
        self.urls = {
            ActionKind.TASK: customer_url.rstrip("/") + "/graphql",
            ActionKind.LEAD: sales_url.rstrip("/") + "/graphql",
        }
        self.token, self.batch = token, batch

    async def deliver(self, uow: UnitOfWork) -> int:
        """Scheduled: create what is pending; returns how many were created."""
        pending = (
            await uow.session.scalars(
                select(HandOver)
                .where(col(HandOver.remote_id).is_(None), col(HandOver.attempts) < 20)
                .order_by(col(HandOver.created_at))
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        created = 0
        for row in pending:
            row.attempts += 1
            try:
                row.remote_id = await self._create(uow, row)
                created += 1
            except (httpx.HTTPError, KeyError, TypeError, ValueError) as error:
                row.last_error = type(error).__name__
                log.warning("journey hand-over %s not created yet: %s", row.id, error)
                break
        await uow.flush()
        return created

    async def _create(self, uow: UnitOfWork, row: HandOver) -> uuid.UUID:
        payload: dict[str, Any] = {k: v for k, v in row.payload.items() if v is not None}
        if row.kind is ActionKind.LEAD:
            contact = await uow.session.get(ContactRef, uuid.UUID(payload.pop("contactId")))
            if contact is not None and contact.email_enc:
                payload["email"] = decrypt(contact.email_enc)
        headers = {"Authorization": f"Bearer {await self.token()}", "Idempotency-Key": f"journey-{row.id}"}
        query = TASK if row.kind is ActionKind.TASK else LEAD
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.post(
                self.urls[row.kind], json={"query": query, "variables": {"i": payload}}, headers=headers
            )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise ValueError(body["errors"][0].get("message"))
        field = "createTask" if row.kind is ActionKind.TASK else "createLead"
        return uuid.UUID(body["data"][field]["id"])
