"""Request-scoped values for code far from the transport (audit records, logs)."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm_shared.auth.principal import Principal

# the id this service gave the request; never a value the client chose
request_id: ContextVar[str] = ContextVar("request_id", default="")
# the id the client sent (X-Request-Id), sanitised and kept apart, for correlating with its own logs
client_request_id: ContextVar[str | None] = ContextVar("client_request_id", default=None)
current_principal: ContextVar[Principal | None] = ContextVar("current_principal", default=None)
# the caller's bearer token, for reads a service makes from another on the caller's behalf
current_token: ContextVar[str | None] = ContextVar("current_token", default=None)
# what this request read from the user directory (a team's members, an owner's unit), as it is read: a
# dashboard's lists, resolved at once, read a team once; the next request reads it again, so a move
# between units shows at once (see `auth.directory.once_a_request`)
directory_reads: ContextVar[dict[Hashable, asyncio.Future[Any]] | None] = ContextVar("directory_reads", default=None)
