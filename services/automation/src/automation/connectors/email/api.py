"""The inbound-mail endpoint of email logging: raw messages to the logging addresses (`log+<token>@...`).

`make run`'s SMTP server posts here, writing the envelope recipient as `Delivered-To` (a Bcc shows only
there); in production a mail provider's inbound webhook does, with the bearer token
`AUTOMATION_INBOUND_MAIL_TOKEN`. Each (user, Message-ID) is taken once; a `503` means "try again later".
"""

from __future__ import annotations

import hmac
import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel

from automation.connectors import ledger
from automation.connectors.email import service as logging
from automation.connectors.email.parse import parse
from automation.connectors.models import Connector, Outcome
from automation.settings import AutomationSettings
from crm_shared.config import PlatformSettings
from crm_shared.errors import Unauthenticated
from crm_shared.http import PROBLEM
from crm_shared.http.uploads import capped
from crm_shared.spreadsheets import check_size

router = APIRouter(prefix="/api/v1/connectors", tags=["connectors"])
RAW = "application/octet-stream"


class LoggedOut(BaseModel):
    outcome: Outcome
    duplicate: bool


@router.post(
    "/email/inbound",
    status_code=202,
    responses={401: PROBLEM, 413: PROBLEM, 422: PROBLEM, 503: PROBLEM},
    openapi_extra={
        "requestBody": {"content": {RAW: {"schema": {"type": "string", "format": "binary"}}}, "required": True}
    },
)
async def inbound_mail(request: Request) -> list[LoggedOut]:
    """A raw mail to one or more logging addresses: logged for each of their users (none: an empty list)."""
    settings: AutomationSettings = request.app.state.settings
    platform: PlatformSettings = request.app.state.platform
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.inbound_mail_token.encode()
    if scheme.lower() != "bearer" or not expected or not hmac.compare_digest(token.encode(), expected):
        raise Unauthenticated()
    declared = request.headers.get("content-length", "")
    check_size(int(declared) if declared.isdigit() else 0, platform.upload_max_bytes)
    mail = parse(await Request(request.scope, capped(request.receive, platform.upload_max_bytes)).body())
    db, services = request.app.state.db, request.app.state.engine.services
    async with db.read() as session:
        users = await logging.users_of(session, logging.tokens(mail, settings.logging_address))

    def work(user: uuid.UUID) -> ledger.Work:
        return lambda uow: logging.take(uow, services, user, mail, settings.logging_address)

    taken = [await ledger.take(db, Connector.EMAIL, f"{u}:{mail.message_id}", "mail.logged", work(u)) for u in users]
    return [LoggedOut(outcome=t.outcome, duplicate=t.duplicate) for t in taken]
