"""The gateway's judgement of access tokens, against a key set of the test's own: no subgraph is asked."""

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from crm_shared.devstack.broker import free_port
from crm_shared.devstack.run import gateway as running_gateway

ROOT = Path(__file__).resolve().parents[2]
ISSUER, AUDIENCE = "crm-identity", "crm"


class KeySet:
    """Signing keys by kid, and the JWKS served of those `published` (at first the first)."""

    def __init__(self, *kids: str) -> None:
        self.keys = {kid: ec.generate_private_key(ec.SECP256R1()) for kid in kids}
        self.published = list(kids[:1])

    def jwks(self) -> bytes:
        keys = []
        for kid in self.published:
            public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.keys[kid].public_key()))
            keys.append({**public, "kid": kid, "alg": "ES256", "use": "sig"})
        return json.dumps({"keys": keys}).encode()

    def token(self, kid: str, lifetime: float = 900) -> str:
        now = int(time.time())
        claims = {"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime, "typ": "access"}
        return jwt.encode(claims, self.keys[kid], algorithm="ES256", headers={"kid": kid})


@pytest.fixture
def keys():
    return KeySet("first", "second")


@pytest.fixture
def gateway(keys, tmp_path):
    """A gateway whose JWKS is `keys`' published set."""

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = keys.jwks()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "PATH": os.environ["PATH"],
        "CRM_GATEWAY_PORT": str(free_port()),
        "CRM_JWKS_URL": f"http://127.0.0.1:{server.server_port}/jwks.json",
        "CRM_JWT_ISSUER": ISSUER,
        "CRM_JWT_AUDIENCE": AUDIENCE,
    }
    try:
        with running_gateway(ROOT, env, tmp_path / "gateway.log") as url:
            yield url
    finally:
        server.shutdown()


def answer(url: str, token: str) -> dict:
    """The gateway's answer to a query it resolves itself, so that only the token is judged."""
    sent = {"Authorization": f"Bearer {token}"}
    return httpx.post(url, json={"query": "{ __typename }"}, headers=sent, timeout=30).json()


def refused(body: dict) -> bool:
    return body.get("errors", [{}])[0].get("extensions", {}).get("code") == "UNAUTHENTICATED"


def test_a_token_the_gateway_accepted_is_refused_once_it_expires(gateway, keys):
    token = keys.token("first", lifetime=2)
    expires = time.time() + 2
    assert answer(gateway, token) == {"data": {"__typename": "Query"}}
    assert answer(gateway, token) == {"data": {"__typename": "Query"}}
    time.sleep(max(0.0, expires + 5 + 1.5 - time.time()))  # past its expiry and the 5 s allowed for clocks
    assert refused(answer(gateway, token))


def test_a_token_the_gateway_accepted_is_refused_once_its_key_is_retired(gateway, keys):
    old = keys.token("first")
    assert answer(gateway, old) == {"data": {"__typename": "Query"}}
    assert answer(gateway, old) == {"data": {"__typename": "Query"}}
    keys.published = ["second"]  # rotated, and the old key retired at once
    # a token of the new key has a kid the gateway does not know: it fetches the set again
    assert answer(gateway, keys.token("second")) == {"data": {"__typename": "Query"}}
    assert refused(answer(gateway, old))
