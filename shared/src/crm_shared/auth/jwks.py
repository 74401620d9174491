"""Verify identity's access tokens against its JWKS, honouring key rotation."""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from typing import Any, Protocol

import httpx
import jwt

from crm_shared.auth.principal import Principal
from crm_shared.errors import Unauthenticated

ALGORITHMS = ["RS256", "ES256", "EdDSA"]


class KeySource(Protocol):
    async def key(self, kid: str) -> Any | None:
        """The public key for `kid`, or None when no current key has that id."""


class JwksKeySource:
    """Fetches the JWKS over HTTP, caches it, and refetches (at most every few seconds) on an unknown kid."""

    def __init__(self, url: str, ttl: float = 300, min_refresh_interval: float = 5) -> None:
        self.url = url
        self.ttl = ttl
        self.min_refresh_interval = min_refresh_interval
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> Any | None:
        age = time.monotonic() - self._fetched_at
        if kid not in self._keys or age > self.ttl:
            async with self._lock:
                if age > self.min_refresh_interval or not self._keys:
                    await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(self.url)
            response.raise_for_status()
        self._keys = {
            jwk["kid"]: jwt.PyJWK.from_dict(jwk).key for jwk in response.json().get("keys", []) if "kid" in jwk
        }
        self._fetched_at = time.monotonic()


class TokenVerifier:
    """Turns a bearer token into a Principal, or raises Unauthenticated.

    A person's every request carries the same token, which each subgraph would verify again: a verified
    token is remembered (the most recent `remembered`), and answers until it expires for as long as the
    key that signed it is current, so a retired key still ends its tokens at once."""

    def __init__(self, keys: KeySource, issuer: str, audience: str, remembered: int = 4096) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.remembered = remembered
        self._verified: OrderedDict[str, tuple[str, float, Principal]] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            kid, expires, principal = known
            if time.time() < expires and await self.keys.key(kid) is not None:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        claims = await self.claims(token)
        principal = Principal.from_claims(claims)
        self._verified[token] = (str(jwt.get_unverified_header(token).get("kid", "")), float(claims["exp"]), principal)
        if len(self._verified) > self.remembered:
            self._verified.popitem(last=False)
        return principal

    async def claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            key = await self.keys.key(str(header.get("kid", "")))
            if key is None:
                raise Unauthenticated("invalid_token")
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, json.JSONDecodeError, httpx.HTTPError) as exc:
            raise Unauthenticated("invalid_token") from exc
        if claims.get("typ") != "access":
            raise Unauthenticated("invalid_token")
        return claims


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
