"""PostgreSQL LISTEN kept open: background work woken by the NOTIFY a transaction sends at commit (never for a
rolled-back one), polling only as a fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import asyncpg

from crm_shared.db.engine import asyncpg_dsn

log = logging.getLogger(__name__)


class Listener:
    """One connection listening to `channels`, each calling its `wake`. `keep` opens it again when the database
    dropped it (a restart, a failover); a connection lost or opened wakes every channel, since what was committed
    meanwhile notified no one."""

    def __init__(self, url: str, channels: Mapping[str, Callable[[], None]], name: str) -> None:
        self.url = url
        self.channels = channels
        self.name = name
        self._conn: asyncpg.Connection | None = None
        self._listening = True  # whether the last attempt worked, so a lost LISTEN is logged once

    async def keep(self) -> bool:
        """Listening, opening the connection when it is not; False when the database refuses (the caller polls)."""
        if self._conn is not None and not self._conn.is_closed():
            return True
        try:
            conn = await asyncpg.connect(asyncpg_dsn(self.url), timeout=5)
            try:
                for channel, wake in self.channels.items():
                    await conn.add_listener(channel, lambda *_, wake=wake: wake())
            except Exception:
                await conn.close()
                raise
            conn.add_termination_listener(lambda _: self._wake_all())
        except Exception as exc:  # polling still finds the work; LISTEN only makes it prompt
            if self._listening:
                log.warning("%s: LISTEN unavailable, polling until it is back: %s", self.name, exc)
            self._conn, self._listening = None, False
            return False
        if not self._listening:
            log.info("%s: listening again", self.name)
        self._conn, self._listening = conn, True
        self._wake_all()
        return True

    @property
    def listening(self) -> bool:
        """Whether a NOTIFY sent now reaches this listener (as far as the connection knows)."""
        return self._conn is not None and not self._conn.is_closed()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    def _wake_all(self) -> None:
        for wake in self.channels.values():
            wake()
