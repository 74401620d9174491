"""Lockout: counted in PostgreSQL per account and address, per address and per account, in a sliding
window, even under bursts; nobody can lock another user out of their own address."""

import asyncio
import datetime as dt
import json
import uuid

import httpx
import pytest

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.testing import read_topic
from identity.auth.lockout import AccountLocked, Attempt, Limits, Lockout, SignInsUnderWay
from identity.auth.models import LoginThrottle


async def new_user(gql, password="lock-pass-1"):
    return (await gql.new_user(password, "锁定", prefix="l"))[0]


async def attempt(gql, email, password, source="10.60.0.1", lang="en"):
    body = await gql(gql.LOGIN, {"input": {"email": email, "password": password}}, lang=lang, source=source)
    return body["errors"][0] if "errors" in body else None


async def published_audit(app, platform_settings, match):
    """The audit records identity published to crm.audit, read back from the broker."""
    while await app.state.relay.publish_batch():
        pass
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        AUDIT_TOPIC,
        1,
        match=lambda e: e["type"] == "audit.recorded" and match(e["data"]),
    )
    assert records, "no such audit record was published"
    return json.loads(records[0].value)["data"]


async def test_a_burst_of_guesses_from_one_address_gets_five_tries_and_no_server_errors(gql, clock):
    email = await new_user(gql)
    burst = [attempt(gql, email, f"guess-{n}-pass", "10.61.0.1") for n in range(30)]
    codes = [error["extensions"]["code"] for error in await asyncio.gather(*burst)]
    assert codes.count("UNAUTHENTICATED") == 5, codes
    # the rest arrived while the five were under way (asked to retry) or once they had failed (locked)
    assert set(codes) - {"UNAUTHENTICATED"} <= {"TOO_MANY_REQUESTS", "ACCOUNT_LOCKED"}, codes
    locked = await attempt(gql, email, "lock-pass-1", "10.61.0.1")
    assert locked["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert locked["message"] == "Too many failed sign-ins; try again in 15 minutes"
    assert locked["extensions"]["retryAfterSeconds"] == 900
    assert await attempt(gql, email, "lock-pass-1", "10.61.1.1") is None  # the owner, from elsewhere, signs in


async def test_twenty_failures_from_one_address_stop_only_that_address(gql):
    attacker = "10.63.0.1"
    for n in range(25):
        await attempt(gql, f"nobody{n}@example.com", "wrong-pass-1", attacker)
    email = await new_user(gql)
    assert (await attempt(gql, email, "lock-pass-1", attacker))["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert await attempt(gql, email, "lock-pass-1", "10.63.0.2") is None
    assert await attempt(gql, "rep2@example.com", "crm-demo", "10.63.0.3") is None


async def test_an_address_an_account_signed_in_from_keeps_signing_in_behind_a_locked_address(gql):
    shared = "10.64.0.1"  # an office behind one address
    email = await new_user(gql)
    assert await attempt(gql, email, "lock-pass-1", shared) is None
    for n in range(20):
        await attempt(gql, f"colleague{n}@example.com", "wrong-pass-1", shared)
    assert (await attempt(gql, "rep2@example.com", "crm-demo", shared))["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert await attempt(gql, email, "lock-pass-1", shared) is None  # familiar here: the address lock is not its


async def test_a_distributed_attack_on_an_account_does_not_lock_its_owner_out_of_their_own_address(gql, app):
    app.state.identity.signin.lockout = Lockout(Limits(pair=5, address=20, account=12), dt.timedelta(minutes=15))
    email = await new_user(gql)
    home = "10.65.9.9"
    assert await attempt(gql, email, "lock-pass-1", home) is None
    for n in range(15):  # three attackers, five guesses each: past the account-wide threshold
        await attempt(gql, email, "wrong-pass-1", f"10.65.0.{n // 5}")
    assert (await attempt(gql, email, "lock-pass-1", "10.65.1.1"))["extensions"]["code"] == "ACCOUNT_LOCKED"
    assert await attempt(gql, email, "lock-pass-1", home) is None


async def test_a_forged_forwarded_for_neither_escapes_the_address_limit_nor_frames_another(app, gql):
    """Straight at identity from a peer that is no trusted proxy, X-Forwarded-For is not believed."""
    email = await new_user(gql)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.66", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as stranger:

        async def forged(login, password, claimed):
            query = {"query": gql.LOGIN, "variables": {"input": {"email": login, "password": password}}}
            body = (await stranger.post("/graphql", json=query, headers={"X-Forwarded-For": claimed})).json()
            return body["errors"][0]["extensions"]["code"] if "errors" in body else "ok"

        framed = [await forged(email, "wrong-pass-1", "10.66.0.1") for _ in range(5)]
        assert framed == ["UNAUTHENTICATED"] * 5
        assert await attempt(gql, email, "lock-pass-1", "10.66.0.1") is None  # the framed address is untouched
        codes = [await forged(f"nobody{n}@example.com", "wrong-pass-1", f"10.67.0.{n}") for n in range(15)]
        assert codes == ["UNAUTHENTICATED"] * 15  # 20 failures from 203.0.113.66 so far, whatever it claimed
        assert await forged("rep2@example.com", "crm-demo", "10.67.1.1") == "ACCOUNT_LOCKED"


async def test_an_office_signing_in_at_once_behind_one_address_is_asked_to_wait_never_locked(app, gql):
    app.state.identity.signin.lockout = lockout = Lockout(
        Limits(pair=5, address=3, account=100), dt.timedelta(minutes=15)
    )
    office = "10.68.0.1"
    people = [await new_user(gql) for _ in range(3)]

    async def begin(email: str) -> Attempt:
        async with app.state.db.unit_of_work() as request:
            return await lockout.begin(request, email, office)

    under_way = [await begin(email) for email in people]  # three passwords being checked
    refused = await attempt(gql, "rep2@example.com", "crm-demo", office)
    assert refused["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert refused["message"] == "Many sign-ins are under way from this address; try again in a moment"
    assert refused["extensions"]["retryAfterSeconds"] == 1
    zh = await attempt(gql, "rep2@example.com", "crm-demo", office, lang="zh-CN")
    assert zh["message"] == "此地址正在进行的登录较多，请稍后重试"
    for reserved in under_way:
        async with app.state.db.unit_of_work() as request:
            await lockout.succeeded(request, reserved)
    for email in ["rep2@example.com", *people]:  # every one of them signs in now, more than the limit
        assert await attempt(gql, email, "crm-demo" if email.startswith("rep2") else "lock-pass-1", office) is None
    async with app.state.db.unit_of_work() as uow:
        assert await uow.session.get(LoginThrottle, f"ip:{office}") is None


async def test_an_attempt_whose_request_died_counts_as_a_failure_once_it_is_overdue(app, clock):
    lockout = Lockout(Limits(pair=2, address=100, account=1000), dt.timedelta(minutes=15))
    email, address = f"d{uuid.uuid4().hex[:8]}@example.com", "10.69.0.1"

    async def begin() -> Attempt:
        async with app.state.db.unit_of_work() as request:
            return await lockout.begin(request, email, address)

    await begin()
    await begin()  # neither finishes
    with pytest.raises(SignInsUnderWay):
        await begin()
    clock.advance(31)
    with pytest.raises(AccountLocked):
        await begin()


async def test_a_successful_sign_in_resets_the_account_count(gql):
    email = await new_user(gql)
    for _ in range(2):
        for _ in range(4):
            assert (await attempt(gql, email, "wrong-pass-1"))["extensions"]["code"] == "UNAUTHENTICATED"
        assert await attempt(gql, email, "lock-pass-1") is None
    assert (await attempt(gql, email, "wrong-pass-1"))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_failures_count_in_a_sliding_window_and_the_lock_lifts_after_it(app, clock):
    lockout = Lockout(Limits(pair=3, address=100, account=1000), dt.timedelta(seconds=2))
    email, address = f"w{uuid.uuid4().hex[:8]}@example.com", f"10.62.{uuid.uuid4().int % 250}.1"

    async def begin() -> Attempt:
        async with app.state.db.unit_of_work() as request:
            return await lockout.begin(request, email, address)

    async def fail() -> None:
        attempt = await begin()
        async with app.state.db.unit_of_work() as request:
            await lockout.failed(request, attempt)

    await fail()
    clock.advance(1.5)
    await fail()
    clock.advance(1.0)
    await fail()  # the first failure is older than the window now: two count
    await fail()  # three within two seconds, though no fixed two-second window holds them all
    with pytest.raises(AccountLocked) as locked:
        await begin()
    assert locked.value.params["retryAfterSeconds"] == 2
    clock.advance(2.1)
    await begin()  # the lock has lifted


async def test_rest_login_answers_423_problem_json_in_the_callers_language(client, gql, clock):
    email = await new_user(gql)
    for _ in range(5):
        await attempt(gql, email, "wrong-pass-1")
    response = await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "lock-pass-1"},
        headers={"Accept-Language": "zh-CN", "X-Forwarded-For": "10.60.0.1"},
    )
    assert response.status_code == 423
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "ACCOUNT_LOCKED" and problem["detail"] == "登录失败次数过多，请在 15 分钟后重试"
    assert problem["retryAfterSeconds"] == 900
    assert response.headers["Retry-After"] == str(problem["retryAfterSeconds"])


async def test_a_lockout_is_audited_with_the_number_of_failures(gql, app, platform_settings):
    email = await new_user(gql)
    for _ in range(5):
        await attempt(gql, email, "wrong-pass-1")
    key = f"pair:{email}|10.60.0.1"
    record = await published_audit(app, platform_settings, lambda d: d["entityId"] == key)
    assert record["action"] == "auth.locked" and record["detail"]["failures"] == 5
