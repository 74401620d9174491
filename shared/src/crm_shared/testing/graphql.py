"""One test caller for every service: GraphQL and REST as a named persona, in process over ASGI.

Replaces the per-service `GraphQL` classes of the conftests with the same call shape:
`await gql(query, variables, as_)` returns the body, `gql.ok(...)` the data, `gql.error(...)` the
first error. A service subclasses it for its own builders (`account()`, `opportunity()`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self, TypeAlias

import httpx
from fastapi import FastAPI

from crm_shared.testing.tokens import Persona, TokenFactory

Caller: TypeAlias = str | Persona | None  # a persona by name, a persona, or anonymous


class GraphQLClient:
    """Calls `app` (no server, no lifespan) with the token `tokens` signs for a persona of `personas`."""

    def __init__(
        self,
        app: FastAPI,
        tokens: TokenFactory | None = None,
        personas: Mapping[str, Persona] | None = None,
        base_url: str = "http://test",
    ) -> None:
        self.app, self.tokens, self.personas = app, tokens, dict(personas or {})
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)

    def bearer(self, as_: Caller) -> dict[str, str]:
        """The Authorization header of a persona (by name or as given); none for an anonymous caller."""
        if as_ is None:
            return {}
        persona = as_ if isinstance(as_, Persona) else self.personas.get(as_)
        assert persona is not None, f"unknown persona {as_!r}; known: {', '.join(sorted(self.personas))}"
        assert self.tokens is not None, "a TokenFactory is needed to call as a persona"
        return {"Authorization": f"Bearer {self.tokens.token(persona)}"}

    async def __call__(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        as_: Caller = None,
        lang: str = "en",
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST /graphql as `as_` (or with a raw bearer `token`); asserts HTTP 200 and returns the body."""
        sent = {"Accept-Language": lang, **self.bearer(as_), **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}, headers=sent
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def ok(
        self, query: str, variables: Mapping[str, Any] | None = None, as_: Caller = "admin", lang: str = "en"
    ) -> dict[str, Any]:
        """The `data` of a call that must succeed."""
        body = await self(query, variables, as_, lang)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def error(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        as_: Caller = "admin",
        code: str | None = "FORBIDDEN",
        lang: str = "en",
    ) -> dict[str, Any]:
        """The first error of a call that must fail, with `extensions.code` equal to `code` (None: any)."""
        body = await self(query, variables, as_, lang)
        assert body.get("errors"), body
        first: dict[str, Any] = body["errors"][0]
        if code is not None:
            assert first.get("extensions", {}).get("code") == code, body
        return first

    async def rest(
        self,
        method: str,
        path: str,
        as_: Caller = "admin",
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        **options: Any,
    ) -> httpx.Response:
        """A REST call as `as_`; `options` go to httpx (params, files, content, ...). No status is asserted."""
        sent = {**self.bearer(as_), **(headers or {})}
        return await self.client.request(method, path, json=json, headers=sent, **options)

    async def publish(self) -> int:
        """Everything the app's outbox holds, onto the broker; returns how many events went out."""
        sent = 0
        while batch := await self.app.state.relay.publish_batch():
            sent += batch
        return sent

    async def run_schedule(self, name: str) -> None:
        """One run of the app's scheduled job `name`, as its runner would start it."""
        [schedule] = [s for s in self.app.state.schedules.schedules if s.name == name]
        assert await self.app.state.schedules.run_once(schedule), f"{name} did not run"

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()
