"""Reading inbound mail, and filling canned responses: pure rules, no I/O."""

from email.message import EmailMessage

from support.macros.fields import language, render, unknown
from support.mail.html import to_text
from support.mail.parse import parse


def mail(**headers):
    message = EmailMessage()
    message["From"] = headers.pop("From", "李雷 <Li.Lei@Example.CN>")
    message["To"] = "support@crm.local"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("打印机坏了\n请尽快处理")
    return message


def test_a_mail_names_its_sender_its_id_and_the_messages_it_answers():
    found = parse(
        mail(
            Subject="Re: 打印机无法开机 [#TK0000042]",
            Message_ID="<abc@example.cn>",
            In_Reply_To="<ours-2@crm.local>",
            References="<first@example.cn> <ours-1@crm.local> <ours-2@crm.local>",
        ).as_bytes()
    )
    assert (found.sender, found.sender_name, found.message_id) == ("li.lei@example.cn", "李雷", "abc@example.cn")
    assert found.thread == ["ours-2@crm.local", "ours-1@crm.local", "first@example.cn"]
    assert found.ticket_number == "TK0000042"
    assert found.text == "打印机坏了\n请尽快处理"
    assert found.automatic is False


def test_header_texts_lose_what_a_single_line_may_not_hold_and_keep_the_joiners_names_need():
    found = parse(
        mail(From="李\u202e雷\u200b <li.lei@example.cn>", Subject="打印机\u200b 无法\t\u2067开机\u200d").as_bytes()
    )
    assert (found.sender_name, found.subject) == ("李雷", "打印机 无法 开机\u200d")


def test_a_mail_without_a_message_id_is_known_by_its_content():
    raw = mail(Subject="无编号").as_bytes()
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id.startswith("sha256:")


def test_auto_replies_bulk_and_list_mail_are_machines():
    for headers in (
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"List_Id": "<news.example.cn>"},
        {"X_Autoreply": "yes"},
    ):
        assert parse(mail(Subject="外出", **headers).as_bytes()).automatic, headers
    assert not parse(mail(Subject="人", Auto_Submitted="no").as_bytes()).automatic


def test_an_html_body_becomes_its_text_without_markup_or_scripts():
    message = EmailMessage()
    message["From"] = "a@example.cn"
    message.set_content(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>您好，</p><p>系统<b>无法</b>登录 &amp; 报错</p><ul><li>截图</li></ul>"
        '<img src="https://tracker.example/x.png" onerror="steal()"></body></html>',
        subtype="html",
    )
    assert parse(message.as_bytes()).text == "您好，\n\n系统无法登录 & 报错\n\n- 截图"


def test_the_plain_part_of_an_alternative_mail_wins_and_attachments_are_read():
    message = mail(Subject="附件")
    message.add_alternative("<p>HTML 版本</p>", subtype="html")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="报价单.pdf")
    found = parse(message.as_bytes())
    assert found.text == "打印机坏了\n请尽快处理"
    assert [(a.filename, a.content_type, a.data) for a in found.attachments] == [
        ("报价单.pdf", "application/pdf", b"%PDF-1.4")
    ]


def test_html_text_keeps_the_words_only():
    assert to_text("<div>a<br>b</div><script>x</script>") == "a\nb"


def test_merge_fields_are_filled_once_and_their_values_are_never_read_as_fields():
    template = "{{contact.name}}您好，工单 {{ ticket.number }} {{{{literal}}"
    values = {"contact.name": "{{ticket.number}}\x07王工", "ticket.number": "TK0000001"}
    assert render(template, values) == "{{ticket.number}}王工您好，工单 TK0000001 {{literal}}"
    assert render("{{account.name}}", {}) == ""
    assert unknown("{{contact.name}} {{contact.phone}}") == ["contact.phone"]


def test_a_macro_is_read_in_the_language_of_its_own_words_else_of_the_tickets_subject():
    assert language("您好，{{contact.name}}", "Printer down") == "zh-CN"
    assert language("Dear {{contact.name}}, 打印机 is fixed", "") == "zh-CN"
    assert language("Hello {{contact.name}}", "打印机无法开机") == "en"
    assert language("{{ticket.number}}: {{ticket.status}}", "打印机无法开机") == "zh-CN"
    assert language("{{ticket.status}}", "Printer down") == "en"
