"""Revocation within seconds: a token is refused once its user is deactivated or their grants changed, or its
service account deactivated or a key of it revoked.

Access tokens live 15 minutes; identity publishes every change of a user's status or grants (and of a service
account's standing), each service's directory keeps their `is_active` and `authz_version`, and every request's
token is compared with them. A token carries the version it was issued with, so one issued before a role
change can never carry the old permissions. Answers are cached per user, so the check costs a
dictionary lookup on most requests and one primary-key read otherwise: for a second or so, or, in a
service whose directory projection announces each change at commit (`directory.CHANGED`), for as long
as a connection listening to it stays open (at most `kept` seconds), since every change empties the cache.
A person acts every ten seconds or so, so a one-second cache alone spared almost none of those reads.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import Database
from crm_shared.db.listen import Listener
from crm_shared.errors import Unauthenticated

MAX_CACHED = 10_000


@dataclass(frozen=True)
class Standing:
    """What decides whether a user's token still counts."""

    active: bool
    authz_version: int


Lookup = Callable[[AsyncSession, uuid.UUID], Awaitable[Standing | None]]


async def directory_standing(session: AsyncSession, user_id: uuid.UUID) -> Standing | None:
    """From the service's directory projection: the user's, else the service account's; None for callers it does not
    list (a service account whose tokens all still count)."""
    query = select(col(DirectoryUser.is_active), col(DirectoryUser.authz_version))
    row = (await session.execute(query.where(col(DirectoryUser.user_id) == user_id))).first()
    if row is None:
        accounts = select(col(DirectoryServiceAccount.is_active), col(DirectoryServiceAccount.authz_version))
        row = (await session.execute(accounts.where(col(DirectoryServiceAccount.id) == user_id))).first()
    return Standing(row[0], row[1]) if row else None


class Revocations:
    """Refuses (UNAUTHENTICATED) the token of a deactivated user or service account, or one issued before their grants
    changed (a service account's: before a key of it was revoked)."""

    def __init__(
        self,
        db: Database,
        lookup: Lookup = directory_standing,
        ttl: float = 1.0,
        told_by: str | None = None,
        kept: float = 30.0,
    ) -> None:
        self.db, self.lookup, self.ttl, self.kept = db, lookup, ttl, kept
        self._cache: dict[uuid.UUID, tuple[float, Standing | None]] = {}
        self._changes = 0  # how many changes were announced: a read that began before one is not cached
        self.listener = Listener(db.url, {told_by: self._forget}, "revocations") if told_by else None

    async def check(self, principal: Principal) -> None:
        standing = await self.standing(principal.user_id)
        if standing is None:
            return  # not known to the directory: a service account in good standing, or a user created a moment ago
        if not standing.active or principal.authz_version < standing.authz_version:
            raise Unauthenticated("token_revoked")

    async def standing(self, user_id: uuid.UUID) -> Standing | None:
        now = time.monotonic()
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        changes = self._changes
        async with self.db.read() as session:
            standing = await self.lookup(session, user_id)
        if changes == self._changes:
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            told = self.listener is not None and self.listener.listening
            self._cache[user_id] = (now + (self.kept if told else self.ttl), standing)
        return standing

    async def listen(self) -> None:
        """Keep listening for the directory's changes (a worker of the service); until cancelled."""
        if self.listener is None:
            return
        try:
            while True:
                await self.listener.keep()
                await asyncio.sleep(1.0)
        finally:
            await self.listener.close()
            self._forget()

    def _forget(self) -> None:
        """A change was committed, or the connection that hears of them opened or closed: read every standing
        again."""
        self._changes += 1
        self._cache.clear()
