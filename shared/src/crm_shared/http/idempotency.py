"""`Idempotency-Key` on POST: a retried request gets the first response instead of a second effect.

Keys belong to one caller: the verified principal's user id, or for an anonymous caller its address
together with the request itself, so nobody else's key can be replayed. The record holds a keyed
hash of the request (a reused key with another request answers 422) and the response encrypted
under the field key. A response marked `Cache-Control: no-store` (tokens, new secrets: see
`crm_shared.graphql.ReturnsSecret` and `no_store`) is never kept, so a retried sign-in or refresh
runs again (and a refresh token used twice trips its reuse detection) instead of being replayed.
The answer is stored before it is sent, so a client retrying the moment it has it is answered the
same (in a database outage it is sent at once and stored once the database is back). A claim names
the process that made it (`KeyHolder`), and each process says every `HEARTBEAT` that it is alive: a
request whose process died before its answer was stored (a crash, a kill) runs again once that
process has been silent for `SILENT`, or in any case after `LEASE`; its creates then find what the
first run made (`crm_shared.db.effects`). Records live `CRM_IDEMPOTENCY_RETENTION_MINUTES`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import uuid
from typing import Any

from fastapi import Request, Response
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import Column, DateTime, LargeBinary, delete, exists, or_, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlmodel import Field, SQLModel, col
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_exponential

from crm_shared.addresses import client_address
from crm_shared.auth.jwks import bearer_token
from crm_shared.config import PlatformSettings
from crm_shared.crypto import lookup_hash, seal, unseal
from crm_shared.db.effects import IdempotencyEffect, under_key
from crm_shared.db.engine import Database, utcnow
from crm_shared.errors import DomainError, TooLarge
from crm_shared.events.faults import describe, is_transient
from crm_shared.http.problems import answer, refusal, unavailable
from crm_shared.http.uploads import read_body
from crm_shared.i18n import negotiate, translate

log = logging.getLogger(__name__)
HEADER = b"idempotency-key"
# a request still unanswered after this long is taken over by a retry whatever its process says: as long
# as the statement timeout, so that a slow first attempt is not run twice
LEASE = dt.timedelta(seconds=30)
# each process writes that it is alive this often; one silent this long died (a crash, a kill), and a
# retry takes over the keys it held instead of being told until the lease ends that they are in progress
HEARTBEAT = dt.timedelta(seconds=2)
SILENT = dt.timedelta(seconds=10)
# response headers worth replaying; anything else (cookies above all) is not kept
KEPT_HEADERS = {"content-type", "location", "retry-after"}
# a key as clients make them (a UUID, a hash): visible ASCII, at most 200 bytes; anything else is refused, never cut
KEY = re.compile(rb"[\x21-\x7e]{1,200}")
TITLE = "Bad User Input"


def no_store(response: Response) -> None:
    """A REST route's dependency for answers that carry secrets: never stored, never replayed."""
    response.headers["Cache-Control"] = "no-store"


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_keys"

    key: str = Field(primary_key=True, max_length=200)
    caller: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    holder: uuid.UUID | None = None  # the process running the request (`KeyHolder`)
    status: int | None = None
    headers: list[Any] | None = Field(default=None, sa_column=Column(JSONB))
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class IdempotencyHolder(SQLModel, table=True):
    """A process that claims keys, and when it last said it was alive."""

    __tablename__ = "idempotency_holders"

    id: uuid.UUID = Field(primary_key=True)
    beat_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class KeyHolder:
    """This process as the holder of the keys it claims: its heartbeat tells the other processes, and itself
    after a restart under a new id, whether a request still in progress has anyone running it."""

    def __init__(self, db: Database, platform: PlatformSettings) -> None:
        self.db = db
        self.retention = dt.timedelta(minutes=platform.idempotency_retention_minutes)
        self.id = uuid.uuid4()

    async def run(self) -> None:
        """Beat until cancelled; a database outage only delays a beat (a silence that long is an outage anyway)."""
        while True:
            try:
                await self.beat()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("idempotency heartbeat missed: %s", describe(exc))
            await asyncio.sleep(HEARTBEAT.total_seconds())

    async def beat(self) -> None:
        async with self.db.unit_of_work() as uow:
            now = utcnow()
            await uow.session.execute(
                insert(IdempotencyHolder)
                .values(id=self.id, beat_at=now)
                .on_conflict_do_update(index_elements=["id"], set_={"beat_at": now})
            )
            await uow.session.execute(
                delete(IdempotencyHolder).where(col(IdempotencyHolder.beat_at) < now - self.retention)
            )


