"""The live stream of new notifications (server-sent events): only the user's own, only while the caller still
stands as a new request with the token would, and a bounded number at once per user."""

import asyncio
import contextlib
import dataclasses
import json

import httpx
import uvicorn

from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.notifications.stream import STREAMS_PER_USER
from crm_shared.auth.directory import apply_user_event
from crm_shared.devstack.broker import free_port
from crm_shared.testing.service import user_created

STREAM = "/api/v1/notifications/stream"


async def notify(app, persona, title):
    async with app.state.db.unit_of_work() as uow:
        new = notifications.NewNotification(persona.user_id, Kind.WORKFLOW, title, "正文 Body")
        return str((await notifications.notify(uow, new)).id)


@contextlib.asynccontextmanager
async def served(app):
    """A client of the app behind a real HTTP server, its workers running: httpx's ASGI transport would wait for the
    whole body of a stream."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(400):
            if server.started or serving.done():
                break
            await asyncio.sleep(0.05)
        assert server.started, "the server did not start"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            yield client
    finally:
        server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(serving), 10)
        except TimeoutError:
            server.force_exit = True
            await serving


@contextlib.asynccontextmanager
async def opened(client, token):
    """A stream opened with `token`, past its first comment: its lines as they come, then None once the server ends
    it (read by a task of its own, so that a test may stop waiting for the next line without losing the stream)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with client.stream("GET", STREAM, headers=headers) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines: asyncio.Queue[str | None] = asyncio.Queue()

        async def read():
            async for line in stream.aiter_lines():
                lines.put_nowait(line)
            lines.put_nowait(None)

        reading = asyncio.create_task(read())
        try:
            assert await asyncio.wait_for(lines.get(), 10) == ": connected"
            yield lines
        finally:
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)


async def ends_within(lines, seconds):
    """Whether the server ends the stream within `seconds`, sending nothing but comments (keep-alives) until then."""
    try:
        async with asyncio.timeout(seconds):
            while (line := await lines.get()) is not None:
                assert line == "" or line.startswith(":"), line
    except TimeoutError:
        return False
    return True


async def next_event(lines):
    """The lines of the next event (`event:`, `id:`, `data:`), past comments."""
    event: list[str] = []
    async with asyncio.timeout(15):
        while not event or event[-1]:
            line = await lines.get()
            assert line is not None, "the stream ended"
            if event or (line and not line.startswith(":")):
                event.append(line)
    return event[:-1]


async def test_new_notifications_stream_to_the_users_open_connections_as_server_sent_events(app, tokens, persona):
    async with served(app) as client:
        async with opened(client, tokens.token(persona["user1"])) as lines:
            assert list(app.state.notification_hub.streams) == [persona["user1"].user_id]
            await notify(app, persona["user2"], "别人的 Someone else's")
            mine = await notify(app, persona["user1"], "实时 Live")
            event, ident, data = await next_event(lines)
        assert (await client.get(STREAM)).status_code == 401
    assert (event, ident) == ("event: notification", f"id: {mine}")
    shown = json.loads(data.removeprefix("data: "))
    assert (shown["id"], shown["kind"], shown["title"]) == (mine, "WORKFLOW", "实时 Live")


async def test_a_stream_ends_within_seconds_once_its_user_is_deactivated(app, tokens, persona):
    user = persona["user1"]
    async with served(app) as client, opened(client, tokens.token(user)) as lines:
        assert not await ends_within(lines, 3)  # keep-alives only: the caller still stands
        async with app.state.db.unit_of_work() as uow:
            await apply_user_event(uow, user_created(user, "user.deactivated", active=False))
        assert await ends_within(lines, 5)
        assert app.state.notification_hub.streams == {}
        assert (await client.get(STREAM, headers={"Authorization": f"Bearer {tokens.token(user)}"})).status_code == 401


async def test_a_stream_ends_within_seconds_once_its_user_no_longer_may_read_notifications(app, tokens, persona):
    seller = persona["seller"]
    async with served(app) as client, opened(client, tokens.token(seller)) as lines:
        permissions = tuple(p for p in seller.permissions if p != "automation:notification:read")
        changed = dataclasses.replace(seller, permissions=permissions, authz_version=seller.authz_version + 1)
        async with app.state.db.unit_of_work() as uow:
            await apply_user_event(uow, user_created(changed, "user.roles_changed"))
        assert await ends_within(lines, 5)
        again = await client.get(STREAM, headers={"Authorization": f"Bearer {tokens.token(changed)}"})
        assert (again.status_code, again.json()["code"]) == (403, "FORBIDDEN")


async def test_a_stream_ends_when_its_token_expires(app, tokens, persona):
    async with served(app) as client, opened(client, tokens.token(persona["user1"], lifetime=3)) as lines:
        assert await ends_within(lines, 3 + 5)
        assert app.state.notification_hub.streams == {}


async def test_a_users_newest_stream_ends_their_oldest_past_the_most_they_may_hold(app, tokens, persona):
    user = persona["user2"]
    async with served(app) as client, contextlib.AsyncExitStack() as tabs:
        streams = [await tabs.enter_async_context(opened(client, tokens.token(user))) for _ in range(STREAMS_PER_USER)]
        assert len(app.state.notification_hub.streams[user.user_id]) == STREAMS_PER_USER
        newest = await tabs.enter_async_context(opened(client, tokens.token(user)))
        assert await ends_within(streams[0], 2)
        assert len(app.state.notification_hub.streams[user.user_id]) == STREAMS_PER_USER
        mine = await notify(app, user, "最新 Newest")
        for lines in (newest, streams[1]):
            assert (await next_event(lines))[:2] == ["event: notification", f"id: {mine}"]
