"""Lockout after repeated failed sign-ins, designed so that nobody can lock anyone else out.

Failures count in three ways, each in a sliding window kept in PostgreSQL:

- per account **and** source address (`pair`, 5): guessing one account's password from one place
  stops there, while the owner signs in from anywhere else;
- per source address (`ip`, 20; IPv6 by its /64): one place guessing many accounts stops there;
- per account from everywhere (`account`, 100): a distributed attack on one account. Then only
  *familiar* addresses (ones the account signed in from within `IDENTITY_FAMILIAR_DAYS`) may still
  try, as the large identity providers' "smart lockout" does, and a password reset lifts it.

A familiar address answers only for its own failures (its `pair`): neither a flood from elsewhere
nor a neighbour behind the same address locks its user out. The client address is the one the
platform resolved through trusted proxies, so a forged X-Forwarded-For neither escapes the
per-address count nor frames another address.

Every attempt is reserved before its password is checked, so a burst of concurrent guesses gets no
more tries than a slow one and any replica sees the same counts: while a key's failures and attempts
under way reach its limit, a further attempt is asked to retry in a moment. Only failures lock a key,
so an office whose people all sign in at nine behind one address is never locked out by its own
successes. A reservation left under way past `UNDER_WAY` (its request died) counts as a failure. A
transaction-scoped advisory lock per key serialises the counting. The ledger commits on its own, apart
from the request's transaction: a failed attempt must stay counted although the sign-in fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.addresses import bucket
from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import DomainError, TooManyRequests
from identity.auth.models import LoginAttempt, LoginSource, LoginThrottle
from identity.settings import IdentitySettings
from identity.transactions import apart

PURGE_BATCH = 500
UNDER_WAY = dt.timedelta(seconds=30)  # far longer than a password check takes


class AccountLocked(DomainError):
    code, status, key = "ACCOUNT_LOCKED", 423, "account_locked"

    def __init__(self, until: dt.datetime) -> None:
        seconds = max(1, int((until - utcnow()).total_seconds()))
        super().__init__(minutes=max(1, -(-seconds // 60)), retryAfterSeconds=seconds)


class SignInsUnderWay(TooManyRequests):
    """Retryable: the attempts under way from here may all succeed, and then nothing is locked."""

    key = "sign_ins_under_way"

    def __init__(self) -> None:
        super().__init__(retryAfterSeconds=1)


@dataclass(frozen=True)
class Limits:
    pair: int = 5  # one account from one address
    address: int = 20  # one address, any accounts
    account: int = 100  # one account from everywhere; then only familiar addresses may try


@dataclass(frozen=True)
class Attempt:
    """A reserved attempt: whose it is, the keys it counts against and the rows that count it."""

    email: str
    address: str
    keys: tuple[str, str, str]  # (pair, address, account)
    ids: tuple[uuid.UUID, ...]


def keys_of(email: str, address: str) -> tuple[str, str, str]:
    source = bucket(address)
    return f"pair:{email}|{source}", f"ip:{source}", f"account:{email}"


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


async def serialise(uow: UnitOfWork, keys: Iterable[str]) -> None:
    """Advisory locks on the keys, always in the same order, so two attempts sharing a key never deadlock."""
    for lock_id in sorted(_lock_id(k) for k in keys):
        await uow.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


async def recent_attempts(uow: UnitOfWork, key: str, window: dt.timedelta) -> tuple[int, dt.datetime | None]:
    """How many failed attempts the key counts within the sliding window, and when the first of them was."""
    now = utcnow()
    recent = (col(LoginAttempt.key) == key, col(LoginAttempt.at) > now - window)
    failed = or_(~col(LoginAttempt.under_way), col(LoginAttempt.at) <= now - UNDER_WAY)
    count, first = (
        await uow.session.execute(select(func.count(), func.min(LoginAttempt.at)).where(*recent, failed))
    ).one()
    return count, first


async def attempts_under_way(uow: UnitOfWork, key: str) -> int:
    now = utcnow()
    recent = (col(LoginAttempt.key) == key, col(LoginAttempt.under_way), col(LoginAttempt.at) > now - UNDER_WAY)
    return (await uow.session.execute(select(func.count()).where(*recent))).scalar_one()


def _source_hash(email: str, address: str) -> str:
    return lookup_hash(f"{email}|{bucket(address)}") or ""


def _of_account(key: Any, email: str) -> ColumnElement[bool]:
    return or_(key == f"account:{email}", key.startswith(f"pair:{email}|", autoescape=True))


async def clear_account(uow: UnitOfWork, email: str) -> None:
    """Forget an account's failures from everywhere and lift its locks (after it proved who it is)."""
    await uow.session.execute(delete(LoginAttempt).where(_of_account(col(LoginAttempt.key), email)))
    await uow.session.execute(delete(LoginThrottle).where(_of_account(col(LoginThrottle.key), email)))


