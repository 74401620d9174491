"""Signed access tokens for a service's own tests, without running identity.

The service verifies them exactly as it verifies identity's: same claims, ES256, a `kid` its
verifier resolves through this factory's key source.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from crm_shared.auth import TokenVerifier


@dataclass(frozen=True)
class Persona:
    """A test user: who they are and what their roles grant."""

    name: str
    permissions: tuple[str, ...]
    scopes: dict[str, str] = field(default_factory=dict)
    unit_id: uuid.UUID | None = None
    subtree: tuple[uuid.UUID, ...] = ()
    masks: tuple[str, ...] = ()
    user_id: uuid.UUID = field(default_factory=uuid.uuid4)
    authz_version: int = 0  # the grants version identity would write into the persona's tokens


class TokenFactory:
    def __init__(self, issuer: str = "crm-identity", audience: str = "crm") -> None:
        self.issuer, self.audience = issuer, audience
        self.kid = uuid.uuid4().hex
        self._private = ec.generate_private_key(ec.SECP256R1())

    async def key(self, kid: str) -> Any | None:
        return self._private.public_key() if kid == self.kid else None

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self, self.issuer, self.audience)

    def token(self, persona: Persona, lifetime: int = 900) -> str:
        now = dt.datetime.now(dt.UTC)
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(persona.user_id),
            "iat": now,
            "exp": now + dt.timedelta(seconds=lifetime),
            "typ": "access",
            "jti": uuid.uuid4().hex,
            "email": f"{persona.name}@example.com",
            "roles": [persona.name],
            "perms": list(persona.permissions),
            "scopes": persona.scopes,
            "masks": list(persona.masks),
            "unit": str(persona.unit_id) if persona.unit_id else None,
            "units": [str(u) for u in (persona.unit_id, *persona.subtree) if u],
            "ver": persona.authz_version,
        }
        return jwt.encode(claims, self._private, algorithm="ES256", headers={"kid": self.kid})
