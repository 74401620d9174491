"""Request-scoped values for code far from the transport (audit records, logs)."""

from __future__ import annotations

import asyncio
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm_shared.auth.principal import Principal

# the id this service gave the request; never a value the client chose
request_id: ContextVar[str] = ContextVar("request_id", default="")
# the id the client sent (X-Request-Id), sanitised and kept apart, for correlating with its own logs
client_request_id: ContextVar[str | None] = ContextVar("client_request_id", default=None)
current_principal: ContextVar[Principal | None] = ContextVar("current_principal", default=None)
# the caller's bearer token, for reads a service makes from another on the caller's behalf
current_token: ContextVar[str | None] = ContextVar("current_token", default=None)
# the members of each set of organisation units this request's scope filters asked for, as they are read
# (None: the reading failed): a dashboard's lists, resolved at once, read a team once; the next request
# reads it again, so a move between units shows at once
Members = asyncio.Future[frozenset[uuid.UUID] | None]
unit_members: ContextVar[dict[frozenset[uuid.UUID], Members] | None] = ContextVar("unit_members", default=None)
