"""The inbound-mail endpoint: raw messages to the support address, from whatever takes mail in for us.

`make run`'s SMTP server posts here; in production a mail provider's inbound webhook (the raw MIME
message, `message/rfc822`) or a mailbox poller reading the support mailbox over IMAP does, with
the bearer token `SUPPORT_INBOUND_MAIL_TOKEN`. A 2xx answer means the mail is taken (or was, or is
deliberately ignored); anything else means "try again later".
"""

from __future__ import annotations

import hmac
import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel

from crm_shared.config import PlatformSettings
from crm_shared.errors import Unauthenticated
from crm_shared.http import PROBLEM, Transaction
from crm_shared.http.uploads import capped
from crm_shared.spreadsheets import check_size
from support.mail import inbound
from support.settings import SupportSettings

router = APIRouter(prefix="/api/v1", tags=["support"])
RAW = "application/octet-stream"  # the raw MIME message (RFC 5322 bytes); `message/rfc822` is taken as well


class ReceivedOut(BaseModel):
    outcome: str  # opened, replied, duplicate, ignored
    ticket_id: uuid.UUID | None
    reason: str | None


@router.post(
    "/inbound-mail",
    status_code=202,
    responses={401: PROBLEM, 413: PROBLEM, 503: PROBLEM},
    openapi_extra={
        "requestBody": {"content": {RAW: {"schema": {"type": "string", "format": "binary"}}}, "required": True}
    },
)
async def inbound_mail(request: Request, uow: Transaction) -> ReceivedOut:
    """A raw mail to the support address: it opens a ticket or lands on the one it answers."""
    settings: SupportSettings = request.app.state.settings
    platform: PlatformSettings = request.app.state.platform
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), settings.inbound_mail_token.encode()):
        raise Unauthenticated()
    declared = request.headers.get("content-length", "")
    check_size(int(declared) if declared.isdigit() else 0, platform.upload_max_bytes)
    raw = await Request(request.scope, capped(request.receive, platform.upload_max_bytes)).body()
    received = await inbound.receive(uow, raw, settings)
    return ReceivedOut(outcome=received.outcome, ticket_id=received.ticket_id, reason=received.reason)
