"""New notifications as server-sent events on automation's REST API, with the user's own token.

Committed notifications are announced by PostgreSQL NOTIFY (sent at commit, never for a rolled-back
one); one LISTEN connection per process fans them out to the streams open for that user.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator

import asyncpg
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from automation.notifications.models import Notification
from automation.notifications.service import CHANNEL, RESOURCE
from crm_shared.db import Database
from crm_shared.db.engine import asyncpg_dsn
from crm_shared.http.auth import CurrentPrincipal

log = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 15.0
router = APIRouter(tags=["notifications"])


class Hub:
    """The open streams of this process by user; fed by one LISTEN connection, reopened when lost."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.streams: dict[uuid.UUID, set[asyncio.Queue[uuid.UUID]]] = {}

    def subscribe(self, user_id: uuid.UUID) -> asyncio.Queue[uuid.UUID]:
        queue: asyncio.Queue[uuid.UUID] = asyncio.Queue(maxsize=1000)
        self.streams.setdefault(user_id, set()).add(queue)
        return queue

    def unsubscribe(self, user_id: uuid.UUID, queue: asyncio.Queue[uuid.UUID]) -> None:
        queues = self.streams.get(user_id, set())
        queues.discard(queue)
        if not queues:
            self.streams.pop(user_id, None)

    def announce(self, payload: str) -> None:
        user, _, notification = payload.partition(":")
        with contextlib.suppress(ValueError):
            for queue in self.streams.get(uuid.UUID(user), ()):
                with contextlib.suppress(asyncio.QueueFull):  # a stalled reader misses live updates, not its inbox
                    queue.put_nowait(uuid.UUID(notification))

    async def run(self) -> None:
        """Listen until cancelled, connecting again after a lost connection."""
        while True:
            try:
                conn = await asyncpg.connect(asyncpg_dsn(self.db.url), timeout=5)
            except Exception as exc:
                log.warning("notification stream: LISTEN unavailable: %s", exc)
                await asyncio.sleep(2)
                continue
            lost = asyncio.Event()
            try:
                await conn.add_listener(CHANNEL, lambda *args: self.announce(args[3]))
                conn.add_termination_listener(lambda _, lost=lost: lost.set())
                await lost.wait()
            finally:
                with contextlib.suppress(Exception):
                    await conn.close()


@router.get(
    "/api/v1/notifications/stream",
    summary="New notifications of the caller as server-sent events (`event: notification`)",
    response_class=StreamingResponse,
)
async def stream(request: Request, principal: CurrentPrincipal) -> StreamingResponse:
    principal.require(f"{RESOURCE}:read")
    hub: Hub = request.app.state.notification_hub
    db: Database = request.app.state.db
    queue = hub.subscribe(principal.user_id)

    async def events() -> AsyncIterator[str]:
        try:
            yield ": connected\n\n"
            while True:
                try:
                    notification_id = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                async with db.read() as session:
                    row = await session.get(Notification, notification_id)
                if row is not None and row.in_app and row.user_id == principal.user_id:
                    yield f"event: notification\nid: {row.id}\ndata: {json.dumps(shown(row), ensure_ascii=False)}\n\n"
        finally:
            hub.unsubscribe(principal.user_id, queue)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


def shown(row: Notification) -> dict[str, object]:
    return {
        "id": str(row.id),
        "kind": row.kind.upper(),
        "title": row.title,
        "body": row.body,
        "link": row.link,
        "createdAt": row.created_at.isoformat(),
    }
