"""Mail through real SMTP: the sink hands mail to the support address to the app's inbound endpoint, and the
mail sender's replies are read back from a sink with their headers. Nothing is mocked."""

import uuid
from email.message import EmailMessage

import pytest
from sqlalchemy import text

from crm_shared.devstack.broker import free_port
from crm_shared.testing.smtp import SmtpSink, app_route, send_mail
from support.settings import SupportSettings

SUPPORT = "support@crm.local"
CUSTOMER = "li.lei@example.cn"
TICKET = """query($id: ID!) { ticket(id: $id) { number subject status channel unknownSender account { id } contactId
    entries { public fromCustomer body mailStatus attachments { filename contentType size } }
    slaClocks { kind cycle state } } }"""
FIND = "query($s: String!) { tickets(filter: {search: $s}) { totalCount edges { node { id } } } }"


@pytest.fixture
def sink():
    """The relay the app sends through and the server mail to the support address arrives at; started by tests."""
    server = SmtpSink(free_port())
    yield server
    server.stop()


@pytest.fixture
def support_settings(sink):
    return SupportSettings(smtp_port=sink.port, mail_retry_seconds=60)


@pytest.fixture(autouse=True)
async def routed(app, sink, support_settings):
    """Mail to the support address goes to the app's inbound endpoint, as `make run`'s SMTP server does."""
    sink.route(SUPPORT, app_route(app, "/api/v1/inbound-mail", support_settings.inbound_mail_token))


def message(subject, body="打印机无法开机，请帮忙。", sender=CUSTOMER, message_id=None, **headers):
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = f"李雷 <{sender}>", SUPPORT, subject
    if message_id:
        mail["Message-ID"] = f"<{message_id}>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


async def deliver(sink, mail):
    """Over SMTP to the support address, as a customer's mail server would."""
    await send_mail(sink.port, mail, CUSTOMER, SUPPORT)


async def find(gql, subject):
    found = await gql.ok(FIND, {"s": subject})
    return [e["node"]["id"] for e in found["tickets"]["edges"]]


async def ticket(gql, ticket_id):
    return (await gql.ok(TICKET, {"id": ticket_id}))["ticket"]


async def test_a_mail_from_a_contacts_address_opens_a_ticket_for_that_contact(gql, sink):
    sink.start()
    account = await gql.account("rep1")
    contact = await gql.contact(account, email="Li.Lei@example.cn")
    await deliver(sink, message("打印机无法开机", message_id="m1@example.cn"))
    [opened] = await find(gql, "打印机无法开机")
    found = await ticket(gql, opened)
    assert (found["channel"], found["unknownSender"], found["account"], found["contactId"]) == (
        "EMAIL",
        False,
        {"id": account},
        contact,
    )
    assert found["entries"] == [
        {
            "public": True,
            "fromCustomer": True,
            "body": "打印机无法开机，请帮忙。",
            "mailStatus": None,
            "attachments": [],
        }
    ]
    assert sink.messages == []  # the support address's mail is handed over, not kept


