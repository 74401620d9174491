"""File uploads: the caller is authorised, and the size bounded, before the body is read.

FastAPI parses a form body before a route's dependencies run, so an upload route declared the usual
way would take in a whole file from anybody. `upload_route(permission)` is the route class that
checks the token and the permission first, refuses a declared `Content-Length` over
`CRM_UPLOAD_MAX_BYTES` at once, and stops reading a body that grows past it (413 naming `content`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from crm_shared.auth.request import require_principal
from crm_shared.config import PlatformSettings
from crm_shared.errors import TooLarge
from crm_shared.spreadsheets import check_size

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def upload_route(permission: str) -> type[APIRoute]:
    """A route class for upload routes that need `permission`."""

    class UploadRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                principal = await require_principal(request)
                principal.require(permission)
                platform: PlatformSettings = request.app.state.platform
                limit = platform.upload_max_bytes
                declared = request.headers.get("content-length", "")
                check_size(int(declared) if declared.isdigit() else 0, limit)
                try:
                    return await handler(Request(request.scope, capped(request.receive, limit)))
                except HTTPException as exc:  # FastAPI reports any failure reading a form as a 400
                    if isinstance(exc.__cause__, TooLarge):
                        raise exc.__cause__ from None
                    raise

            return guarded

    return UploadRoute


async def read_body(headers: dict[bytes, bytes], receive: Receive, limit: int) -> bytes:
    """A whole request body, for middleware that must hold it in memory; refused (413 naming `content`)
    as soon as it is known to pass `limit`: by its declared length before a byte is read, else as it grows."""
    declared = headers.get(b"content-length", b"")
    check_size(int(declared) if declared.isdigit() else 0, limit)
    counted, chunks, more = capped(receive, limit), [], True
    while more:
        message = await counted()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def capped(receive: Receive, limit: int) -> Receive:
    """`receive` that refuses the body once it passes `limit` bytes."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        check_size(received, limit)
        return message

    return counted
