"""Demo marketing data: two email templates and an SMS template, a campaign of every type with its budget
(most approved by the marketing manager, one waiting for approval, one still a draft), the demo contacts'
consent (one opted out of email) and an email and an SMS campaign sent to them, whose mails and texts the
running service delivers to the local mail sink and the local SMS provider (texts due in quiet hours wait
until 8:00); a completed exhibition that sales' demo leads and won deal name (its attributed revenue and
return), materials issued to it, competitors and intelligence entries in Chinese, segments, and a live
journey with the demo contacts at different steps."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, utcnow
from crm_shared.org import OrgUnitRef
from marketing.audience import ContactRef
from marketing.campaigns import budget, members
from marketing.campaigns import service as campaigns
from marketing.campaigns.models import Campaign
from marketing.campaigns.rules import CampaignStatus, CampaignType
from marketing.consent import service as consent
from marketing.consent.rules import Channel
from marketing.intelligence.demo import seed_intelligence
from marketing.journeys.demo import seed_journey
from marketing.materials.demo import seed_materials
from marketing.performance.demo import seed_expo
from marketing.segments.seed import seed_segments
from marketing.sending import service as sending
from marketing.settings import MarketingSettings
from marketing.sms import rules as sms_rules
from marketing.sms import service as sms
from marketing.sms.models import SmsKind
from marketing.templates import service as templates

STAFF = ("marketer", "marketing.manager")
NEWSLETTER = templates.TemplateInput(
    name="新品发布 Product launch",
    subject_zh="{{ contact.name }}，{{ campaign.name }}",
    html_zh=(
        "<html><body><p>尊敬的{{ contact.name }}（{{ account.name }}）：</p>"
        "<p>我们的新一代产品已经发布，欢迎了解。</p>"
        '<p><a href="https://example.com/products/new">查看新品</a></p>'
        '<p style="font-size:12px">不想再收到此类邮件？<a href="{{ unsubscribe_url }}">退订</a></p>'
        "</body></html>"
    ),
    text_zh="尊敬的{{ contact.name }}：\n我们的新一代产品已经发布：https://example.com/products/new\n"
    "退订：{{ unsubscribe_url }}",
    subject_en="{{ contact.name }}, {{ campaign.name }}",
    html_en=(
        "<html><body><p>Dear {{ contact.name }} ({{ account.name }}),</p>"
        "<p>Our new generation of products is out.</p>"
        '<p><a href="https://example.com/products/new">See what is new</a></p>'
        '<p style="font-size:12px"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>'
    ),
    text_en="Dear {{ contact.name }},\nOur new products: https://example.com/products/new\n"
    "Unsubscribe: {{ unsubscribe_url }}",
)
INVITATION = templates.TemplateInput(
    name="研讨会邀请 Seminar invitation",
    subject_zh="诚邀{{ contact.name }}参加{{ campaign.name }}",
    html_zh=(
        "<html><body><p>{{ contact.name }}您好：</p><p>诚邀您参加{{ campaign.name }}。</p>"
        '<p><a href="https://example.com/events/register">立即报名</a></p>'
        '<p><a href="{{ unsubscribe_url }}">退订</a></p></body></html>'
    ),
    text_zh="{{ contact.name }}您好：诚邀您参加{{ campaign.name }}。报名：https://example.com/events/register",
)
SPRING_SMS = sms.SmsTemplateInput(
    name="春季会员短信 Spring member SMS",
    kind=SmsKind.MARKETING,
    provider_code="SMS_468150001",
    signature="【示例科技】",
    content="${name}您好，春季会员日全场${offer}，详询客户经理。回T退订",
    params=[sms_rules.Param("name", "{{ contact.name }}"), sms_rules.Param("offer", "八折")],
)
# name, type, days from today to the start, length in days, budget lines, what happens to the budget
CAMPAIGNS: tuple[tuple[str, CampaignType, int, int, tuple[tuple[str, str], ...], str], ...] = (
    (
        "2027 上海工博会 Shanghai Industry Fair",
        CampaignType.EXHIBITION,
        40,
        5,
        (("展位 Booth", "80000"), ("物料 Materials", "12000")),
        "approved",
    ),
    (
        "数字化转型研讨会 Digital transformation seminar",
        CampaignType.SEMINAR,
        20,
        1,
        (("场地 Venue", "15000"), ("餐饮 Catering", "6000")),
        "submitted",
    ),
    (
        "产品在线发布会 Online launch webinar",
        CampaignType.WEBINAR,
        10,
        1,
        (("直播平台 Streaming", "5000"),),
        "approved",
    ),
    ("新品发布邮件 Product launch email", CampaignType.EMAIL, 0, 30, (("邮件服务 Email service", "2000"),), "sent"),
    ("会员短信关怀 Member SMS care", CampaignType.SMS, 30, 7, (("短信费用 SMS fees", "3000"),), "draft"),
    ("春季会员日短信 Spring member day SMS", CampaignType.SMS, -3, 14, (("短信费用 SMS fees", "1500"),), "sent"),
    ("搜索引擎推广 Search ads", CampaignType.ONLINE_ADS, 0, 60, (("百度推广 Baidu ads", "50000"),), "running"),
    (
        "微信公众号推广 WeChat campaign",
        CampaignType.SOCIAL,
        5,
        30,
        (("内容制作 Content", "8000"), ("投放 Promotion", "20000")),
        "approved",
    ),
)


async def _wait(db: Database, timeout: float = 90) -> tuple[dict[str, DirectoryUser], list[ContactRef]]:
    """The marketing staff, their unit's manager and the demo contacts with an address, from the projections."""
    for _ in range(int(timeout * 5)):
        async with db.read() as session:
            users = {u.email.split("@")[0]: u for u in (await session.scalars(select(DirectoryUser))).all()}
            contacts = list(
                (
                    await session.scalars(
                        select(ContactRef)
                        .where(col(ContactRef.email_enc).is_not(None), col(ContactRef.account_id).is_not(None))
                        .order_by(col(ContactRef.id))
                    )
                ).all()
            )
            managers = set((await session.scalars(select(col(OrgUnitRef.manager_id)))).all())
        staff = set(STAFF) <= set(users)
        if staff and users["marketing.manager"].user_id in managers and len(contacts) >= 4:
            return users, contacts
        await asyncio.sleep(0.2)
    raise TimeoutError("the demo users and contacts did not reach the marketing service")


