"""Lockout after repeated failed sign-ins, per account and per source address, kept in PostgreSQL.

Every attempt is reserved before its password is checked and counts until it succeeds, in a sliding
window: a burst of concurrent guesses gets no more tries than a slow one, and any replica sees the
same counts. A transaction-scoped advisory lock per key serialises the counting.

The ledger commits on its own, apart from the request's transaction: a reserved attempt must count
while its password is checked, and a failed one must stay counted although the sign-in fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import DomainError
from identity.auth.models import LoginAttempt, LoginThrottle
from identity.settings import IdentitySettings
from identity.transactions import apart

PURGE_BATCH = 500


class AccountLocked(DomainError):
    code, status, key = "ACCOUNT_LOCKED", 423, "account_locked"

    def __init__(self, until: dt.datetime) -> None:
        seconds = max(1, int((until - utcnow()).total_seconds()))
        super().__init__(minutes=max(1, -(-seconds // 60)), retryAfterSeconds=seconds)


@dataclass(frozen=True)
class Attempt:
    """A reserved attempt: the keys it counts against and the rows that count it."""

    keys: tuple[str, str]  # (account key, address key)
    ids: tuple[uuid.UUID, ...]


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


async def clear_account(uow: UnitOfWork, email: str) -> None:
    """Forget an account's failures and lift its lock (after it proved who it is)."""
    key = f"account:{email}"
    await uow.session.execute(delete(LoginAttempt).where(col(LoginAttempt.key) == key))
    await uow.session.execute(delete(LoginThrottle).where(col(LoginThrottle.key) == key))


class Lockout:
    def __init__(self, account_limit: int, address_limit: int, window: dt.timedelta) -> None:
        self.limits = {"account": account_limit, "ip": address_limit}
        self.window = window

    @classmethod
    def of(cls, settings: IdentitySettings) -> Lockout:
        window = dt.timedelta(minutes=settings.lockout_minutes)
        return cls(settings.lockout_account_failures, settings.lockout_address_failures, window)

    async def begin(self, request: UnitOfWork, email: str, address: str) -> Attempt:
        """Reserve an attempt, or refuse while a lock holds or attempts in flight used up the allowance."""
        keys = (f"account:{email}", f"ip:{address}")
        async with apart(request) as uow:
            await self._serialise(uow, keys)
            await self._purge(uow)
            until = max([u for k in keys if (u := await self._lock_if_due(uow, k))], default=None)
            rows = [] if until else [LoginAttempt(key=k) for k in keys]
            uow.session.add_all(rows)
        if until is not None:
            raise AccountLocked(until)
        return Attempt(keys, tuple(r.id for r in rows))

    async def failed(self, request: UnitOfWork, attempt: Attempt) -> None:
        """The attempt stays counted; reaching a limit locks that key for one window."""
        async with apart(request) as uow:
            await self._serialise(uow, attempt.keys)
            for key in attempt.keys:
                await self._lock_if_due(uow, key)

    async def succeeded(self, uow: UnitOfWork, attempt: Attempt) -> None:
        """A successful sign-in resets the account's count (with the sign-in); the address keeps its other failures."""
        account = attempt.keys[0]
        await uow.session.execute(
            delete(LoginAttempt).where(or_(col(LoginAttempt.key) == account, col(LoginAttempt.id).in_(attempt.ids)))
        )
        await uow.session.execute(delete(LoginThrottle).where(col(LoginThrottle.key) == account))

    async def release(self, request: UnitOfWork, attempt: Attempt) -> None:
        """Uncount an attempt that neither failed nor succeeded (a second factor was still missing)."""
        async with apart(request) as uow:
            await uow.session.execute(delete(LoginAttempt).where(col(LoginAttempt.id).in_(attempt.ids)))

    async def _lock_if_due(self, uow: UnitOfWork, key: str) -> dt.datetime | None:
        """The time the key's lock ends, locking it now if its recent attempts reached the limit."""
        now = utcnow()
        lock = await uow.session.get(LoginThrottle, key)
        if lock is not None and lock.locked_until is not None and lock.locked_until > now:
            return lock.locked_until
        recent = (col(LoginAttempt.key) == key, col(LoginAttempt.at) > now - self.window)
        count, first = (await uow.session.execute(select(func.count(), func.min(LoginAttempt.at)).where(*recent))).one()
        if count < self.limits[key.partition(":")[0]]:
            return None
        until = now + self.window
        values = {"failures": count, "window_started_at": first, "locked_until": until}
        await uow.session.execute(
            insert(LoginThrottle).values(key=key, **values).on_conflict_do_update(index_elements=["key"], set_=values)
        )
        await audit.record(
            uow, "auth.locked", "LoginThrottle", key, detail={"failures": count, "lockedUntil": until.isoformat()}
        )
        return until

    async def _serialise(self, uow: UnitOfWork, keys: tuple[str, ...]) -> None:
        # always in the same order, so two attempts sharing a key never deadlock
        for lock_id in sorted(_lock_id(k) for k in keys):
            await uow.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})

    async def _purge(self, uow: UnitOfWork) -> None:
        """Drop attempts and locks that no longer count, a batch at a time, never waiting on others."""
        cutoff = utcnow() - self.window
        old = select(col(LoginAttempt.id)).where(col(LoginAttempt.at) < cutoff).limit(PURGE_BATCH)
        await uow.session.execute(
            delete(LoginAttempt).where(col(LoginAttempt.id).in_(old.with_for_update(skip_locked=True)))
        )
        done = select(col(LoginThrottle.key)).where(col(LoginThrottle.locked_until) < utcnow()).limit(PURGE_BATCH)
        await uow.session.execute(
            delete(LoginThrottle).where(col(LoginThrottle.key).in_(done.with_for_update(skip_locked=True)))
        )
