"""Calls to the other services as automation's service account, each carrying an `Idempotency-Key`
derived from the run and the step, so a step retried after a crash gets the first answer, not a second effect."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from crm_shared.config import PlatformSettings
from crm_shared.http import outgoing

TokenSource = Callable[[], Awaitable[str]]
PERMANENT = {"BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "UNAUTHENTICATED", "GRAPHQL_VALIDATION_FAILED"}


def traceparent(run: uuid.UUID) -> str:
    """The W3C trace context of a run's calls: the run's id is the trace's, which the services continue into the
    events the call causes (`CloudEvent.traceparent`), so that a run those events start knows the run behind it."""
    return f"00-{run.hex}-{secrets.token_hex(8)}-01"


def caused_by(traceparent: str | None) -> uuid.UUID | None:
    """The run whose call an event's trace continues: the trace's id read as a run's id (another trace's names none)."""
    parts = (traceparent or "").split("-")
    try:
        return uuid.UUID(hex=parts[1]) if len(parts) == 4 and len(parts[1]) == 32 else None
    except ValueError:
        return None


class StepFailed(Exception):
    """A step that did not happen; `retry` when trying again later may succeed (an outage)."""

    def __init__(self, message: str, retry: bool = True, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message[:2000])
        self.retry = retry
        self.extensions = extensions or {}  # the service's error extensions (code, field), to relay to a caller


class Unavailable(StepFailed, ConnectionError):
    """The service was out of reach or answered an outage. A step tries again later; an event handler's
    consumer, seeing a connection error, backs off and retries the event instead of dead-lettering it."""


class ApiKeyToken:
    """An access token for the service account, exchanged at identity and kept until shortly before it expires."""

    def __init__(self, identity_url: str, api_key: str, timeout: float = 5.0) -> None:
        self.url = identity_url.rstrip("/") + "/api/v1/auth/token"
        self.api_key, self.timeout = api_key, timeout
        self._token, self._until = "", 0.0

    async def __call__(self) -> str:
        if time.monotonic() < self._until:
            return self._token
        async with outgoing.client(self.timeout) as client:
            response = await client.post(self.url, json={"api_key": self.api_key})
        response.raise_for_status()
        body = response.json()
        self._token, self._until = body["access_token"], time.monotonic() + int(body["expires_in"]) - 30
        return self._token


class Services:
    """GraphQL of the suite's services, by name, as the service account."""

    def __init__(self, platform: PlatformSettings, token: TokenSource | None, timeout: float = 10.0) -> None:
        self.platform, self.token, self.timeout = platform, token, timeout

    async def mutate(
        self,
        service: str,
        query: str,
        variables: dict[str, Any],
        key: str | None,
        *,
        token: str | None = None,
        language: str | None = None,
        run: uuid.UUID | None = None,
    ) -> dict[str, Any]:
        """A call as the service account (or as the user whose `token` is given); reads need no `key`. A workflow
        run's call carries the run as its trace (`traceparent`)."""
        url = self.platform.service_url(service)
        if not url or (self.token is None and token is None):
            raise StepFailed(f"{service} is not reachable: no address or no service-account key configured")
        try:
            bearer = token if token is not None else (await self.token() if self.token else "")
            headers = {"Authorization": f"Bearer {bearer}"}
            headers |= {"Idempotency-Key": key} if key else {}
            headers |= {"Accept-Language": language} if language else {}
            headers |= {"traceparent": traceparent(run)} if run else {}
            async with outgoing.client(self.timeout) as client:
                response = await client.post(
                    url.rstrip("/") + "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
        except httpx.HTTPError as exc:
            raise Unavailable(f"{service}: {type(exc).__name__} {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise Unavailable(f"{service} answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise StepFailed(f"{service} answered {response.status_code} without JSON", retry=False) from exc
        if body.get("errors"):
            error = body["errors"][0]
            code = str(error.get("extensions", {}).get("code", ""))
            message = str(error.get("message", ""))
            extensions = dict(error.get("extensions") or {}) | {"message": message}
            failure = Unavailable if code == "SERVICE_UNAVAILABLE" else StepFailed
            raise failure(f"{service}: {code} {message}".strip(), code not in PERMANENT, extensions)
        data: dict[str, Any] = body.get("data") or {}
        return data
