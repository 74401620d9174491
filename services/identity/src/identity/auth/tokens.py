"""Access tokens (short-lived ES256 JWTs) and rotating refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt

from crm_shared.config import PlatformSettings
from identity.auth.keys import ALGORITHM, KeyRing
from identity.roles.grants import Grants


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Subject:
    """Whom a token speaks for, with what they were granted at issue time."""

    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    grants: Grants
    unit_id: uuid.UUID | None
    subtree_unit_ids: list[uuid.UUID]
    authz_version: int = 0  # services refuse the token once the user's version has moved past it


def new_refresh_secret() -> tuple[str, str]:
    """A random refresh token and the hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_secret(token)


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def access_token(subject: Subject, keys: KeyRing, platform: PlatformSettings, lifetime: int) -> str:
    kid, private = await keys.signing_key()
    now = dt.datetime.now(dt.UTC)  # real time, not the movable clock: every verifier checks these claims against it
    claims = {
        "iss": platform.jwt_issuer,
        "aud": platform.jwt_audience,
        "sub": str(subject.id),
        "iat": now,
        "nbf": now,
        "exp": now + dt.timedelta(seconds=lifetime),
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "email": subject.email,
        "name": subject.name,
        "roles": subject.roles,
        "perms": subject.grants.permissions,
        "scopes": subject.grants.scopes,
        "masks": subject.grants.masked_fields,
        "unit": str(subject.unit_id) if subject.unit_id else None,
        "units": [str(u) for u in subject.subtree_unit_ids],
        "ver": subject.authz_version,
    }
    return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": kid})
