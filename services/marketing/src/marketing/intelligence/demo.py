"""Demo competitors (Salesforce is the one sales' demo lost a deal to) and intelligence entries, in Chinese."""

from __future__ import annotations

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from marketing.intelligence import service
from marketing.intelligence.models import IntelligenceKind

COMPETITORS = (
    service.CompetitorInput(
        "Salesforce",
        aliases=["赛富时", "SFDC"],
        website="https://www.salesforce.com",
        strengths="生态完善，平台扩展能力强，国际品牌认可度高",
        weaknesses="价格高，本地化与数据合规成本高，实施周期长",
    ),
    service.CompetitorInput(
        "销售易",
        aliases=["XSY", "Neocrm"],
        website="https://www.xiaoshouyi.com",
        strengths="移动端体验好，国内大客户案例多",
        weaknesses="定制开发依赖原厂，二次开发成本高",
    ),
    service.CompetitorInput(
        "纷享销客",
        aliases=["Fxiaoke"],
        website="https://www.fxiaoke.com",
        strengths="连接型 CRM，渠道与经销商管理强",
        weaknesses="复杂报表与分析能力较弱",
    ),
)
ENTRIES = (
    (
        IntelligenceKind.PRICING,
        "纷享销客专业版年费下调 15%",
        "渠道反馈：专业版每用户每年降至 1,200 元，限年底签约。",
        "渠道伙伴",
        "纷享销客",
        ["价格", "促销"],
    ),
    (
        IntelligenceKind.PRODUCT,
        "Salesforce 发布 Agentforce 中文版",
        "新增中文智能体，面向在华跨国企业，数据存放在境外。",
        "官网",
        "Salesforce",
        ["AI", "产品"],
    ),
    (IntelligenceKind.NEWS, "销售易完成新一轮融资", "融资将用于制造业行业方案与海外市场。", "36氪", "销售易", ["融资"]),
    (
        IntelligenceKind.RESEARCH_REPORT,
        "2026 中国 CRM 市场研究报告",
        "SaaS CRM 渗透率持续提升，制造业与医疗行业增速最快；国产替代成为采购的重要考量。",
        "IDC",
        None,
        ["行业报告", "市场规模"],
    ),
)


async def seed_intelligence(uow: UnitOfWork, marketer: Principal) -> None:
    ids = {}
    for competitor in COMPETITORS:
        ids[competitor.name] = (await service.save_competitor(uow, marketer, None, competitor)).id
    for kind, title, body, source, rival, tags in ENTRIES:
        entry = service.EntryInput(
            kind, title, body, source, tags=tags, competitor_id=ids.get(rival) if rival else None
        )
        await service.save_entry(uow, marketer, None, entry)
