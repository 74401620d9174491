"""Write load through the gateway: demo users creating accounts, contacts, leads and opportunities.

Each client behaves as a well-kept client should: every mutation carries its own Idempotency-Key and
is sent again with the same key after a network error or a retryable answer (SERVICE_UNAVAILABLE,
or the first request with the key still being processed), waiting what the answer asks. Every
acknowledged write is kept in the ledger, so the databases can be checked against it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import time
import uuid
from typing import Any

import httpx

LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
CREATE = {
    "account": "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
    "contact": "mutation($i: ContactFields!) { createContact(input: $i) { id } }",
    "lead": "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
    "opportunity": "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
}
CLIENTS = ("rep1@example.com", "rep2@example.com", "manager@example.com")
RETRY_FOR = 120.0  # seconds a client keeps retrying one mutation before it reports a failure
PAUSE = 0.05  # between one client's rounds, so the machine keeps breath for the faults


class Retry(Exception):
    """An answer that asks to be sent again: the suite, or part of it, is not there right now."""

    def __init__(self, reason: str, after: float = 0.5) -> None:
        super().__init__(reason)
        self.after = after


class Refused(Exception):
    """An answer that will not change by sending again: the request itself is refused."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclasses.dataclass
class Write:
    kind: str
    name: str
    key: str
    account: str | None = None  # the account a contact or an opportunity is on
    id: str | None = None
    acknowledged_at: float | None = None  # time.monotonic()
    error: str | None = None
    code: str | None = None  # the error code of a refused write
    retries: int = 0


@dataclasses.dataclass
class Ledger:
    writes: list[Write] = dataclasses.field(default_factory=list)

    def acknowledged(self, kind: str) -> list[Write]:
        return [w for w in self.writes if w.kind == kind and w.id is not None]

    def failed(self) -> list[Write]:
        return [w for w in self.writes if w.error is not None]


def lead(name: str) -> dict[str, str]:
    """A lead needs a way to reach it; each one's own, so none is a duplicate of another."""
    return {"company": f"{name}公司", "contactName": name, "email": f"{name.encode().hex()}@example.com"}


class Load:
    """Concurrent clients writing until stopped; `rounds` counts the completed rounds."""

    def __init__(self, gateway: str, clients: tuple[str, ...] = CLIENTS, password: str = "crm-demo") -> None:
        self.gateway = gateway
        self.clients = clients
        self.password = password
        self.ledger = Ledger()
        self.rounds = 0
        self.acks = 0  # writes acknowledged so far
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(20, connect=3))

    async def start(self) -> None:
        tokens = [await self.login(email) for email in self.clients]
        self._tasks = [asyncio.create_task(self._client(token)) for token in tokens]

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        await self._http.aclose()

    async def login(self, email: str) -> str:
        body = await self._send(LOGIN, {"i": {"email": email, "password": self.password}}, None, None)
        return str(body["login"]["accessToken"])

    async def _client(self, token: str) -> None:
        while not self._stop.is_set():
            tag = secrets.token_hex(4)
            account = await self._write(token, "account", f"混沌{tag}有限公司", lambda n: {"name": n, "level": "B"})
            if account is not None:
                await self._write(
                    token, "contact", f"联系人{tag}", lambda n: {"name": n, "accountId": account}, account
                )
                # the account was created a moment ago: sales must accept it at once
                await self._write(
                    token, "opportunity", f"商机{tag}", lambda n: {"name": n, "accountId": account}, account
                )
            await self._write(token, "lead", f"线索{tag}", lead)
            self.rounds += 1
            await asyncio.sleep(PAUSE)

    async def _write(self, token: str, kind: str, name: str, fields: Any, account: str | None = None) -> str | None:
        write = Write(kind, name, key=str(uuid.uuid4()), account=account)
        self.ledger.writes.append(write)
        deadline = asyncio.get_running_loop().time() + RETRY_FOR
        while True:
            try:
                body = await self._send(CREATE[kind], {"i": fields(name)}, token, write.key)
                write.id = str(next(iter(body.values()))["id"])
                write.acknowledged_at = time.monotonic()
                self.acks += 1
                return write.id
            except Retry as retry:
                write.retries += 1
                if asyncio.get_running_loop().time() > deadline:
                    write.error = str(retry)
                    return None
                await asyncio.sleep(retry.after)
            except Refused as refused:
                write.error, write.code = str(refused), refused.code
                return None
            except Exception as exc:
                write.error = f"{type(exc).__name__}: {exc}"
                return None

    async def _send(self, query: str, variables: dict[str, Any], token: str | None, key: str | None) -> Any:
        headers = {"Accept-Language": "en"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        try:
            response = await self._http.post(
                self.gateway, json={"query": query, "variables": variables}, headers=headers
            )
        except httpx.TransportError as exc:
            raise Retry(f"network: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise Retry(f"HTTP {response.status_code}")
        body = response.json()
        for error in body.get("errors") or ():
            extensions = error.get("extensions") or {}
            if extensions.get("code") == "SERVICE_UNAVAILABLE":
                raise Retry(error.get("message", ""), float(extensions.get("retryAfterSeconds", 1)))
            if extensions.get("code") == "CONFLICT" and extensions.get("field") == "Idempotency-Key":
                raise Retry("the first request with this key is still being processed", 1)
            raise Refused(str(extensions.get("code")), str(error.get("message")))
        return body["data"]
