"""Demo knowledge base and canned responses: articles in Chinese and English, one with two published versions."""

from __future__ import annotations

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from support.kb import service as kb
from support.macros import service as macros

CATEGORIES = (("账户与登录", "Accounts and sign-in"), ("数据导入导出", "Import and export"))
ARTICLES = (
    (
        0,
        "如何重置密码",
        "在登录页点击“忘记密码”，输入邮箱后按邮件中的链接设置新密码。链接 30 分钟内有效。",
        "How to reset your password",
        "On the sign-in page choose “Forgot password”, enter your email and follow the link we mail you. "
        "The link works for 30 minutes.",
        ["登录", "password"],
    ),
    (
        1,
        "导出 Excel 出现乱码怎么办",
        "乱码通常是编码不一致造成的。请在导出时选择 UTF-8 编码，或使用 XLSX 格式。",
        "Garbled characters in an Excel export",
        "Garbled text comes from a mismatched encoding. Export as UTF-8, or choose the XLSX format.",
        ["导出", "excel"],
    ),
    (
        1,
        "打印机无法打印报表",
        "请确认打印机已联网并设为默认打印机，然后在报表页面重新选择打印。",
        "The printer does not print reports",
        "Check that the printer is online and the default one, then print the report again.",
        ["打印机", "printer"],
    ),
)
MACROS = (
    (
        "问候并索取截图 Greeting, asking for a screenshot",
        "{{contact.name}}您好，\n\n关于工单 {{ticket.number}}（{{ticket.subject}}），"
        "请发送报错截图，以便我们尽快处理。\n\n"
        "Hello {{contact.name}}, about ticket {{ticket.number}}, please send us a screenshot of the error.\n\n"
        "{{agent.name}}",
    ),
    (
        "已解决 Resolved",
        "{{contact.name}}您好，工单 {{ticket.number}} 已处理完毕。如仍有问题，请直接回复本邮件。\n\n"
        "Hello {{contact.name}}, ticket {{ticket.number}} is resolved. Reply to this mail if anything remains.",
    ),
)


async def seed_knowledge(uow: UnitOfWork, author: Principal) -> int:
    """The demo articles (published) and canned responses; returns how many articles."""
    categories = [
        await kb.save_category(uow, author, None, name_zh, name_en, position)
        for position, (name_zh, name_en) in enumerate(CATEGORIES)
    ]
    for category, title_zh, body_zh, title_en, body_en, tags in ARTICLES:
        data = kb.ArticleInput(title_zh, body_zh, title_en, body_en, categories[category].id, tags)
        article = await kb.save(uow, author, None, data)
        await kb.publish(uow, author, article.id)
    first = await kb.page(uow, author, kb.ArticleFilter(search="重置密码"), 1, None)
    [reset] = first.items
    more = "如未收到邮件，请检查垃圾邮件文件夹。"
    await kb.save(uow, author, reset.id, kb.ArticleInput(body_zh=f"{reset.body_zh}{more}"))
    await kb.publish(uow, author, reset.id)  # version 2; version 1 is kept
    for name, body in MACROS:
        await macros.save(uow, author, None, name, body)
    return len(ARTICLES)
