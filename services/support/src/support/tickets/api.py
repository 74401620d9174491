"""Ticket routes for signed-in callers: downloading a file of the conversation."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from crm_shared.http import ERRORS, CurrentPrincipal, Transaction
from support.tickets import attachments

router = APIRouter(prefix="/api/v1", tags=["support"])
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
UNSAFE = re.compile(r"[^A-Za-z0-9!#$&+.^_`|~ -]")  # what a quoted ASCII filename may carry, no quote or backslash


def disposition(filename: str) -> str:
    """`attachment` with the name in UTF-8 (RFC 5987/6266) and an ASCII stand-in for old clients; no path, no
    quote, no line break of the name reaches the header."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    plain = UNSAFE.sub("_", name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get(
    "/tickets/{ticket_id}/attachments/{attachment_id}",
    responses={
        **ERRORS,
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
    },
    response_class=Response,
)
async def download_attachment(
    ticket_id: uuid.UUID, attachment_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction
) -> Response:
    """A file of a ticket's conversation, for those who read the ticket and the message it came with."""
    file = await attachments.get(uow, principal, ticket_id, attachment_id)
    kind = file.content_type.lower()
    headers = {
        "Content-Disposition": disposition(file.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",  # opened in place, an SVG or HTML runs nothing
        "Cache-Control": "private, no-store",
    }
    return Response(
        file.content, media_type=kind if MEDIA_TYPE.fullmatch(kind) else "application/octet-stream", headers=headers
    )
