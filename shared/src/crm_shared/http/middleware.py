"""Per-request language and request ids, as plain ASGI middleware so context variables reach handlers."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_shared.context import client_request_id, directory_reads, request_id
from crm_shared.i18n import negotiate, set_locale

CLIENT_ID_MAX = 64
_CLIENT_ID = re.compile(rf"[A-Za-z0-9._:\-]{{1,{CLIENT_ID_MAX}}}")


def sanitise_client_id(value: str | None) -> str | None:
    """A client's X-Request-Id when it is a short token of safe characters; anything else is dropped."""
    value = (value or "").strip()
    return value if _CLIENT_ID.fullmatch(value) else None


class RequestContextMiddleware:
    """The service names every request itself (the client's X-Request-Id is kept apart, never as the id) and keeps
    what the request read from the user directory for the rest of it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        set_locale(negotiate(headers.get("accept-language")))
        rid = str(uuid.uuid4())
        request_id.set(rid)
        client_request_id.set(sanitise_client_id(headers.get("x-request-id")))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        reads = directory_reads.set({})
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            directory_reads.reset(reads)
