"""Signing-key rotation across replicas: the signer is whatever the database says, not a stale cache."""

import jwt

from crm_shared.auth import Principal
from identity.auth import rotation
from identity.auth.keys import KeyRing

RETIRE = "mutation($k: ID!) { retireSigningKey(kid: $k) }"
KEYS = "{ signingKeys { kid retiredAt } }"


def kid(token):
    return jwt.get_unverified_header(token)["kid"]


async def test_a_key_another_replica_just_started_signing_with_cannot_be_retired(gql, app):
    identity = app.state.identity
    admin_token = (await gql.login("admin@example.com"))["accessToken"]  # this replica's key cache is fresh
    admin = Principal.from_claims(jwt.decode(admin_token, options={"verify_signature": False}))
    replica = KeyRing(app.state.db, identity.keys.passphrase)
    async with app.state.db.unit_of_work() as uow:
        newest = (await rotation.rotate(uow, admin, replica)).kid

    refused = await gql(RETIRE, {"k": newest}, token=admin_token)
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "kid"}
    identity.keys.invalidate()  # as this replica's next reload would
    assert newest in {k["kid"] for k in (await gql.client.get("/.well-known/jwks.json")).json()["keys"]}
    assert kid((await gql.login("rep1@example.com"))["accessToken"]) == newest


async def test_retired_keys_are_listed_with_their_time_and_cannot_be_retired_twice(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    old = kid(admin)
    assert (await gql("mutation { rotateSigningKey { kid } }", token=admin))["data"]
    assert (await gql(RETIRE, {"k": old}, token=admin))["data"]["retireSigningKey"] is True
    admin = (await gql.login("admin@example.com"))["accessToken"]
    listed = {k["kid"]: k["retiredAt"] for k in (await gql(KEYS, token=admin))["data"]["signingKeys"]}
    assert listed[old] is not None and listed[kid(admin)] is None
    again = await gql(RETIRE, {"k": old}, token=admin)
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"
