"""Signing-key rotation: a new signer, old keys verifying until retired."""

from __future__ import annotations

from sqlalchemy import select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import utcnow
from crm_shared.errors import BadInput, NotFound
from identity.auth.keys import KeyRing, active_keys, generate_key
from identity.auth.models import SigningKey


class KeyRotation:
    def __init__(self, keys: KeyRing) -> None:
        self.keys = keys

    async def all(self, principal: Principal) -> list[SigningKey]:
        principal.require("identity:signing_key:read")
        async with self.keys.db.read() as session:
            rows = await session.scalars(select(SigningKey).order_by(SigningKey.created_at.desc()))  # type: ignore[attr-defined]
            return list(rows.all())

    async def rotate(self, principal: Principal) -> SigningKey:
        """The new key signs from now on; the JWKS keeps publishing the older ones."""
        principal.require("identity:signing_key:rotate")
        key = generate_key(self.keys.passphrase)
        async with self.keys.db.unit_of_work() as uow:
            uow.session.add(key)
            await audit.record(uow, "signing_key.rotated", "SigningKey", key.kid)
        self.keys.invalidate()
        return key

    async def retire(self, principal: Principal, kid: str) -> None:
        """The key leaves the JWKS; tokens it signed stop verifying (in this process at once)."""
        principal.require("identity:signing_key:rotate")
        async with self.keys.db.unit_of_work() as uow:
            key = await uow.session.get(SigningKey, kid, with_for_update=True)
            if key is None or key.retired_at is not None:
                raise NotFound(entity="SigningKey")
            # the signer is the newest key in the database, which another replica may have just added
            if (await active_keys(uow.session))[0].kid == kid:
                raise BadInput("current_signing_key", field="kid")
            key.retired_at = utcnow()
            await audit.record(uow, "signing_key.retired", "SigningKey", kid)
        self.keys.invalidate()
