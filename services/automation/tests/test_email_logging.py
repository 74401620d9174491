"""Email logging through the real SMTP server: mail sent or copied (Bcc too) to one's logging address
becomes an email activity on each contact customer matches by keyed email hash, a conversation keeps
one thread id, and mail matching nobody is kept for its user."""

import uuid
from email.message import EmailMessage

from crm_shared.crypto import lookup_hash
from crm_shared.testing.smtp import app_route, send_mail

from .conftest import MAIL_TOKEN

INBOUND = "/api/v1/connectors/email/inbound"
CONTACT_ID, ACCOUNT_ID = str(uuid.uuid4()), str(uuid.uuid4())
LI = {"id": CONTACT_ID, "name": "李四", "accountId": ACCOUNT_ID, "owner": None}
MAILS = """query($u: Boolean!) { loggedMails(unmatchedOnly: $u) { totalCount edges { node {
    subject sender recipients threadId matched } } } }"""


def matching(variables):
    """contactsByChannel as customer answers it: 李四 has li.si@customer.cn."""
    return [LI] if lookup_hash("li.si@customer.cn") in (variables.get("h") or []) else []


def mail(subject, to, message_id, reply_to=None, cc=None):
    message = EmailMessage()
    message["From"] = "王销售 <wang@crm.local>"
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0800"
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(f"{subject}：详见附件。")
    return message


async def test_mail_copied_to_the_logging_address_is_an_email_activity_threaded(gql, app, sink, stand_in):
    stand_in.canned["contactsByChannel"] = matching
    sink.route("log@crm.local", app_route(app, INBOUND, MAIL_TOKEN))
    sink.start()
    address = (await gql.ok("{ myEmailLoggingAddress }", as_="caller"))["myEmailLoggingAddress"]
    assert address.startswith("log+") and address.endswith("@crm.local")
    assert (await gql.ok("{ myEmailLoggingAddress }", as_="caller"))["myEmailLoggingAddress"] == address
    first = mail("报价单", "Li Si <Li.Si@Customer.cn>", "<q1@crm.local>")
    await send_mail(sink.port, first, "wang@crm.local", address)  # a Bcc: only the envelope names the address
    reply = mail("Re: 报价单", "wang@crm.local", "<r1@customer.cn>", reply_to="<q1@crm.local>", cc=address)
    reply.replace_header("From", "li.si@customer.cn")
    await send_mail(sink.port, reply, "li.si@customer.cn", address)
    await send_mail(sink.port, first, "wang@crm.local", address)  # sent again: logged once
    logged = stand_in.called("logActivity")
    assert [(r["variables"]["i"]["subject"], r["variables"]["i"]["threadId"]) for r in logged] == [
        ("报价单", "<q1@crm.local>"),
        ("Re: 报价单", "<q1@crm.local>"),
    ]
    assert {k: v for k, v in logged[0]["variables"]["i"].items() if k not in ("subject", "threadId")} == {
        "accountId": ACCOUNT_ID,
        "contactId": CONTACT_ID,
        "kind": "email",
        "content": "报价单：详见附件。",
        "occurredAt": "2026-12-01T10:00:00+08:00",
        "outcome": None,
        "link": None,
        "durationSeconds": None,
    }
    mails = (await gql.ok(MAILS, {"u": False}, "caller"))["loggedMails"]
    assert [(m["node"]["subject"], m["node"]["matched"]) for m in mails["edges"]] == [("Re: 报价单", 1), ("报价单", 1)]
    assert sink.messages == []  # handed over, not kept as undelivered mail


async def test_mail_matching_no_contact_is_kept_for_its_user(gql, app, stand_in):
    stand_in.canned["contactsByChannel"] = matching
    address = (await gql.ok("{ myEmailLoggingAddress }", as_="caller"))["myEmailLoggingAddress"]
    raw = mail("展会邀请", f"someone@elsewhere.cn, {address}", "<x1@crm.local>").as_bytes()
    headers = {"Authorization": f"Bearer {MAIL_TOKEN}", "Content-Type": "message/rfc822"}
    taken = await gql.rest("POST", INBOUND, None, content=raw, headers=headers)
    assert (taken.status_code, taken.json()) == (202, [{"outcome": "unmatched", "duplicate": False}])
    kept = (await gql.ok(MAILS, {"u": True}, "caller"))["loggedMails"]["edges"]
    assert [m["node"] for m in kept] == [
        {
            "subject": "展会邀请",
            "sender": ["wang@crm.local"],
            "recipients": ["someone@elsewhere.cn", address],
            "threadId": "<x1@crm.local>",
            "matched": 0,
        }
    ]
    await gql.error(MAILS, {"u": True}, "user1", code="FORBIDDEN")  # one's own mail only, with the permission
    nobody = mail("无关", "log+unknown@crm.local", "<x2@crm.local>").as_bytes()
    assert (await gql.rest("POST", INBOUND, None, content=nobody, headers=headers)).json() == []
    forged = await gql.rest("POST", INBOUND, None, content=raw, headers={**headers, "Authorization": "Bearer guess"})
    assert forged.status_code == 401
    assert stand_in.called("logActivity") == []