async def seed(db: Database, settings: MarketingSettings | None = None) -> int:
    """The demo, once: nothing when a campaign exists already. Returns how many campaigns it made."""
    settings = settings or MarketingSettings()
    async with db.read() as session:
        if await session.scalar(select(func.count()).select_from(Campaign)):
            return 0
    users, contacts = await _wait(db)
    marketer, manager = (Principal(user_id=users[name].user_id, permissions=frozenset({"*"})) for name in STAFF)
    today = utcnow().date()
    async with db.unit_of_work() as uow:
        newsletter = await templates.save(uow, marketer, None, NEWSLETTER)
        invitation = await templates.save(uow, marketer, None, INVITATION)
        spring_sms = await sms.save(uow, marketer, None, SPRING_SMS)
        for index, contact in enumerate(contacts):
            granted = index != len(contacts) - 1  # the last one opted out: the send leaves them out
            await consent.record(uow, marketer, contact.id, Channel.EMAIL, True, "form", "官网订阅 Website sign-up")
            if contact.phone_enc is not None:
                await consent.record(uow, marketer, contact.id, Channel.SMS, True, "form", "会员注册 Member sign-up")
            if not granted:
                await consent.record(
                    uow, marketer, contact.id, Channel.EMAIL, False, "manual", "电话中要求 Asked by phone"
                )
    for name, kind, start, days, lines, outcome in CAMPAIGNS:
        async with db.unit_of_work() as uow:
            data = campaigns.CampaignInput(
                name=name,
                type=kind,
                starts_on=today + dt.timedelta(days=start),
                ends_on=today + dt.timedelta(days=start + days),
                goal_leads=50,
                goal_opportunities=10,
                goal_revenue=Decimal("500000"),
                template_id=newsletter.id if kind is CampaignType.EMAIL else None,
                budget_lines=[campaigns.LineInput(category, Decimal(amount)) for category, amount in lines],
            )
            campaign = await campaigns.create(uow, marketer, data)
            if outcome == "draft":
                continue
            await budget.submit_budget(uow, marketer, campaign.id)
            if outcome == "submitted":
                continue
            await budget.apply_decision(uow, campaign.id, True, manager.user_id, "同意 Approved")
            if outcome == "running":
                await campaigns.change_status(uow, marketer, campaign.id, CampaignStatus.RUNNING)
                cost = budget.CostInput("百度推广 Baidu ads", Decimal("12000"), today, "首月 First month")
                await budget.record_cost(uow, marketer, campaign.id, cost)
            if outcome == "sent":
                await members.add_members(uow, marketer, campaign.id, [c.id for c in contacts], [])
                if kind is CampaignType.SMS:
                    await sms.choose_template(uow, marketer, campaign.id, spring_sms.id)
                await sending.send(uow, marketer, campaign.id, settings)
    async with db.unit_of_work() as uow:
        expo = await seed_expo(uow, marketer, manager)
        await seed_materials(uow, marketer, expo)  # before it completes: a completed campaign bears no more cost
        await campaigns.change_status(uow, marketer, expo, CampaignStatus.COMPLETED)
        await seed_intelligence(uow, marketer)
        await seed_segments(uow, marketer, contacts)
    async with db.read() as session:
        webinar = await session.scalar(select(col(Campaign.id)).where(col(Campaign.type) == CampaignType.WEBINAR))
    assert webinar is not None and invitation is not None
    await seed_journey(db, marketer, webinar, invitation.id, [c.id for c in contacts])
    return len(CAMPAIGNS) + 1


async def seed_demo(database_url: str) -> int:
    db = Database(database_url, source="/crm/marketing")
    try:
        return await seed(db)
    finally:
        await db.dispose()
