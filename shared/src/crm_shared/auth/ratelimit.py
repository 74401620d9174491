"""Requests per principal, or per client address on public routes: a token bucket each, so one caller's burst
cannot crowd out the others."""

from __future__ import annotations

import math
import time
from collections.abc import Hashable
from typing import Any

from fastapi import Depends, Request

from crm_shared.addresses import bucket, client_address
from crm_shared.errors import TooManyRequests


class RateLimiter:
    """`per_minute` requests a minute per caller, up to `burst` at once; 0 turns it off.

    Counted per process: with several replicas a caller gets the rate at each of them.
    """

    def __init__(self, per_minute: int, burst: int, size: int = 10_000) -> None:
        self.rate = per_minute / 60
        self.burst = max(burst, 1)
        self.size = size
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # caller → (tokens, when counted)

    def admit(self, caller: Hashable) -> int | None:
        """None when the request may go ahead; otherwise the seconds until it could."""
        if self.rate <= 0:
            return None
        now = time.monotonic()
        tokens, then = self._buckets.get(caller, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1:
            self._buckets[caller] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))
        if len(self._buckets) >= self.size and caller not in self._buckets:
            self._forget_rested(now)
        self._buckets[caller] = (tokens - 1, now)
        return None

    def _forget_rested(self, now: float) -> None:
        """Drop the callers whose bucket has filled up again: they are as good as new."""
        rested = [c for c, (tokens, then) in self._buckets.items() if tokens + (now - then) * self.rate >= self.burst]
        for caller in rested:
            del self._buckets[caller]


def per_address(limiter: str) -> Any:
    """A route dependency limiting anonymous callers by the `RateLimiter` at `app.state.<limiter>`.

    They share a bucket per client address (an IPv6 subscriber's /64), so scraping or a flood from one
    place cannot crowd out the others; over the rate the route answers 429 with `Retry-After`.
    """

    def limited(request: Request) -> None:
        found: RateLimiter = getattr(request.app.state, limiter)
        if (wait := found.admit(bucket(client_address(request)))) is not None:
            raise TooManyRequests(retryAfterSeconds=wait)

    return Depends(limited)
