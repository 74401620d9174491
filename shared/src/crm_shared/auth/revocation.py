"""Revocation within seconds: a token is refused once its user is deactivated or their grants changed.

Access tokens live 15 minutes; identity publishes every change of a user's status or grants, each
service's directory keeps the user's `is_active` and `authz_version`, and every request's token is
compared with them. A token carries the version it was issued with, so one issued before a role
change can never carry the old permissions. Answers are cached for a second or so per user: the
check costs a dictionary lookup on most requests and one primary-key read otherwise.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.auth.directory import DirectoryUser
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import Database
from crm_shared.errors import Unauthenticated

MAX_CACHED = 10_000


@dataclass(frozen=True)
class Standing:
    """What decides whether a user's token still counts."""

    active: bool
    authz_version: int


Lookup = Callable[[AsyncSession, uuid.UUID], Awaitable[Standing | None]]


async def directory_standing(session: AsyncSession, user_id: uuid.UUID) -> Standing | None:
    """From the service's directory projection; None for callers it does not list (service accounts)."""
    query = select(col(DirectoryUser.is_active), col(DirectoryUser.authz_version))
    row = (await session.execute(query.where(col(DirectoryUser.user_id) == user_id))).first()
    return Standing(row[0], row[1]) if row else None


class Revocations:
    """Refuses (UNAUTHENTICATED) the token of a deactivated user, or one issued before their grants changed."""

    def __init__(self, db: Database, lookup: Lookup = directory_standing, ttl: float = 1.0) -> None:
        self.db, self.lookup, self.ttl = db, lookup, ttl
        self._cache: dict[uuid.UUID, tuple[float, Standing | None]] = {}

    async def check(self, principal: Principal) -> None:
        standing = await self.standing(principal.user_id)
        if standing is None:
            return  # not a user the directory knows yet: a service account, or a user created a moment ago
        if not standing.active or principal.authz_version < standing.authz_version:
            raise Unauthenticated("token_revoked")

    async def standing(self, user_id: uuid.UUID) -> Standing | None:
        now = time.monotonic()
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        async with self.db.read() as session:
            standing = await self.lookup(session, user_id)
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[user_id] = (now + self.ttl, standing)
        return standing
