"""The CTI webhook on automation's REST API: call started, answered and ended, signed with the shared secret.

Each (call, event) is taken once: the CTI sending an event again gets the first outcome back. A `503`
means customer was out of reach and the CTI should send the event again later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from automation.connectors import ledger
from automation.connectors.models import Connector, Outcome
from automation.connectors.telephony import service as telephony
from automation.connectors.telephony import signing
from automation.settings import AutomationSettings
from crm_shared.http import PROBLEM

router = APIRouter(prefix="/api/v1/connectors", tags=["connectors"])


class CallEventIn(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    call_id: str = Field(min_length=1, max_length=100)
    event: Literal["started", "answered", "ended"]
    direction: Literal["inbound", "outbound"]
    from_: str = Field(alias="from", max_length=40)
    to: str = Field(max_length=40)
    agent_id: uuid.UUID | None = Field(default=None, description="The user who took or made the call.")
    at: dt.datetime
    duration_seconds: int | None = Field(default=None, ge=0, le=86400)
    # shown as a link in the console: a web address only, never a script
    recording_url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://[^\s]+$")

    def command(self) -> telephony.CallEvent:
        return telephony.CallEvent(
            self.call_id,
            self.event,
            self.direction,
            self.from_,
            self.to,
            self.agent_id,
            self.at,
            self.duration_seconds,
            self.recording_url,
        )


class TakenOut(BaseModel):
    outcome: Outcome
    duplicate: bool


@router.post("/cti/events", responses={401: PROBLEM, 422: PROBLEM, 503: PROBLEM})
async def cti_event(request: Request, event: CallEventIn) -> TakenOut:
    """A call event from the phone system (`X-Cti-Timestamp`, `X-Cti-Signature`); replays change nothing."""
    settings: AutomationSettings = request.app.state.settings
    headers = request.headers
    signing.verify(
        settings.cti_secret,
        headers.get("x-cti-timestamp", ""),
        headers.get("x-cti-signature", ""),
        await request.body(),
        settings.cti_tolerance_seconds,
    )
    services = request.app.state.engine.services
    command = event.command()
    taken = await ledger.take(
        request.app.state.db,
        Connector.TELEPHONY,
        f"{command.call_id}:{command.event}",
        f"call.{command.event}",
        lambda uow: telephony.take(uow, services, command),
    )
    return TakenOut(outcome=taken.outcome, duplicate=taken.duplicate)