async def test_a_mail_from_an_unknown_address_opens_a_flagged_ticket_an_agent_gives_an_account(gql, sink):
    sink.start()
    await deliver(sink, message("陌生人来信", sender="stranger@example.cn"))
    [opened] = await find(gql, "陌生人来信")
    assert (await ticket(gql, opened))["unknownSender"] is True
    assert (await ticket(gql, opened))["account"] is None
    account = await gql.account("rep1")
    change = "mutation($id: ID!, $a: ID!) { updateTicket(id: $id, input: {accountId: $a}) { unknownSender } }"
    assert (await gql.ok(change, {"id": opened, "a": account}))["updateTicket"] == {"unknownSender": False}
    other = await gql.account("rep2")
    refused = await gql.error(change, {"id": opened, "a": other}, code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "accountId"


async def test_a_reply_is_mailed_once_with_threading_headers_and_the_answer_lands_on_the_ticket(gql, sink, persona):
    sink.start()
    await deliver(sink, message("系统登录超时", message_id="first@example.cn"))
    [opened] = await find(gql, "系统登录超时")
    number = (await ticket(gql, opened))["number"]
    reply = "mutation($id: ID!, $b: String!) { replyToTicket(id: $id, body: $b) { id mailStatus } }"
    sent = await gql.ok(reply, {"id": opened, "b": "请提供截图。"})
    assert sent["replyToTicket"]["mailStatus"] == "PENDING"
    await gql.run_schedule("mail-sender")
    await gql.run_schedule("mail-sender")
    [mailed] = sink.to(CUSTOMER)
    assert mailed["Subject"] == f"Re: 系统登录超时 [#{number}]"
    assert mailed["In-Reply-To"] == "<first@example.cn>"
    assert mailed["References"] == "<first@example.cn>"
    assert mailed["From"].addresses[0].addr_spec == SUPPORT
    assert mailed.get_content().strip() == "请提供截图。"
    ours = mailed["Message-ID"]
    assert ours.endswith("@crm.local>")
    status = "mutation($id: ID!) { changeTicketStatus(id: $id, status: PENDING_CUSTOMER) { status } }"
    await gql.ok(status, {"id": opened})

    await deliver(sink, message("Re: 系统登录超时", "截图见附件。", message_id="second@example.cn", In_Reply_To=ours))
    found = await ticket(gql, opened)
    assert found["status"] == "OPEN"  # the customer answered: back to work
    assert [(e["fromCustomer"], e["body"]) for e in found["entries"]] == [
        (True, "打印机无法开机，请帮忙。"),
        (False, "请提供截图。"),
        (True, "截图见附件。"),
    ]
    assert await find(gql, "Re: 系统登录超时") == []

    await gql.ok(reply, {"id": opened, "b": "已处理。"})
    await gql.run_schedule("mail-sender")
    latest = sink.to(CUSTOMER)[-1]
    assert latest["In-Reply-To"] == "<second@example.cn>"
    assert latest["References"] == f"<first@example.cn> {ours} <second@example.cn>"
    assert len(sink.to(CUSTOMER)) == 2


async def test_the_answer_restarts_the_next_response_clock(gql, sink):
    sink.start()
    calendar = await gql.calendar(weekly=[{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(1, 8)])
    await gql.policy(calendar, firstResponseMinutes=60, nextResponseMinutes=30)
    await deliver(sink, message("时钟测试", message_id="clock-1@example.cn"))
    [opened] = await find(gql, "时钟测试")
    made = await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "收到") { id } }', {"id": opened})
    assert made
    await gql.run_schedule("mail-sender")
    [mailed] = sink.to(CUSTOMER)
    await deliver(sink, message("Re: 时钟测试", "还是不行", In_Reply_To=mailed["Message-ID"]))
    clocks = {(c["kind"], c["cycle"]): c["state"] for c in (await ticket(gql, opened))["slaClocks"]}
    assert clocks == {("FIRST_RESPONSE", 0): "MET", ("NEXT_RESPONSE", 1): "RUNNING"}


async def test_references_or_the_subjects_number_from_the_same_address_thread_a_mail(gql, sink):
    sink.start()
    await deliver(sink, message("发票问题", message_id="inv-1@example.cn"))
    [opened] = await find(gql, "发票问题")
    number = (await ticket(gql, opened))["number"]
    await deliver(sink, message("again", "补充一", References="<x@example.cn> <inv-1@example.cn>"))
    await deliver(sink, message(f"回复 [#{number}]", "补充二"))
    await deliver(sink, message(f"冒充 [#{number}]", "别人的", sender="other@example.cn"))
    bodies = [e["body"] for e in (await ticket(gql, opened))["entries"]]
    assert bodies == ["打印机无法开机，请帮忙。", "补充一", "补充二"]
    assert len(await find(gql, "冒充")) == 1  # a number alone from another address opens a ticket of its own


async def test_a_redelivered_mail_makes_no_second_ticket_or_message(gql, sink):
    raw = message("重复投递", message_id="dup@example.cn").as_bytes()
    post = {"Authorization": "Bearer support-inbound-dev-token", "Content-Type": "message/rfc822"}
    first = await gql.rest("POST", "/api/v1/inbound-mail", None, headers=post, content=raw)
    again = await gql.rest("POST", "/api/v1/inbound-mail", None, headers=post, content=raw)
    assert (first.status_code, first.json()["outcome"]) == (202, "opened")
    assert again.json() == {"outcome": "duplicate", "ticket_id": first.json()["ticket_id"], "reason": None}
    [opened] = await find(gql, "重复投递")
    assert len((await ticket(gql, opened))["entries"]) == 1


