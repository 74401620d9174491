"""`make run`'s console server passes the console's REST downloads and notification stream on to their service,
with the caller's token and nothing else of theirs, as the Ingress does in Kubernetes."""

import asyncio
import threading
import time

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from crm_shared.devstack.broker import free_port
from crm_shared.devstack.console import create_app

DISPOSITION = "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"


def serve(app) -> tuple[uvicorn.Server, threading.Thread, int]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, port


def test_server_sent_events_reach_the_console_as_each_is_sent(tmp_path):
    released = threading.Event()

    async def stream(request: Request) -> Response:
        async def events():
            yield f"event: notification\ndata: {request.headers.get('authorization')}\n\n"
            await asyncio.to_thread(released.wait, 10)  # the second waits until the first was read through the console
            yield "event: notification\ndata: 2\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    (tmp_path / "assets").mkdir()
    upstream, upstream_thread, port = serve(Starlette(routes=[Route("/api/v1/notifications/stream", stream)]))
    base = f"http://127.0.0.1:{port}/api/v1/notifications/"
    console, console_thread, console_port = serve(create_app(tmp_path, "http://gateway/graphql", (base,)))
    try:
        url = f"http://127.0.0.1:{console_port}/api/v1/notifications/stream"
        with httpx.stream("GET", url, headers={"Authorization": "Bearer t"}, timeout=10) as got:
            chunks = got.iter_text()
            first = next(chunks)
            released.set()
            rest = "".join(chunks)
    finally:
        for server in (console, upstream):
            server.should_exit = True
        console_thread.join()
        upstream_thread.join()
    assert got.headers["content-type"].startswith("text/event-stream")
    assert first == "event: notification\ndata: Bearer t\n\n"
    assert rest == "event: notification\ndata: 2\n\n"


def test_a_download_reaches_its_service_with_the_token_and_comes_back_as_served(tmp_path):
    seen = {}

    async def file(request: Request) -> Response:
        seen.update(
            path=request.url.path, auth=request.headers.get("authorization"), cookie=request.headers.get("cookie")
        )
        headers = {"Content-Disposition": DISPOSITION, "X-Content-Type-Options": "nosniff", "Set-Cookie": "x=1"}
        return Response(b"%PDF-1.4", media_type="application/pdf", headers=headers)

    port = free_port()
    upstream = Starlette(routes=[Route("/api/v1/tickets/{rest:path}", file)])
    server = uvicorn.Server(uvicorn.Config(upstream, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        (tmp_path / "assets").mkdir()
        (tmp_path / "index.html").write_text("<html>console</html>")
        console = TestClient(
            create_app(tmp_path, "http://gateway/graphql", (f"http://127.0.0.1:{port}/api/v1/tickets/",))
        )
        got = console.get("/api/v1/tickets/t1/attachments/a1", headers={"Authorization": "Bearer t", "Cookie": "s=1"})
        page = console.get("/tickets/t1")
    finally:
        server.should_exit = True
        thread.join()
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, b"%PDF-1.4", "application/pdf")
    assert (got.headers["content-disposition"], got.headers["x-content-type-options"]) == (DISPOSITION, "nosniff")
    assert "set-cookie" not in got.headers
    assert seen == {"path": "/api/v1/tickets/t1/attachments/a1", "auth": "Bearer t", "cookie": None}
    assert page.text == "<html>console</html>"  # the console's own routes are its pages still


def test_a_hashed_asset_comes_compressed_and_cached_for_good_and_plain_to_a_client_without_gzip(tmp_path):
    (tmp_path / "assets").mkdir()
    script = "export const greeting = '你好';\n" * 200
    (tmp_path / "assets" / "index-abc123.js").write_text(script)
    console = TestClient(create_app(tmp_path, "http://gateway/graphql"))

    packed = console.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    plain = console.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})

    assert (packed.headers["content-encoding"], packed.headers["vary"]) == ("gzip", "Accept-Encoding")
    assert packed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert packed.headers["content-type"].startswith("text/javascript")
    assert int(packed.headers["content-length"]) < len(script.encode()) / 10
    assert packed.text == script  # httpx undoes the compression
    assert "content-encoding" not in plain.headers
    assert (plain.text, plain.headers["cache-control"]) == (script, "public, max-age=31536000, immutable")
