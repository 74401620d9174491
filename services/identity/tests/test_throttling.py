"""Password changes, TOTP codes and reset mails are throttled per person and per address."""

import pyotp

from crm_shared.testing.smtp import wait_for_mail

CHANGE = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
CONFIRM = "mutation($c: String!) { confirmTotp(code: $c) }"
REQUEST = "mutation($e: String!) { requestPasswordReset(email: $e) }"


def code_of(body):
    return body["errors"][0]["extensions"]["code"] if "errors" in body else "ok"


async def signed_in(gql):
    email, _ = await gql.new_user("throttle-pass-1", "限流", prefix="th")
    return email, (await gql.login(email, "throttle-pass-1"))["accessToken"]


async def test_guessing_the_current_password_is_throttled_per_user(gql, clock):
    _, token = await signed_in(gql)
    guesses = [await gql(CHANGE, {"c": f"guess-{n}-pass", "n": "changed-pass-2"}, token=token) for n in range(5)]
    assert [g["errors"][0]["extensions"]["field"] for g in guesses] == ["currentPassword"] * 5
    refused = await gql(CHANGE, {"c": "throttle-pass-1", "n": "changed-pass-2"}, token=token, lang="zh-CN")
    assert refused["errors"][0]["message"] == "尝试次数过多，请在 15 分钟后重试"
    assert refused["errors"][0]["extensions"] == {"code": "TOO_MANY_REQUESTS", "minutes": 15, "retryAfterSeconds": 900}
    clock.advance(901)
    assert code_of(await gql(CHANGE, {"c": "throttle-pass-1", "n": "changed-pass-2"}, token=token)) == "ok"


async def test_guessing_a_totp_code_is_throttled_per_user(gql):
    _, token = await signed_in(gql)
    secret = (await gql("mutation { enrollTotp { secret } }", token=token))["data"]["enrollTotp"]["secret"]
    assert [code_of(await gql(CONFIRM, {"c": "000000"}, token=token)) for _ in range(5)] == ["BAD_USER_INPUT"] * 5
    right = await gql(CONFIRM, {"c": pyotp.TOTP(secret).now()}, token=token)
    assert code_of(right) == "TOO_MANY_REQUESTS"
    assert right["errors"][0]["message"] == "Too many attempts; try again in 15 minutes"


async def test_reset_mails_are_throttled_per_address_asked_for_from_one_source(gql, smtp_sink):
    email, _ = await signed_in(gql)
    answers = [code_of(await gql(REQUEST, {"e": email}, source="10.80.0.1")) for _ in range(6)]
    assert answers == ["ok"] * 5 + ["TOO_MANY_REQUESTS"]
    await wait_for_mail(smtp_sink, email, 5)
    control, _ = await signed_in(gql)
    assert code_of(await gql(REQUEST, {"e": control}, source="10.80.0.1")) == "ok"
    await wait_for_mail(smtp_sink, control)  # mailed after the sixth would have been
    assert len(smtp_sink.to(email)) == 5
    unknown = [code_of(await gql(REQUEST, {"e": "ghost@example.com"}, source="10.80.0.2")) for _ in range(6)]
    assert unknown == answers  # the same answers whether the address exists or not


async def test_reset_requests_from_one_address_are_throttled_whoever_they_name(gql):
    answers = [code_of(await gql(REQUEST, {"e": f"nobody{n}@example.com"}, source="10.81.0.1")) for n in range(21)]
    assert answers == ["ok"] * 20 + ["TOO_MANY_REQUESTS"]
    assert code_of(await gql(REQUEST, {"e": "nobody0@example.com"}, source="10.81.0.2")) == "ok"


async def test_requests_from_elsewhere_never_shut_a_users_reset(gql, smtp_sink):
    email, _ = await signed_in(gql)
    assert [code_of(await gql(REQUEST, {"e": email}, source="10.82.0.1")) for _ in range(6)][-1] == "TOO_MANY_REQUESTS"
    assert code_of(await gql(REQUEST, {"e": email}, source="10.82.1.1")) == "ok"
    await wait_for_mail(smtp_sink, email, 6)


async def test_past_the_cap_per_address_asked_for_no_mail_goes_with_the_same_answer(gql, smtp_sink):
    email, _ = await signed_in(gql)
    answers = [code_of(await gql(REQUEST, {"e": email}, source=f"10.83.{n}.1")) for n in range(12)]
    assert answers == ["ok"] * 12
    control, _ = await signed_in(gql)
    assert code_of(await gql(REQUEST, {"e": control}, source="10.83.99.1")) == "ok"
    await wait_for_mail(smtp_sink, control)  # mailed after the last two would have been
    assert len(smtp_sink.to(email)) == 10
    unknown = [code_of(await gql(REQUEST, {"e": "ghost@example.com"}, source=f"10.84.{n}.1")) for n in range(12)]
    assert unknown == answers
