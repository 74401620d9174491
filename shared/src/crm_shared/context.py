"""Request-scoped values for code far from the transport (audit records, logs)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm_shared.auth.principal import Principal

request_id: ContextVar[str] = ContextVar("request_id", default="")
current_principal: ContextVar[Principal | None] = ContextVar("current_principal", default=None)
# the caller's bearer token, for reads a service makes from another on the caller's behalf
current_token: ContextVar[str | None] = ContextVar("current_token", default=None)
