"""TOTP: wrong codes count as failed sign-ins, disabling needs a code, secrets are unreadable at rest."""

import pyotp
import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import select

from crm_shared import crypto
from identity.auth.totp import TotpCipher
from identity.users.models import User

CONFIRM = "mutation($c: String!) { confirmTotp(code: $c) }"
DISABLE = "mutation($c: String!) { disableTotp(code: $c) }"


async def new_user(gql):
    return (await gql.new_user("totp-pass-1", "双因素", prefix="t"))[0]


async def enrolled(gql):
    """A user with TOTP on, their token and their authenticator."""
    email = await new_user(gql)
    token = (await gql.login(email, "totp-pass-1"))["accessToken"]
    secret = (await gql("mutation { enrollTotp { secret } }", token=token))["data"]["enrollTotp"]["secret"]
    authenticator = pyotp.TOTP(secret)
    assert (await gql(CONFIRM, {"c": authenticator.now()}, token=token))["data"]["confirmTotp"] is True
    return email, token, authenticator


async def sign_in(gql, email, code=None):
    body = await gql(gql.LOGIN, {"input": {"email": email, "password": "totp-pass-1", "totpCode": code}})
    return body["errors"][0]["extensions"]["code"] if "errors" in body else "ok"


async def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(gql):
    email, _, authenticator = await enrolled(gql)
    assert [await sign_in(gql, email, "000000") for _ in range(5)] == ["UNAUTHENTICATED"] * 5
    assert await sign_in(gql, email, authenticator.now()) == "ACCOUNT_LOCKED"


async def test_a_missing_code_is_asked_for_and_never_locks_the_account(gql):
    email, _, authenticator = await enrolled(gql)
    assert [await sign_in(gql, email) for _ in range(7)] == ["TOTP_REQUIRED"] * 7
    assert await sign_in(gql, email, authenticator.now()) == "ok"


async def test_disabling_needs_a_current_code_and_then_sign_in_needs_none(gql):
    email, token, authenticator = await enrolled(gql)
    wrong = await gql(DISABLE, {"c": "000000"}, token=token, lang="zh-CN")
    assert wrong["errors"][0]["extensions"]["field"] == "code"
    assert wrong["errors"][0]["message"] == "验证码不正确"
    assert (await gql(DISABLE, {"c": authenticator.now()}, token=token))["data"]["disableTotp"] is True
    assert await sign_in(gql, email) == "ok"


async def test_the_stored_secret_is_readable_only_with_identitys_own_key(gql, app):
    email = await new_user(gql)
    token = (await gql.login(email, "totp-pass-1"))["accessToken"]
    secret = (await gql("mutation { enrollTotp { secret } }", token=token))["data"]["enrollTotp"]["secret"]
    async with app.state.db.read() as session:
        stored = await session.scalar(select(User.totp_secret_enc).where(User.email == email))
    assert secret not in stored
    assert TotpCipher.of(app.state.identity.settings).decrypt(stored) == secret
    with pytest.raises(InvalidToken):
        crypto.decrypt(stored)  # the key every service shares for personal fields does not open it


async def test_a_secret_enrolled_under_the_shared_field_key_still_works(gql, app):
    email = await new_user(gql)
    secret = pyotp.random_base32()
    async with app.state.db.unit_of_work() as uow:
        user = await uow.session.scalar(select(User).where(User.email == email))
        user.totp_secret_enc, user.totp_enabled = crypto.encrypt(secret), True
    assert await sign_in(gql, email) == "TOTP_REQUIRED"
    assert await sign_in(gql, email, pyotp.TOTP(secret).now()) == "ok"