async def test_auto_replies_bulk_mail_and_our_own_address_start_no_loop(gql, sink):
    post = {"Authorization": "Bearer support-inbound-dev-token", "Content-Type": "message/rfc822"}
    cases = [
        (message("自动回复：外出", Auto_Submitted="auto-replied"), "automatic"),
        (message("促销", Precedence="bulk"), "automatic"),
        (message("回环", sender=SUPPORT), "loop"),
        (message("退信", sender="MAILER-DAEMON@example.cn"), "loop"),
    ]
    for mail, reason in cases:
        answer = await gql.rest("POST", "/api/v1/inbound-mail", None, headers=post, content=mail.as_bytes())
        assert answer.json() == {"outcome": "ignored", "ticket_id": None, "reason": reason}
    assert (await gql.ok("{ tickets { totalCount } }"))["tickets"]["totalCount"] == 0


async def test_the_inbound_endpoint_wants_its_token(gql):
    raw = message("无令牌").as_bytes()
    for headers in ({}, {"Authorization": "Bearer wrong-token-of-some-length"}):
        answer = await gql.rest("POST", "/api/v1/inbound-mail", None, headers=headers, content=raw)
        assert answer.status_code == 401
    assert (await gql.ok("{ tickets { totalCount } }"))["tickets"]["totalCount"] == 0


async def test_an_oversized_mail_is_refused_while_it_is_read(gql, app):
    app.state.platform = app.state.platform.model_copy(update={"upload_max_bytes": 64 * 1024})
    pulled = []

    async def stream():  # no Content-Length: the limit can only apply while reading
        for n in range(100):
            pulled.append(n)
            yield b"x" * 16 * 1024

    post = {"Authorization": "Bearer support-inbound-dev-token", "Content-Type": "message/rfc822"}
    answer = await gql.rest("POST", "/api/v1/inbound-mail", None, headers=post, content=stream())
    assert (answer.status_code, answer.json()["field"]) == (413, "content")
    assert len(pulled) == 5  # the chunk that passed the limit was the last one read
    assert (await gql.ok("{ tickets { totalCount } }"))["tickets"]["totalCount"] == 0


async def test_attachments_within_the_limits_are_kept_and_the_others_named_in_a_note(gql, sink):
    sink.start()
    mail = message("带附件")
    mail.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="截图.png")
    mail.add_attachment(b"MZ....", maintype="application", subtype="x-msdownload", filename="tool.exe")
    await deliver(sink, mail)
    [opened] = await find(gql, "带附件")
    first, note = (await ticket(gql, opened))["entries"]
    assert first["attachments"] == [{"filename": "截图.png", "contentType": "image/png", "size": 8}]
    assert (note["public"], note["body"]) == (
        False,
        "邮件附件未保存 / Attachments not kept:\ntool.exe（类型不允许 / type application/x-msdownload not accepted）",
    )


async def test_a_subject_with_invisible_or_direction_characters_opens_a_ticket_without_them(gql, sink):
    sink.start()
    mail = message("打印机\u200b无法\u202e开机\u2066", message_id="hidden@example.cn")
    mail.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="\u202egnp.exe")
    await deliver(sink, mail)  # refused, the sender's server would retry until it gave up
    await deliver(sink, message("\u200b\u202e\ufeff", body="没有主题的邮件"))
    found = await gql.ok("{ tickets { edges { node { subject entries { body attachments { filename } } } } } }")
    assert sorted((e["node"]["subject"], e["node"]["entries"]) for e in found["tickets"]["edges"]) == [
        ("打印机无法开机", [{"body": "打印机无法开机，请帮忙。", "attachments": [{"filename": "gnp.exe"}]}]),
        ("（无主题）(no subject)", [{"body": "没有主题的邮件", "attachments": []}]),
    ]


