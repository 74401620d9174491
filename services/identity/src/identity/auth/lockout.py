"""Lockout after repeated failed sign-ins, per account and per source address, kept in PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from crm_shared import audit
from crm_shared.db import Database, utcnow
from crm_shared.errors import DomainError
from identity.auth.models import LoginThrottle


class AccountLocked(DomainError):
    code, status, key = "ACCOUNT_LOCKED", 423, "account_locked"

    def __init__(self, until: dt.datetime) -> None:
        seconds = max(1, int((until - utcnow()).total_seconds()))
        super().__init__(minutes=max(1, -(-seconds // 60)), retryAfterSeconds=seconds)


class Lockout:
    def __init__(self, db: Database, account_limit: int, address_limit: int, window: dt.timedelta) -> None:
        self.db = db
        self.limits = {"account": account_limit, "ip": address_limit}
        self.window = window

    async def check(self, email: str, address: str) -> None:
        """Refuse before the password is even checked while either lock holds."""
        async with self.db.read() as session:
            rows = await session.scalars(
                select(LoginThrottle).where(LoginThrottle.key.in_([f"account:{email}", f"ip:{address}"]))
            )  # type: ignore[attr-defined]
            locks = [r.locked_until for r in rows.all() if r.locked_until and r.locked_until > utcnow()]
        if locks:
            raise AccountLocked(max(locks))

    async def failed(self, email: str, address: str) -> None:
        """Count a failure against both keys; reaching a limit locks for one window."""
        now = utcnow()
        async with self.db.unit_of_work() as uow:
            for kind, value in (("account", email), ("ip", address)):
                key = f"{kind}:{value}"
                row = await uow.session.get(LoginThrottle, key, with_for_update=True)
                if row is None:
                    row = LoginThrottle(key=key, failures=0, window_started_at=now)
                    uow.session.add(row)
                if row.window_started_at < now - self.window:
                    row.failures, row.window_started_at, row.locked_until = 0, now, None
                row.failures += 1
                if row.failures >= self.limits[kind] and not row.locked_until:
                    row.locked_until = now + self.window
                    await audit.record(
                        uow, "auth.locked", "LoginThrottle", key, detail={"failures": row.failures}
                    )

    async def succeeded(self, email: str) -> None:
        async with self.db.unit_of_work() as uow:
            await uow.session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"account:{email}"))
