"""Signing-key rotation: a new signer, old keys verifying until retired."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, NotFound
from identity.auth.keys import KeyRing, active_keys, generate_key
from identity.auth.models import SigningKey
from identity.transactions import after_commit


async def list_keys(uow: UnitOfWork, principal: Principal) -> list[SigningKey]:
    principal.require("identity:signing_key:read")
    rows = await uow.session.scalars(select(SigningKey).order_by(col(SigningKey.created_at).desc()))
    return list(rows.all())


async def rotate(uow: UnitOfWork, principal: Principal, keys: KeyRing) -> SigningKey:
    """The new key signs from now on; the JWKS keeps publishing the older ones."""
    principal.require("identity:signing_key:rotate")
    key = generate_key(keys.passphrase)
    uow.session.add(key)
    await audit.record(uow, "signing_key.rotated", "SigningKey", key.kid)
    after_commit(uow, keys.invalidate)
    return key


async def retire(uow: UnitOfWork, principal: Principal, kid: str, keys: KeyRing) -> None:
    """The key leaves the JWKS; tokens it signed stop verifying (in this process at once)."""
    principal.require("identity:signing_key:rotate")
    key = await uow.session.get(SigningKey, kid, with_for_update=True)
    if key is None or key.retired_at is not None:
        raise NotFound(entity="SigningKey")
    # the signer is the newest key in the database, which another replica may have just added
    if (await active_keys(uow.session))[0].kid == kid:
        raise BadInput("current_signing_key", field="kid")
    key.retired_at = utcnow()
    await audit.record(uow, "signing_key.retired", "SigningKey", kid)
    after_commit(uow, keys.invalidate)
