"""The caller of the request being served, for code far from the transport (audit records)."""

from contextvars import ContextVar

from crm_shared.auth.principal import Principal

current_principal: ContextVar[Principal | None] = ContextVar("current_principal", default=None)
