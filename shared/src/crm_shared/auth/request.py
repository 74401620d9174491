"""Authenticate an HTTP request: its bearer token verified, then checked against the user directory."""

from __future__ import annotations

from fastapi import Request

from crm_shared.auth.jwks import TokenVerifier, bearer_token
from crm_shared.auth.principal import Principal
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.auth.revocation import Revocations
from crm_shared.context import current_principal, current_token
from crm_shared.errors import DomainError, TooManyRequests, Unauthenticated
from crm_shared.events.faults import is_transient


async def authenticate(request: Request) -> tuple[Principal | None, Exception | None]:
    """The caller, or the reason there is none; open operations decide whether they need one.

    A caller over its rate (`CRM_RATE_LIMIT_PER_MINUTE`) is refused with TOO_MANY_REQUESTS before
    the directory is consulted. A database outage while consulting it is a reason too: the operation
    answers SERVICE_UNAVAILABLE, as it would have a moment later, rather than trusting the token unchecked.
    """
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return None, Unauthenticated()
    verifier: TokenVerifier = request.app.state.verifier
    revocations: Revocations = request.app.state.revocations
    try:
        principal = await verifier.verify(token)
    except DomainError as exc:
        return None, exc
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    wait = limiter.admit(principal.user_id) if limiter is not None else None
    if wait is not None:
        return None, TooManyRequests(retryAfterSeconds=wait)
    try:
        await revocations.check(principal)  # deactivated, or grants changed since the token was issued
    except DomainError as exc:
        return None, exc
    except Exception as exc:
        if not is_transient(exc):
            raise
        return None, exc
    current_principal.set(principal)
    current_token.set(token)
    return principal, None


async def still_authenticated(request: Request) -> Principal:
    """The caller of a response that outlasts its request (a stream) once more, as a new request with its token
    would be told: UNAUTHENTICATED once the token expired or its key was retired, or its user was deactivated or had
    their grants changed since it was issued. Not counted against the caller's rate: it is not a request of theirs."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise Unauthenticated()
    verifier: TokenVerifier = request.app.state.verifier
    revocations: Revocations = request.app.state.revocations
    principal = await verifier.verify(token)
    await revocations.check(principal)
    return principal


async def require_principal(request: Request) -> Principal:
    principal, error = await authenticate(request)
    if principal is None:
        raise error or Unauthenticated()
    return principal