async def test_an_smtp_outage_delays_the_reply_which_is_then_sent_exactly_once(gql, sink, clock):
    account = await gql.account("rep1")
    contact = await gql.contact(account, email=CUSTOMER)
    ticket_id = await gql.ticket(account=account, contactId=contact)
    reply = 'mutation($id: ID!) { replyToTicket(id: $id, body: "您好") { id mailStatus } }'
    await gql.ok(reply, {"id": ticket_id})
    await gql.run_schedule("mail-sender")  # the relay is down
    state = "query($id: ID!) { ticket(id: $id) { entries { mailStatus } } }"
    assert (await gql.ok(state, {"id": ticket_id}))["ticket"]["entries"] == [{"mailStatus": "PENDING"}]
    sink.start()
    await gql.run_schedule("mail-sender")  # back, but the retry is not due yet
    assert sink.to(CUSTOMER) == []
    clock.advance(61)
    await gql.run_schedule("mail-sender")
    await gql.run_schedule("mail-sender")
    clock.advance(hours=2)
    await gql.run_schedule("mail-sender")
    assert len(sink.to(CUSTOMER)) == 1
    assert (await gql.ok(state, {"id": ticket_id}))["ticket"]["entries"] == [{"mailStatus": "SENT"}]


async def test_a_reply_with_a_canned_response_and_an_attachment(gql, sink):
    sink.start()
    account = await gql.account("rep1")
    contact = await gql.contact(account, email=CUSTOMER, name="李雷")
    ticket_id = await gql.ticket(account=account, contactId=contact)
    number = (await ticket(gql, ticket_id))["number"]
    macro = await gql.macro("{{contact.name}}您好，工单 {{ticket.number}} 的报告见附件。")
    reply = """mutation($id: ID!, $m: ID!, $f: [AttachmentInput!]) {
        replyToTicket(id: $id, macroId: $m, attachments: $f) { body attachments { filename size } } }"""
    files = [{"filename": "报告.pdf", "contentType": "application/pdf", "contentBase64": "JVBERi0xLjQ="}]
    made = (await gql.ok(reply, {"id": ticket_id, "m": macro, "f": files}))["replyToTicket"]
    assert made == {
        "body": f"李雷您好，工单 {number} 的报告见附件。",
        "attachments": [{"filename": "报告.pdf", "size": 8}],
    }
    await gql.run_schedule("mail-sender")
    [mailed] = sink.to(CUSTOMER)
    [attached] = list(mailed.iter_attachments())
    assert (attached.get_filename(), attached.get_content()) == ("报告.pdf", b"%PDF-1.4")
    bad = [{"filename": "x.exe", "contentType": "application/x-msdownload", "contentBase64": "TVo="}]
    refused = await gql.error(reply, {"id": ticket_id, "m": macro, "f": bad}, code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "attachments[0].contentType"
    garbled = [files[0], {**files[0], "contentBase64": "not base64!"}]
    refused = await gql.error(reply, {"id": ticket_id, "m": macro, "f": garbled}, code="BAD_USER_INPUT")
    assert (refused["extensions"]["field"], refused["message"]) == (
        "attachments[1].contentBase64",
        "Field 'attachments[1].contentBase64' is not valid base64",
    )
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "还有问题吗？") { id } }', {"id": ticket_id})
    entries = (await ticket(gql, ticket_id))["entries"]  # each entry its own files and mail
    assert [(e["body"], e["mailStatus"], [a["filename"] for a in e["attachments"]]) for e in entries] == [
        (f"李雷您好，工单 {number} 的报告见附件。", "SENT", ["报告.pdf"]),
        ("还有问题吗？", "PENDING", []),
    ]


async def test_a_mail_the_relay_accepted_is_not_sent_again_when_a_later_one_fails(gql, sink):
    sink.start()
    account = await gql.account("rep1")
    contact = await gql.contact(account, email=CUSTOMER)
    first, second = [await gql.ticket(account=account, contactId=contact, subject=s) for s in ("第一封", "第二封")]
    reply = 'mutation($id: ID!) { replyToTicket(id: $id, body: "您好") { id } }'
    await gql.ok(reply, {"id": first})
    await gql.ok(reply, {"id": second})
    async with gql.app.state.db.unit_of_work() as uow:  # a mail that cannot be composed, after the first
        await uow.session.execute(
            text("UPDATE outgoing_mail SET subject = :s WHERE ticket_id = :id"), {"s": "a\nb", "id": uuid.UUID(second)}
        )
    [sender] = [s for s in gql.app.state.schedules.schedules if s.name == "mail-sender"]
    assert [await gql.app.state.schedules.run_once(sender) for _ in range(2)] == [False, False]
    [mailed] = sink.to(CUSTOMER)
    assert "第一封" in mailed["Subject"]


