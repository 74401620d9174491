"""A verified access token is remembered, but never past its expiry or its signing key."""

import asyncio

import pytest

from crm_shared.auth import jwks
from crm_shared.errors import Unauthenticated
from crm_shared.testing.tokens import Persona, TokenFactory

ANN = Persona("ann", ("kit:*",))


async def test_a_remembered_token_answers_the_same_principal():
    tokens = TokenFactory()
    verifier, token = tokens.verifier(), tokens.token(ANN)
    first = await verifier.verify(token)
    assert first.user_id == ANN.user_id and first.permissions == frozenset({"kit:*"})
    assert await verifier.verify(token) is first


async def test_a_remembered_token_stops_at_its_expiry():
    tokens = TokenFactory()
    verifier, token = tokens.verifier(), tokens.token(ANN, lifetime=1)
    await verifier.verify(token)
    await asyncio.sleep(1.1)
    with pytest.raises(Unauthenticated):
        await verifier.verify(token)


async def test_a_remembered_token_stops_once_its_signing_key_is_retired():
    tokens = TokenFactory()
    verifier, token = tokens.verifier(), tokens.token(ANN)
    await verifier.verify(token)
    tokens.kid = "retired-and-replaced"
    with pytest.raises(Unauthenticated):
        await verifier.verify(token)


async def test_only_the_most_recent_tokens_are_remembered():
    tokens = TokenFactory()
    verifier = jwks.TokenVerifier(tokens, tokens.issuer, tokens.audience, remembered=2)
    first, *others = [tokens.token(ANN) for _ in range(3)]
    for token in (first, *others):
        await verifier.verify(token)
    assert list(verifier._verified) == others
