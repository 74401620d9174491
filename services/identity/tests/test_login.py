"""Login, tokens and their verification, through the identity subgraph and REST."""

import asyncio
import datetime as dt
import json
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from crm_shared.testing import discard_database
from identity.auth import service
from identity.seed import demo_password

ME = "{ me { id email displayName roles } }"


async def test_login_returns_tokens_that_verify_against_the_published_jwks(gql, client):
    tokens = await gql.login("rep1@example.com")
    assert tokens["expiresIn"] == 900
    jwks = (await client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(tokens["accessToken"])
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert "d" not in key  # the private part never leaves the service
    claims = jwt.decode(tokens["accessToken"], jwt.PyJWK.from_dict(key).key, algorithms=["ES256"], audience="crm")
    assert claims["email"] == "rep1@example.com"
    assert claims["roles"] == ["sales_rep"]
    assert claims["scopes"]["customer:account"] == "own"

    me = await gql(ME, token=tokens["accessToken"])
    assert me["data"]["me"]["email"] == "rep1@example.com"
    assert me["data"]["me"]["displayName"] == "李销售 Rep One"


@pytest.mark.parametrize(
    ("email", "password"), [("rep1@example.com", "wrong-password"), ("nobody@example.com", "crm-demo")]
)
@pytest.mark.parametrize(("lang", "message"), [("en", "Invalid email or password"), ("zh-CN", "邮箱或密码错误")])
async def test_failed_login_never_says_which_of_email_or_password_was_wrong(gql, email, password, lang, message):
    body = await gql(gql.LOGIN, {"input": {"email": email, "password": password}}, lang=lang)
    assert body["data"] is None
    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


@pytest.mark.parametrize(
    ("lang", "fragment"), [("en", "Invalid value for field 'email'"), ("zh-CN", "字段“email”的值无效")]
)
async def test_malformed_login_names_the_field(gql, lang, fragment):
    body = await gql(gql.LOGIN, {"input": {"email": "not-an-email", "password": "x"}}, lang=lang)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "email"
    assert fragment in error["message"]


async def test_rest_login_errors_are_problem_json(client):
    response = await client.post(
        "/api/v1/auth/login",
        json={"email": "rep1@example.com", "password": "nope-nope"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "邮箱或密码错误"
    missing = await client.post("/api/v1/auth/login", json={"email": "rep1@example.com"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "password"


async def test_me_without_token_is_unauthenticated(gql):
    body = await gql(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _forge(claims, key, kid):
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid})


async def test_expired_tampered_and_wrongly_signed_tokens_are_rejected(gql, app):
    token = (await gql.login("manager@example.com"))["accessToken"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    kid, private = await app.state.keys.signing_key()

    expired = _forge({**claims, "exp": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)}, private, kid)
    head, _, signature = token.split(".")
    forged_payload = jwt.utils.base64url_encode(json.dumps({**claims, "roles": ["admin"], "perms": ["*"]}).encode())
    tampered = f"{head}.{forged_payload.decode()}.{signature}"
    stranger = _forge(claims, ec.generate_private_key(ec.SECP256R1()), header["kid"])
    unknown_kid = _forge(claims, ec.generate_private_key(ec.SECP256R1()), uuid.uuid4().hex)

    for bad in (expired, tampered, stranger, unknown_kid, "not.a.jwt"):
        body = await gql(ME, token=bad, lang="zh-CN")
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", bad
        assert body["errors"][0]["message"] == "访问令牌无效或已过期"


async def test_refresh_token_rotates_and_reuse_revokes_the_family(gql):
    first = await gql.login("rep2@example.com")
    query = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"
    second = (await gql(query, {"t": first["refreshToken"]}))["data"]["refreshToken"]
    assert second["refreshToken"] != first["refreshToken"]

    replay = await gql(query, {"t": first["refreshToken"]})  # a stolen, already-used token
    assert replay["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    after_theft = await gql(query, {"t": second["refreshToken"]})  # the whole family is revoked
    assert after_theft["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_refresh_sent_again_with_its_idempotency_key_is_not_replayed_but_caught_as_reuse(gql, client, app):
    """Token answers are never stored: the retry is a second use of the token, and revokes its family."""
    first = await gql.login("rep2@example.com")
    query = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    second = await gql(query, {"t": first["refreshToken"]}, headers=key)
    retried = await gql(query, {"t": first["refreshToken"]}, headers=key)

    assert "errors" not in second, second
    assert retried["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    after = await gql(query, {"t": second["data"]["refreshToken"]["refreshToken"]})
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    rest_key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"email": "rep1@example.com", "password": demo_password()}
    signed_in = [await client.post("/api/v1/auth/login", json=body, headers=rest_key) for _ in range(2)]
    assert [r.status_code for r in signed_in] == [200, 200]
    assert signed_in[0].headers["cache-control"] == "no-store"
    assert "idempotent-replayed" not in signed_in[1].headers
    assert signed_in[0].json()["refresh_token"] != signed_in[1].json()["refresh_token"]
    async with app.state.db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM idempotency_keys"))).scalar() == 0


async def test_sign_ins_checking_their_passwords_hold_no_connection_others_need(
    new_app, client_of, postgres, monkeypatch
):
    """A burst of sign-ins must not drain the pool: argon2id takes a busy core tens of milliseconds."""
    application, db = await new_app(db_pool_size=2)
    try:
        async with client_of(application) as gql:
            token = (await gql.login("rep1@example.com"))["accessToken"]
            checking, checked = asyncio.Semaphore(0), asyncio.Event()
            verify = service.verify_password

            async def held_check(stored, password):
                checking.release()
                await checked.wait()
                return await verify(stored, password)

            monkeypatch.setattr(service, "verify_password", held_check)
            people = ("manager@example.com", "rep2@example.com")  # as many as the pool has connections
            signing_in = [asyncio.create_task(gql.login(person)) for person in people]
            for _ in people:
                await checking.acquire()
            me = await gql(ME, token=token)
            checked.set()
            assert me["data"]["me"]["email"] == "rep1@example.com"
            signed_in = [
                jwt.decode(t["accessToken"], options={"verify_signature": False})
                for t in await asyncio.gather(*signing_in)
            ]
            assert [claims["email"] for claims in signed_in] == list(people)
    finally:
        await discard_database(postgres, db)


async def test_a_sign_in_holding_its_connection_never_waits_for_another_to_reload_the_keys(
    new_app, client_of, postgres
):
    """Stale keys are reloaded beside the requests: inside a crowd of sign-ins, each holding its connection
    while waiting for another, the reload would hold the whole pool."""
    application, db = await new_app(db_pool_size=1)
    try:
        keys = application.state.identity.keys
        await keys.jwks()  # loaded, as by the service's first request
        keys.reload_seconds = 0  # and stale from now on
        async with client_of(application) as gql:
            signed_in = await gql.login("rep1@example.com")
        assert jwt.decode(signed_in["accessToken"], options={"verify_signature": False})["email"] == "rep1@example.com"
    finally:
        await discard_database(postgres, db)
