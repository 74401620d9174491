"""What a request sent again under its `Idempotency-Key` already made, known from its own transaction.

The idempotency middleware stores a request's answer after it was sent. A process killed between
the create's commit and that record leaves the key unanswered; once its lease ends, the client's
retry runs again and would meet its own first result as a duplicate. So each create records the
entity it made under the request's key in the create's own transaction (`Step.made`), and the run
that comes again finds it (`Step.done`) and answers with that entity instead. Creates are counted
per kind within a request, so a request making two of a kind finds each again in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from crm_shared.db.engine import UnitOfWork, utcnow


class IdempotencyEffect(SQLModel, table=True):
    __tablename__ = "idempotency_effects"

    caller: str = Field(primary_key=True, max_length=200)
    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(primary_key=True, max_length=50)
    seq: int = Field(primary_key=True)
    entity_id: uuid.UUID
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True))


@dataclasses.dataclass
class _Request:
    caller: str
    key: str
    counts: Counter[str] = dataclasses.field(default_factory=Counter)


_current: ContextVar[_Request | None] = ContextVar("idempotent_request", default=None)


@contextmanager
def under_key(caller: str, key: str) -> Iterator[None]:
    """Run a request holding its `Idempotency-Key` (the middleware does, once it claimed the key)."""
    token = _current.set(_Request(caller, key))
    try:
        yield
    finally:
        _current.reset(token)


@dataclasses.dataclass
class Step:
    """One create within a request: `done` is what an earlier run of it made, `made` records this run's."""

    uow: UnitOfWork
    request: _Request | None
    kind: str
    seq: int
    done: uuid.UUID | None

    def made(self, entity_id: uuid.UUID) -> None:
        if self.request is not None:
            self.uow.session.add(
                IdempotencyEffect(
                    caller=self.request.caller, key=self.request.key, kind=self.kind, seq=self.seq, entity_id=entity_id
                )
            )


async def step(uow: UnitOfWork, kind: str) -> Step:
    """The next create of `kind` in this request, with what an earlier run of the request made for it."""
    request = _current.get()
    if request is None:
        return Step(uow, None, kind, 0, None)
    request.counts[kind] += 1
    seq = request.counts[kind]
    earlier = await uow.session.get(IdempotencyEffect, (request.caller, request.key, kind, seq))
    return Step(uow, request, kind, seq, earlier.entity_id if earlier else None)