class Lockout:
    def __init__(
        self,
        limits: Limits,
        window: dt.timedelta,
        familiar_for: dt.timedelta = dt.timedelta(days=90),
        retention: dt.timedelta | None = None,
    ) -> None:
        self.limits = {"pair": limits.pair, "ip": limits.address, "account": limits.account}
        self.window = window
        self.familiar_for = familiar_for
        self.retention = max(window, retention or window)  # other counters share the ledger

    @classmethod
    def of(cls, settings: IdentitySettings) -> Lockout:
        limits = Limits(
            settings.lockout_pair_failures, settings.lockout_address_failures, settings.lockout_account_failures
        )
        return cls(
            limits,
            dt.timedelta(minutes=settings.lockout_minutes),
            dt.timedelta(days=settings.familiar_days),
            dt.timedelta(minutes=settings.throttle_minutes),
        )

    async def begin(self, request: UnitOfWork, email: str, address: str) -> Attempt:
        """Reserve an attempt, or refuse while a lock that applies to this address holds."""
        keys = keys_of(email, address)
        async with apart(request) as uow:
            await serialise(uow, keys)
            await self._purge(uow)
            applies = keys[:1] if await self._familiar(uow, email, address) else keys
            until = max([u for k in applies if (u := await self._lock_if_due(uow, k))], default=None)
            busy = until is None and any([await self._full(uow, k) for k in applies])
            rows = [] if until or busy else [LoginAttempt(key=k, under_way=True) for k in keys]
            uow.session.add_all(rows)
        if until is not None:
            raise AccountLocked(until)
        if busy:
            raise SignInsUnderWay()
        return Attempt(email, address, keys, tuple(r.id for r in rows))

    async def failed(self, request: UnitOfWork, attempt: Attempt) -> None:
        """The attempt stays counted as a failure; reaching a limit locks that key for one window."""
        async with apart(request) as uow:
            await serialise(uow, attempt.keys)
            failed = update(LoginAttempt).where(col(LoginAttempt.id).in_(attempt.ids)).values(under_way=False)
            await uow.session.execute(failed)
            for key in attempt.keys:
                await self._lock_if_due(uow, key)

    async def succeeded(self, uow: UnitOfWork, attempt: Attempt) -> None:
        """The account's counts reset and the address becomes familiar; the address keeps its other failures."""
        pair, _, account = attempt.keys
        await uow.session.execute(
            delete(LoginAttempt).where(
                or_(col(LoginAttempt.key).in_((pair, account)), col(LoginAttempt.id).in_(attempt.ids))
            )
        )
        await uow.session.execute(delete(LoginThrottle).where(col(LoginThrottle.key).in_((pair, account))))
        values = {"last_seen_at": utcnow()}
        await uow.session.execute(
            insert(LoginSource)
            .values(key_hash=_source_hash(attempt.email, attempt.address), **values)
            .on_conflict_do_update(index_elements=["key_hash"], set_=values)
        )

    async def release(self, request: UnitOfWork, attempt: Attempt) -> None:
        """Uncount an attempt that neither failed nor succeeded (a second factor was still missing)."""
        async with apart(request) as uow:
            await uow.session.execute(delete(LoginAttempt).where(col(LoginAttempt.id).in_(attempt.ids)))

    async def _familiar(self, uow: UnitOfWork, email: str, address: str) -> bool:
        seen = await uow.session.get(LoginSource, _source_hash(email, address))
        return seen is not None and seen.last_seen_at > utcnow() - self.familiar_for

    async def _full(self, uow: UnitOfWork, key: str) -> bool:
        """Whether the key's failures and the attempts under way have used up its allowance."""
        failures, _ = await recent_attempts(uow, key, self.window)
        return failures + await attempts_under_way(uow, key) >= self.limits[key.partition(":")[0]]

    async def _lock_if_due(self, uow: UnitOfWork, key: str) -> dt.datetime | None:
        """The time the key's lock ends, locking it now if its recent attempts reached the limit."""
        now = utcnow()
        lock = await uow.session.get(LoginThrottle, key)
        if lock is not None and lock.locked_until is not None and lock.locked_until > now:
            return lock.locked_until
        count, first = await recent_attempts(uow, key, self.window)
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

    async def _purge(self, uow: UnitOfWork) -> None:
        """Drop attempts, locks and familiar addresses that no longer count, a batch at a time, never waiting."""
        now = utcnow()
        purges: list[tuple[type[Any], Any, Any, dt.datetime]] = [
            (LoginAttempt, LoginAttempt.id, LoginAttempt.at, now - self.retention),
            (LoginThrottle, LoginThrottle.key, LoginThrottle.locked_until, now),
            (LoginSource, LoginSource.key_hash, LoginSource.last_seen_at, now - self.familiar_for),
        ]
        for table, key, column, cutoff in purges:
            stale = select(col(key)).where(col(column) < cutoff).limit(PURGE_BATCH).with_for_update(skip_locked=True)
            await uow.session.execute(delete(table).where(col(key).in_(stale)))