class IdempotencyMiddleware:
    """Stores the first response to each (caller, key); replays it for the same request, refuses a different one."""

    def __init__(self, app: ASGIApp, db: Database, platform: PlatformSettings, holder: KeyHolder) -> None:
        self.app = app
        self.db = db
        self.holder = holder
        self.retention = dt.timedelta(minutes=platform.idempotency_retention_minutes)
        self.max_body = platform.upload_max_bytes  # the body is held in memory to be hashed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        raw = headers.get(HEADER, b"")
        if scope["type"] != "http" or scope["method"] != "POST" or not raw:
            await self.app(scope, receive, send)
            return
        if not KEY.fullmatch(raw):
            locale = negotiate(headers.get(b"accept-language", b"").decode(errors="replace"))
            detail = translate("idempotency_key_invalid", locale)
            refused = answer(scope["path"], 422, TITLE, "BAD_USER_INPUT", detail, field="Idempotency-Key")
            await refused(scope, receive, send)
            return
        key = raw.decode()
        try:
            body = await read_body(headers, receive, self.max_body)
        except TooLarge as error:
            await refusal(error)(scope, receive, send)
            return

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        if scope["path"].endswith("/graphql") and not _is_mutation(body):
            # the gateway forwards the client's key to every subgraph call of the operation, the entity
            # lookups that follow a mutation included: only the mutation itself is made idempotent
            await self.app(scope, replay_body, send)
            return
        digest = lookup_hash(scope["path"] + "\0" + body.decode(errors="replace")) or ""
        caller = await self._caller(scope, headers, digest)
        if caller is None:  # a token that does not verify: the request is refused further in, not remembered
            await self.app(scope, replay_body, send)
            return
        locale = negotiate(headers.get(b"accept-language", b"").decode())

        try:
            claimed = await self._claim(key, caller, digest)
        except Exception as exc:  # before the app's own error handling: answer an outage here
            if not is_transient(exc):
                raise
            log.warning("unavailable on %s %s: %s", scope["method"], scope["path"], describe(exc))
            await unavailable(scope["path"])(scope, receive, send)
            return
        if claimed is not None:
            await _replay(claimed, digest, locale, scope, receive, send)
            return

        captured: dict[str, Any] = {"body": b""}
        held: list[Message] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [[k.decode(), v.decode()] for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            held.append(message)

        try:
            with under_key(caller, key):
                await self.app(scope, replay_body, capture)
        except BaseException:
            await self._settle(key, caller, captured)
            raise
        # the answer leaves once it is stored: a client retrying the moment it has it gets it again, not
        # "still being processed"; in a database outage it leaves at once, and is stored once the database is back
        stored = await self._stored(key, caller, captured)
        for message in held:
            await send(message)
        if not stored:
            await self._settle(key, caller, captured)

    async def _caller(self, scope: Scope, headers: dict[bytes, bytes], digest: str) -> str | None:
        token = bearer_token(headers.get(b"authorization", b"").decode(errors="replace") or None)
        if token is not None:
            try:
                principal = await scope["app"].state.verifier.verify(token)
            except DomainError:
                return None
            return f"user:{principal.user_id}"
        return f"anonymous:{lookup_hash(client_address(Request(scope)) + chr(0) + digest)}"

    async def _claim(self, key: str, caller: str, digest: str) -> IdempotencyRecord | None:
        """None when this request is the first with the key; otherwise the stored record."""
        async with self.db.unit_of_work() as uow:
            expired = utcnow() - self.retention
            await uow.session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < expired))
            await uow.session.execute(delete(IdempotencyEffect).where(col(IdempotencyEffect.created_at) < expired))
            now, holder = utcnow(), self.holder.id
            inserted = await uow.session.execute(
                insert(IdempotencyRecord)
                .values(key=key, caller=caller, request_hash=digest, holder=holder, created_at=now)
                .on_conflict_do_nothing()
                .returning(text("1"))
            )
            if inserted.first() is not None:
                return None
            alive = exists(
                select(col(IdempotencyHolder.id)).where(
                    col(IdempotencyHolder.id) == col(IdempotencyRecord.holder),
                    col(IdempotencyHolder.beat_at) >= now - SILENT,
                )
            )
            started = col(IdempotencyRecord.created_at)
            abandoned = await uow.session.execute(
                update(IdempotencyRecord)
                .where(
                    col(IdempotencyRecord.key) == key,
                    col(IdempotencyRecord.caller) == caller,
                    col(IdempotencyRecord.request_hash) == digest,
                    col(IdempotencyRecord.status).is_(None),
                    or_(started < now - LEASE, (started < now - SILENT) & ~alive),
                )
                .values(holder=holder, created_at=now)
                .returning(text("1"))
            )
            if abandoned.first() is not None:
                return None
            return await uow.session.get(IdempotencyRecord, (key, caller))

    async def _stored(self, key: str, caller: str, captured: dict[str, Any]) -> bool:
        """Record the answer at once; False in a database outage (`_settle` waits it out)."""
        try:
            await self._finish(key, caller, captured)
        except Exception as exc:
            if not is_transient(exc):
                raise
            return False
        return True

    async def _settle(self, key: str, caller: str, captured: dict[str, Any]) -> None:
        """Record the answer, waiting out a database outage (the answer has been sent already): a
        record left in progress would tell the client's retries "still running" until its lease ends."""
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_delay(LEASE.total_seconds()),
                wait=wait_exponential(multiplier=0.1, max=2),
                retry=retry_if_exception(is_transient),
                reraise=True,
            ):
                with attempt:
                    await self._finish(key, caller, captured)
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("idempotency key left to its lease: %s", describe(exc))

    async def _finish(self, key: str, caller: str, captured: dict[str, Any]) -> None:
        async with self.db.unit_of_work() as uow:
            record = await uow.session.get(IdempotencyRecord, (key, caller))
            if record is None:
                return
            headers = {k.lower(): v for k, v in captured.get("headers", [])}
            if (
                captured.get("status", 500) >= 500
                or _unavailable(captured["body"])
                or "no-store" in headers.get("cache-control", "")
            ):
                await uow.session.delete(record)  # a failure may be retried for real; a secret is never kept
            else:
                record.status = captured["status"]
                record.headers = [[k, v] for k, v in headers.items() if k in KEPT_HEADERS]
                record.body = seal(captured["body"])


