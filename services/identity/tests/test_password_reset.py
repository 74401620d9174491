"""Password reset by mail: bilingual, single use, expiring, read back from the real SMTP sink."""

import re

from crm_shared.testing.smtp import wait_for_mail
from identity.auth.passwords_flow import Passwords

REQUEST = "mutation($e: String!) { requestPasswordReset(email: $e) }"
RESET = "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"


async def new_user(gql):
    return await gql.new_user("before-reset-1", "重置", prefix="r")


def token_in(mail):
    return re.search(r"reset\?token=(\S+)", mail.get_content()).group(1)


async def request_link(gql, smtp_sink, email, count=1):
    assert (await gql(REQUEST, {"e": email}))["data"]["requestPasswordReset"] is True
    return token_in((await wait_for_mail(smtp_sink, email, count))[-1])


async def test_the_mail_is_bilingual_and_a_new_link_voids_the_earlier_ones(gql, smtp_sink):
    email, _ = await new_user(gql)
    first = await request_link(gql, smtp_sink, email)
    second = await request_link(gql, smtp_sink, email, count=2)
    body = smtp_sink.to(email)[0].get_content()
    assert "30 分钟内" in body and "within 30 minutes" in body
    stale = await gql(RESET, {"t": first, "p": "hijacked-pass-3"})
    assert stale["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert (await gql(RESET, {"t": second, "p": "after-reset-2"}))["data"]["resetPassword"] is True
    assert (await gql.login(email, "after-reset-2"))["accessToken"]


async def test_an_expired_link_is_refused_and_the_password_stays(gql, app, smtp_sink):
    email, _ = await new_user(gql)
    settings = app.state.identity.settings.model_copy(update={"reset_minutes": 0})
    async with app.state.db.unit_of_work() as uow:
        await Passwords(settings, app.state.identity.throttle).request_reset(uow, email, "10.70.0.1")
    token = token_in((await wait_for_mail(smtp_sink, email))[0])
    expired = await gql(RESET, {"t": token, "p": "too-late-pass-1"}, lang="zh-CN")
    assert expired["errors"][0]["extensions"]["field"] == "token"
    assert expired["errors"][0]["message"] == "重置链接无效、已过期或已被使用"
    assert (await gql.login(email, "before-reset-1"))["accessToken"]


async def test_a_reset_ends_every_session_and_lifts_the_lockout(gql, smtp_sink):
    email, _ = await new_user(gql)
    session = await gql.login(email, "before-reset-1")
    for _ in range(5):
        await gql(gql.LOGIN, {"input": {"email": email, "password": "wrong-pass-1"}})
    token = await request_link(gql, smtp_sink, email)
    assert (await gql(RESET, {"t": token, "p": "after-reset-2"}))["data"]["resetPassword"] is True
    revoked = await gql(REFRESH, {"t": session["refreshToken"]})
    assert revoked["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.login(email, "after-reset-2"))["accessToken"]  # not locked any more


async def test_changing_the_password_voids_reset_links_already_mailed(gql, smtp_sink):
    email, _ = await new_user(gql)
    token = await request_link(gql, smtp_sink, email)
    session = await gql.login(email, "before-reset-1")
    change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
    variables = {"c": "before-reset-1", "n": "changed-pass-2"}
    assert (await gql(change, variables, token=session["accessToken"]))["data"]["changePassword"] is True
    stale = await gql(RESET, {"t": token, "p": "hijacked-pass-3"})
    assert stale["errors"][0]["extensions"]["field"] == "token"
    assert (await gql.login(email, "changed-pass-2"))["accessToken"]


async def test_a_deactivated_user_gets_no_mail(gql, smtp_sink):
    email, user_id = await new_user(gql)
    admin = (await gql.login("admin@example.com"))["accessToken"]
    await gql("mutation($id: ID!) { deactivateUser(id: $id) { id } }", {"id": user_id}, token=admin)
    assert (await gql(REQUEST, {"e": email}))["data"]["requestPasswordReset"] is True
    control, _ = await new_user(gql)
    await request_link(gql, smtp_sink, control)  # mail requested after it has arrived
    assert smtp_sink.to(email) == []
