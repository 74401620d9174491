"""Signing keys: ES256 key pairs kept encrypted in the database, published as a JWKS."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from crm_shared.db import Database, UnitOfWork
from identity.auth.models import SigningKey

ALGORITHM = "ES256"
log = logging.getLogger(__name__)


def generate_key(passphrase: str) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    kid = uuid.uuid4().hex
    public_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    ).decode()
    return SigningKey(kid=kid, algorithm=ALGORITHM, private_pem=pem, public_jwk=public_jwk)


async def active_keys(session: AsyncSession) -> list[SigningKey]:
    rows = await session.scalars(
        select(SigningKey).where(col(SigningKey.retired_at).is_(None)).order_by(col(SigningKey.created_at).desc())
    )
    return list(rows.all())


async def ensure_key(uow: UnitOfWork, passphrase: str) -> None:
    """Create the first signing key of a new installation."""
    if not await active_keys(uow.session):
        uow.session.add(generate_key(passphrase))


class KeyRing:
    """The current signing key and the public keys that still verify; reloaded every few seconds.

    A cache beside the service layer: token verification reads it outside any request's transaction. Once
    loaded, keys are reloaded beside the requests rather than inside one: a sign-in signs its tokens holding
    its transaction's connection, and a crowd of them each waiting for a second connection to reload the
    keys would hold the whole pool until its wait timed out.
    """

    def __init__(self, db: Database, passphrase: str, reload_seconds: float = 10) -> None:
        self.db = db
        self.passphrase = passphrase
        self.reload_seconds = reload_seconds
        self._loaded_at = 0.0
        self._signing: tuple[str, Any] | None = None
        self._public: dict[str, Any] = {}
        self._jwks: list[dict[str, Any]] = []
        self._loading = asyncio.Lock()
        self._refreshing: asyncio.Task[None] | None = None

    async def ensure_key(self) -> None:
        """The start-up job that makes sure a key exists to sign with."""
        async with self.db.unit_of_work() as uow:
            await ensure_key(uow, self.passphrase)
        self._loaded_at = 0

    def invalidate(self) -> None:
        """Reload keys on next use (after a rotation or retirement in this process)."""
        self._loaded_at = 0

    async def signing_key(self) -> tuple[str, Any]:
        await self._load()
        if self._signing is None:
            await self.ensure_key()
            await self._load()
        assert self._signing is not None
        return self._signing

    async def key(self, kid: str) -> Any | None:
        if kid in self._public:
            await self._load()
        else:  # a key this replica has not seen yet: another one rotated
            await self._load_now()
        return self._public.get(kid)

    async def jwks(self) -> dict[str, Any]:
        await self._load()
        return {"keys": self._jwks}

    async def _load(self) -> None:
        if time.monotonic() - self._loaded_at < self.reload_seconds:
            return
        if not self._loaded_at:  # never loaded, or invalidated: wait for the keys
            await self._load_now()
        elif self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._refresh())

    async def _load_now(self) -> None:
        """One reload for all who wait for it at once."""
        asked_at = self._loaded_at
        async with self._loading:
            if self._loaded_at == asked_at:
                await self._reload()

    async def _refresh(self) -> None:
        try:
            await self._load_now()
        except Exception:  # the database away: the keys in hand serve until the next try
            log.warning("signing keys not reloaded", exc_info=True)

    async def _reload(self) -> None:
        async with self.db.read() as session:
            keys = await active_keys(session)
        self._jwks = [k.public_jwk for k in keys]
        self._public = {k.kid: jwt.PyJWK.from_dict(k.public_jwk).key for k in keys}
        newest = keys[0] if keys else None
        if newest is not None and (self._signing is None or self._signing[0] != newest.kid):
            private = serialization.load_pem_private_key(newest.private_pem.encode(), self.passphrase.encode())
            self._signing = (newest.kid, private)
        self._loaded_at = time.monotonic()