def _unavailable(body: bytes) -> bool:
    """Whether a GraphQL answer (HTTP 200) says SERVICE_UNAVAILABLE: its unit of work rolled back, so
    the retry the answer asks for must run again, not be given this answer back."""
    try:
        errors = json.loads(body).get("errors") or []
    except (ValueError, AttributeError):
        return False
    return any((e.get("extensions") or {}).get("code") == "SERVICE_UNAVAILABLE" for e in errors if isinstance(e, dict))


def _is_mutation(body: bytes) -> bool:
    """Whether a GraphQL request runs a mutation; what cannot be read is left to GraphQL to refuse."""
    try:
        request = json.loads(body)
        document = parse(request["query"])
    except (ValueError, KeyError, TypeError, GraphQLError):
        return False
    name = request.get("operationName")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if name is None or (o.name is not None and o.name.value == name)]
    return len(chosen) == 1 and chosen[0].operation is OperationType.MUTATION


async def _replay(
    record: IdempotencyRecord, digest: str, locale: str, scope: Scope, receive: Receive, send: Send
) -> None:
    if record.request_hash != digest:
        status, detail = 422, translate("idempotency_mismatch", locale)
    elif record.status is None:
        status, detail = 409, translate("idempotency_in_progress", locale)
    else:
        headers = [(k.encode(), v.encode()) for k, v in record.headers or []] + [(b"idempotent-replayed", b"true")]
        await send({"type": "http.response.start", "status": record.status, "headers": headers})
        await send({"type": "http.response.body", "body": unseal(record.body) if record.body else b""})
        return
    code = "BAD_USER_INPUT" if status == 422 else "CONFLICT"
    response = answer(scope["path"], status, code.replace("_", " ").title(), code, detail, field="Idempotency-Key")
    await response(scope, receive, send)