async def test_a_resolved_tickets_contact_is_mailed_one_survey_whose_link_answers_the_form(gql, sink):
    sink.start()
    account = await gql.account()
    contact = await gql.contact(account, email=CUSTOMER, name="李雷")
    opened = await gql.ticket(account=account, contactId=contact)
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }", {"id": opened})
    number = (await ticket(gql, opened))["number"]
    for _ in range(2):
        await gql.run_schedule("surveys")
        await gql.run_schedule("mail-sender")
    csat = f"请评价工单 {number} 的服务 / How did we do on {number}?"
    nps = "您会向朋友推荐我们吗？/ Would you recommend us?"  # the account's NPS round, due at once
    assert sorted(m["Subject"] for m in sink.to(CUSTOMER)) == [nps, csat]
    [mailed] = [m for m in sink.to(CUSTOMER) if m["Subject"] == csat]
    assert (mailed["Auto-Submitted"], mailed.get_content_type()) == ("auto-generated", "multipart/alternative")
    text, html = (mailed.get_body(("plain",)).get_content(), mailed.get_body(("html",)).get_content())
    assert text.startswith(f"李雷，您好：\n\n您的服务请求 {number}「打印机无法开机」已解决。")
    assert "Dear 李雷," in text
    link = text.split("\n")[3]
    assert link.startswith("http://127.0.0.1:8005/api/v1/public/surveys/") and f'href="{link}"' in html
    listed = "query($t: ID) { surveyResults(filter: {ticketId: $t}) { edges { node { link } } } }"
    [shown] = (await gql.ok(listed, {"t": opened}, "admin"))["surveyResults"]["edges"]
    assert shown["node"]["link"] == link  # the staff see the link that was mailed

    path = link[link.index("/api/v1/") :]
    assert (await gql.rest("GET", path, as_=None)).json()["ticket_subject"] == "打印机无法开机"
    assert (await gql.rest("POST", path, as_=None, json={"score": 5})).status_code == 200
    await gql.run_schedule("surveys")
    await gql.run_schedule("mail-sender")
    assert len(sink.to(CUSTOMER)) == 2  # each survey once


async def test_an_nps_survey_is_mailed_to_the_contact(gql, sink):
    sink.start()
    account = await gql.account()
    await gql.contact(account, email=CUSTOMER)
    await gql.contact(account)  # without an address: the staff pass the link on
    sent = "mutation($a: ID!) { sendNpsSurveys(accountId: $a) }"
    assert (await gql.ok(sent, {"a": account}, "admin"))["sendNpsSurveys"] == 2
    await gql.run_schedule("mail-sender")
    [mailed] = sink.to(CUSTOMER)
    assert mailed["Subject"] == "您会向朋友推荐我们吗？/ Would you recommend us?"
    assert mailed.get_body(("plain",)).get_content().startswith("王工，您好：\n\n您有多大可能向朋友或同事推荐我们？")


async def test_a_subject_of_invisible_characters_opens_a_ticket_without_a_subject(gql, sink):
    sink.start()
    await deliver(sink, message("\u200b\u200b", body="\u200b\n"))
    [opened] = await find(gql, "no subject")
    found = await ticket(gql, opened)
    assert (found["number"], found["subject"]) == ("TK0000001", "（无主题）(no subject)")
    assert [e["body"] for e in found["entries"]] == ["（邮件无正文）(the mail has no text)"]


async def test_giving_an_unknown_senders_ticket_its_account_chooses_the_accounts_policy(gql, sink):
    sink.start()
    calendar = await gql.calendar()
    key_accounts = await gql.policy(calendar, firstResponseMinutes=30, levels=["A"])
    await deliver(sink, message("陌生人的故障", sender="stranger@example.cn"))
    [opened] = await find(gql, "陌生人的故障")
    policy = "query($id: ID!) { ticket(id: $id) { policyId } }"
    assert (await gql.ok(policy, {"id": opened}))["ticket"]["policyId"] is None
    account = await gql.account("rep1", level="A")
    await gql.ok(
        "mutation($id: ID!, $a: ID!) { updateTicket(id: $id, input: {accountId: $a}) { id } }",
        {"id": opened, "a": account},
    )
    assert (await gql.ok(policy, {"id": opened}))["ticket"]["policyId"] == key_accounts
