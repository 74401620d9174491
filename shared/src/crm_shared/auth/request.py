"""Authenticate an HTTP request from its bearer token with the app's TokenVerifier."""

from __future__ import annotations

from fastapi import Request

from crm_shared.auth.jwks import TokenVerifier, bearer_token
from crm_shared.auth.principal import Principal
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.context import current_principal, current_token
from crm_shared.errors import DomainError, TooManyRequests, Unauthenticated


async def authenticate(request: Request) -> tuple[Principal | None, DomainError | None]:
    """The caller, or the reason there is none; open operations decide whether they need one.

    A caller over its rate (`CRM_RATE_LIMIT_PER_MINUTE`) is refused with TOO_MANY_REQUESTS.
    """
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return None, Unauthenticated()
    verifier: TokenVerifier = request.app.state.verifier
    try:
        principal = await verifier.verify(token)
    except DomainError as exc:
        return None, exc
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    wait = limiter.admit(principal.user_id) if limiter is not None else None
    if wait is not None:
        return None, TooManyRequests(retryAfterSeconds=wait)
    current_principal.set(principal)
    current_token.set(token)
    return principal, None


async def require_principal(request: Request) -> Principal:
    principal, error = await authenticate(request)
    if principal is None:
        raise error or Unauthenticated()
    return principal
