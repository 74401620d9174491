"""Access tokens (short-lived ES256 JWTs) and rotating refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt
from crm_shared.config import PlatformSettings

from identity.keys import ALGORITHM, KeyRing
from identity.models import User
from identity.roles import grants


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def new_refresh_secret() -> tuple[str, str]:
    """A random refresh token and the hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh(token)


def hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def access_token(user: User, keys: KeyRing, platform: PlatformSettings, lifetime: int) -> str:
    kid, private = await keys.signing_key()
    permissions, scopes = grants(user.roles)
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": platform.jwt_issuer,
        "aud": platform.jwt_audience,
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + dt.timedelta(seconds=lifetime),
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "email": user.email,
        "name": user.display_name,
        "roles": user.roles,
        "perms": permissions,
        "scopes": scopes,
    }
    return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": kid})
