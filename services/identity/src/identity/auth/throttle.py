"""Throttling of what a stolen session or a stranger could repeat: password changes, TOTP codes, reset mails.

Each attempt counts per person (user or email address) and per source address in a sliding window,
on the same ledger as sign-in attempts and, like them, committed apart from the request: a refused
or failed attempt stays counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.addresses import bucket
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import TooManyRequests
from identity.auth.lockout import serialise
from identity.auth.models import LoginAttempt
from identity.settings import IdentitySettings
from identity.transactions import apart


class Throttled(TooManyRequests):
    key = "too_many_attempts"

    def __init__(self, until: dt.datetime) -> None:
        seconds = max(1, int((until - utcnow()).total_seconds()))
        super().__init__(minutes=max(1, -(-seconds // 60)), retryAfterSeconds=seconds)


@dataclass(frozen=True)
class Throttle:
    per_person: int
    per_address: int
    window: dt.timedelta

    @classmethod
    def of(cls, settings: IdentitySettings) -> Throttle:
        window = dt.timedelta(minutes=settings.throttle_minutes)
        return cls(settings.throttle_per_person, settings.throttle_per_address, window)

    async def count(self, request: UnitOfWork, action: str, person: str, address: str) -> None:
        """Count one `action` by `person` from `address`, or refuse it while either has used up its allowance."""
        limits = {f"{action}:{person}": self.per_person, f"{action}@{bucket(address)}": self.per_address}
        async with apart(request) as uow:
            await serialise(uow, limits)
            now, until = utcnow(), None
            for key, limit in limits.items():
                recent = (col(LoginAttempt.key) == key, col(LoginAttempt.at) > now - self.window)
                query = select(func.count(), func.min(LoginAttempt.at)).where(*recent)
                count, first = (await uow.session.execute(query)).one()
                if count >= limit:
                    until = max(until or first + self.window, first + self.window)
            if until is None:
                uow.session.add_all([LoginAttempt(key=key) for key in limits])
        if until is not None:
            raise Throttled(until)
