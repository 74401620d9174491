"""New notifications as server-sent events on automation's REST API, with the user's own token.

Committed notifications are announced by PostgreSQL NOTIFY (sent at commit, never for a rolled-back
one); one LISTEN connection per process fans them out to the streams open for that user.

A stream outlives the request that opened it, so the caller is checked again before each event and keep-alive, at
least every `KEEP_ALIVE_SECONDS`: the stream ends once a new request with its token would be refused (expired,
user deactivated, grants changed, `automation:notification:read` gone). A user holds at most `STREAMS_PER_USER`
at once in a process: a newer one ends the oldest, most likely a tab left behind or a connection already dead,
while the tab just opened is the one being looked at.
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
from crm_shared.auth.request import still_authenticated
from crm_shared.db import Database
from crm_shared.db.engine import asyncpg_dsn
from crm_shared.errors import DomainError
from crm_shared.http.auth import CurrentPrincipal

log = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 2.0
STREAMS_PER_USER = 10  # a person's console tabs, with room to spare
router = APIRouter(tags=["notifications"])
# what a stream's queue holds: the notifications announced to it, then None when a newer stream replaced it
Queue = asyncio.Queue[uuid.UUID | None]


class Hub:
    """The open streams of this process by user, oldest first; fed by one LISTEN connection, reopened when lost."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.streams: dict[uuid.UUID, list[Queue]] = {}

    def subscribe(self, user_id: uuid.UUID) -> Queue:
        """A new stream of the user's; the oldest of theirs ends if they hold `STREAMS_PER_USER` already."""
        queues = self.streams.setdefault(user_id, [])
        if len(queues) >= STREAMS_PER_USER:
            oldest = queues.pop(0)
            while not oldest.empty():
                oldest.get_nowait()
            oldest.put_nowait(None)
        queue: Queue = asyncio.Queue(maxsize=1000)
        queues.append(queue)
        return queue

    def unsubscribe(self, user_id: uuid.UUID, queue: Queue) -> None:
        queues = self.streams.get(user_id, [])
        if queue in queues:
            queues.remove(queue)
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

    async def holds() -> bool:
        """Whether a new request with the caller's token could open the stream."""
        try:
            (await still_authenticated(request)).require(f"{RESOURCE}:read")
        except DomainError:
            return False
        return True

    async def events() -> AsyncIterator[str]:
        queue = hub.subscribe(principal.user_id)  # here, where `finally` ends it: a stream never started holds none
        try:
            yield ": connected\n\n"
            while True:
                try:
                    notification_id = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    if not await holds():
                        return
                    yield ": keep-alive\n\n"
                    continue
                if notification_id is None or not await holds():
                    return  # replaced by a newer stream of the user's, or the caller no longer stands
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
