"""Throttling of what a stolen session or a stranger could repeat: password changes, TOTP codes, reset mails.

Each attempt counts per person (a user, or for reset mails an email address asked for from one source
address) and per source address in a sliding window,
on the same ledger as sign-in attempts and, like them, committed apart from the request: a refused
or failed attempt stays counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm_shared.addresses import bucket
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import TooManyRequests
from identity.auth.lockout import recent_attempts, serialise
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
    reset_mails: int = 10  # reset mails to one address from everywhere; more are silently not sent

    @classmethod
    def of(cls, settings: IdentitySettings) -> Throttle:
        window = dt.timedelta(minutes=settings.throttle_minutes)
        return cls(settings.throttle_per_person, settings.throttle_per_address, window, settings.throttle_reset_mails)

    async def count(self, request: UnitOfWork, action: str, person: str, address: str) -> None:
        """Count one `action` by `person` from `address`, or refuse it while either has used up its allowance."""
        await self._count(
            request, {f"{action}:{person}": self.per_person, f"{action}@{bucket(address)}": self.per_address}
        )

    async def count_reset(self, request: UnitOfWork, email: str, address: str) -> bool:
        """Count one reset request for `email` from `address`; whether its mail may still go.

        Refused while that email from that address, or that address for any email, has used up its
        allowance: requests from elsewhere never shut the owner out. Past `reset_mails` requests for
        the email from everywhere no mail goes, answered all the same, so the mailbox is not flooded.
        """
        source = bucket(address)
        limits = {f"password_reset:{email}|{source}": self.per_person, f"password_reset@{source}": self.per_address}
        return await self._count(request, limits, {f"password_reset:{email}": self.reset_mails})

    async def _count(self, request: UnitOfWork, limits: dict[str, int], caps: dict[str, int] | None = None) -> bool:
        """Refuse while a key of `limits` is used up; else count the attempt, and tell whether every cap still holds."""
        caps = caps or {}
        async with apart(request) as uow:
            await serialise(uow, [*limits, *caps])
            until = None
            for key, limit in limits.items():
                count, first = await recent_attempts(uow, key, self.window)
                if count >= limit and first is not None:
                    until = max(until or first + self.window, first + self.window)
            within = {key for key, cap in caps.items() if (await recent_attempts(uow, key, self.window))[0] < cap}
            if until is None:
                uow.session.add_all([LoginAttempt(key=key) for key in [*limits, *within]])
        if until is not None:
            raise Throttled(until)
        return len(within) == len(caps)
