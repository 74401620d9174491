"""Each user's inbox: notifications from rules, unread counts, marking read, preferences per kind and channel
(in-app, a mail each through the SMTP relay, the daily digest); the live stream of new ones is in
test_notification_stream.py."""

import datetime as dt

from automation.notifications import service as notifications
from automation.notifications.models import Kind
from crm_shared.testing.smtp import wait_for_mail

MARK = "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }"
PREFERENCES = """mutation($p: [NotificationPreferenceInput!]!) {
    saveNotificationPreferences(input: $p) { kind inApp email digest } }"""


async def notify(app, persona, title, kind=Kind.WORKFLOW):
    async with app.state.db.unit_of_work() as uow:
        new = notifications.NewNotification(persona.user_id, kind, title, "正文 Body")
        return str((await notifications.notify(uow, new)).id)


async def test_each_user_reads_and_marks_only_their_own_notifications(gql, app, persona):
    first = await notify(app, persona["user1"], "一 One")
    second = await notify(app, persona["user1"], "二 Two")
    await notify(app, persona["user2"], "别人的 Someone else's")
    inbox = await gql.inbox("user1")
    assert [e["node"]["title"] for e in inbox["notifications"]["edges"]] == ["二 Two", "一 One"]
    assert (inbox["notifications"]["totalCount"], inbox["unreadNotificationCount"]) == (2, 2)
    assert (await gql.ok(MARK, {"ids": [first]}, "user2"))["markNotificationsRead"] == 0  # not theirs
    assert (await gql.ok(MARK, {"ids": [first]}, "user1"))["markNotificationsRead"] == 1
    unread = await gql.inbox("user1", unread_only=True)
    assert [e["node"]["id"] for e in unread["notifications"]["edges"]] == [second]
    assert unread["unreadNotificationCount"] == 1
    assert (await gql.ok(MARK, {}, "user1"))["markNotificationsRead"] == 1  # all the rest
    assert (await gql.inbox("user1"))["unreadNotificationCount"] == 0
    assert (await gql.inbox("user2"))["unreadNotificationCount"] == 1
    await gql.error("{ unreadNotificationCount }", as_="rep", code="FORBIDDEN")


async def test_preferences_send_a_mail_each_or_a_daily_digest_or_keep_a_kind_out_of_the_inbox(
    gql, app, persona, sink, clock
):
    chosen = [
        {"kind": "WORKFLOW", "inApp": True, "email": True, "digest": False},
        {"kind": "SYSTEM", "inApp": False, "email": False, "digest": True},
    ]
    saved = (await gql.ok(PREFERENCES, {"p": chosen}, "user1"))["saveNotificationPreferences"]
    assert saved == [
        {"kind": "WORKFLOW", "inApp": True, "email": True, "digest": False},
        {"kind": "WEBHOOK", "inApp": True, "email": False, "digest": False},
        {"kind": "SYSTEM", "inApp": False, "email": False, "digest": True},
        {"kind": "APPROVAL", "inApp": True, "email": False, "digest": False},
    ]
    sink.start()
    mailer = app.state.schedules.schedules[1].job
    clock.set(dt.datetime(2027, 5, 10, 6, tzinfo=dt.UTC))
    await notify(app, persona["user1"], "规则提醒 Rule reminder")
    await notify(app, persona["user1"], "系统消息一 System one", Kind.SYSTEM)
    await notify(app, persona["user1"], "系统消息二 System two", Kind.SYSTEM)
    async with app.state.db.unit_of_work() as uow:
        assert await mailer(uow) == 2  # the reminder, and today's digest
    mails = await wait_for_mail(sink, "user1@example.com", 2)
    assert sorted(m["Subject"] for m in mails) == ["每日通知摘要 Daily digest (2)", "规则提醒 Rule reminder"]
    digest = next(m for m in mails if m["Subject"].startswith("每日"))
    assert digest.get_content().splitlines()[:2] == [
        "- 系统消息一 System one: 正文 Body",
        "- 系统消息二 System two: 正文 Body",
    ]
    inbox = await gql.inbox("user1")
    assert [e["node"]["title"] for e in inbox["notifications"]["edges"]] == ["规则提醒 Rule reminder"]
    await notify(app, persona["user1"], "系统消息三 System three", Kind.SYSTEM)
    async with app.state.db.unit_of_work() as uow:
        assert await mailer(uow) == 0  # one digest a day
    clock.advance(days=1)
    async with app.state.db.unit_of_work() as uow:
        assert await mailer(uow) == 1
    assert len(sink.to("user1@example.com")) == 3
    bad = await gql.error(PREFERENCES, {"p": [{"kind": "SMS"}]}, "user1", code="BAD_USER_INPUT")
    assert bad["message"] == "Field 'input[0].kind' must be one of: WORKFLOW, WEBHOOK, SYSTEM, APPROVAL"
    assert bad["extensions"]["field"] == "input[0].kind"


async def test_a_kind_given_twice_is_refused_at_its_second_entry_and_nothing_is_saved(gql):
    """The last of the two was kept, silently: the first choice was lost."""
    twice = [{"kind": "WORKFLOW", "email": True}, {"kind": "SYSTEM", "digest": True}, {"kind": "WORKFLOW"}]
    error = await gql.error(PREFERENCES, {"p": twice}, "user1", "BAD_USER_INPUT", "zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "input[2].kind",
        "字段“input[2].kind”的通知类型前面已出现，每种类型只能设置一次",
    )
    kept = (await gql.ok("{ notificationPreferences { kind email digest } }", as_="user1"))["notificationPreferences"]
    assert [(p["kind"], p["email"], p["digest"]) for p in kept] == [
        ("WORKFLOW", False, False),
        ("WEBHOOK", False, False),
        ("SYSTEM", False, False),
        ("APPROVAL", False, False),
    ]
