"""Demo sales data: products, a price book, lead rules, leads, opportunities and targets, once the demo
users and accounts have reached sales through identity's and customer's events."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.db.snapshots import keep_newer
from sales.campaigns import CampaignRef
from sales.contracts import lifecycle as contract_lifecycle
from sales.contracts.models import ContractStatus
from sales.contracts.service import ContractInput
from sales.leads import rules
from sales.leads import service as leads
from sales.leads.rules import RuleInput
from sales.leads.service import LeadInput
from sales.opportunities.service import LineInput, OpportunityInput
from sales.orders.billing import PaymentInput
from sales.performance import targets
from sales.periods import current
from sales.pipeline import service as pipelines
from sales.products.models import Product
from sales.products.service import PriceBookInput, ProductInput
from sales.quotes.service import QuoteInput
from sales.services import Sales
from sales.settings import SalesSettings

SYSTEM = Principal(user_id=uuid.UUID(int=0), permissions=frozenset({"*"}))
PRODUCTS = (
    ("CRM-STD", "CRM 标准版（年）", "套", "36000"),
    ("CRM-PRO", "CRM 专业版（年）", "套", "98000"),
    ("IMPL-DAY", "实施服务", "人天", "2500"),
    ("TRAIN", "培训服务", "场", "8000"),
)
# marketing's demo exhibition, which its demo seed creates under this id: two leads and the won deal came from it
DEMO_CAMPAIGN = uuid.uuid5(uuid.NAMESPACE_URL, "https://crm.example.com/demo/campaigns/autumn-expo")
LEADS = (
    ("深圳市大疆创新科技有限公司", "李明", "13900139000", "展会", "广东", "无人机"),
    ("宁德时代新能源科技股份有限公司", "陈静", "13700137000", "web_form", "福建", "新能源"),
    ("小米科技有限责任公司", "刘洋", "13600136000", "转介绍", "北京", "消费电子"),
)


async def _wait(db: Database, timeout: float = 60) -> tuple[dict[str, uuid.UUID], list[AccountRef]]:
    """Demo users and accounts, from the projections identity's and customer's events fill."""
    for _ in range(int(timeout * 5)):
        async with db.read() as session:
            users = {
                e.split("@")[0]: u
                for e, u in (await session.execute(select(col(DirectoryUser.email), col(DirectoryUser.user_id)))).all()
            }
            accounts = list(
                (await session.scalars(select(AccountRef).where(col(AccountRef.owner_id).is_not(None)))).all()
            )
        if {"rep1", "rep2", "manager"} <= set(users) and len(accounts) >= 6:
            return users, accounts
        await asyncio.sleep(0.2)
    raise TimeoutError("the demo users and accounts did not reach the sales service")


async def seed(db: Database, sales: Sales) -> int:
    """The demo in one unit of work, once: nothing when products exist already."""
    async with db.unit_of_work() as uow:
        await pipelines.ensure_default(uow)
        if await uow.session.scalar(select(func.count()).select_from(Product)):
            return 0
    users, accounts = await _wait(db)
    async with db.unit_of_work() as uow:
        return await _demo(uow, sales, users, accounts)


async def _demo(uow: UnitOfWork, sales: Sales, users: dict[str, uuid.UUID], accounts: list[AccountRef]) -> int:
    # marketing seeds after sales: its exhibition is known ahead of its campaign.created, whose snapshot then wins
    ahead = {"id": DEMO_CAMPAIGN, "name": "", "status": "", "updated_at": dt.datetime.min.replace(tzinfo=dt.UTC)}
    await keep_newer(uow, CampaignRef, ahead)
    products = [
        await sales.products.create(uow, SYSTEM, ProductInput(code, name, unit, price))
        for code, name, unit, price in PRODUCTS
    ]
    await sales.products.create_price_book(
        uow,
        SYSTEM,
        PriceBookInput("A 级客户价", customer_level="A", discount_percent="8", entries=[(products[1].id, "88000")]),
    )
    for field, value, points in (
        ("source", "转介绍", 30),
        ("source", "展会", 20),
        ("email", "", 10),
        ("phone", "", 10),
        ("title", "总", 15),
        ("activities", "2", 20),
    ):
        await rules.add_scoring_rule(uow, SYSTEM, field, value, points)
    await rules.save_assignment_rule(
        uow,
        SYSTEM,
        RuleInput("官网线索轮询", "round_robin", 10, sources=["web_form"], member_ids=[users["rep1"], users["rep2"]]),
        None,
    )
    for index, (company, name, phone, source, province, industry) in enumerate(LEADS):
        await leads.create(
            uow,
            SYSTEM,
            LeadInput(
                company=company,
                contact_name=name,
                phone=phone,
                source=source,
                province=province,
                industry=industry,
                owner_id=users["rep1"],
                campaign_id=DEMO_CAMPAIGN if index < 2 else None,
            ),
        )
    today = utcnow().date()
    for index, account in enumerate(accounts):
        owner = (
            SYSTEM if account.owner_id is None else Principal(user_id=account.owner_id, permissions=frozenset({"*"}))
        )
        o = await sales.opportunities.create(
            uow,
            owner,
            OpportunityInput(
                name=f"{account.name} CRM 项目",
                amount=str(120000 + 40000 * index),
                account_id=account.id,
                expected_close_date=today + dt.timedelta(days=20 + 15 * index),
                forecast_category=("commit", "best_case", "pipeline")[index % 3],
                source="展会",
            ),
        )
        stages = (await pipelines.listed(uow, SYSTEM))[0][1]
        if index % 2 == 0:
            await sales.opportunities.move(uow, owner, o.id, stages[1].id)
    await _deals(uow, sales, users, accounts, products)
    month = current("month").key
    for rep, amount in (("rep1", "500000"), ("rep2", "400000")):
        await targets.set_target(uow, SYSTEM, month, "won_amount", amount, users[rep], None)
    return len(accounts)


async def _deals(
    uow: UnitOfWork, sales: Sales, users: dict[str, uuid.UUID], accounts: list[AccountRef], products: list[Product]
) -> None:
    """One deal won through a quote (order, invoice, part paid), one lost, one contract signed, and a quote
    whose 35 % discount waits for approval."""
    rep = Principal(user_id=users["rep1"], permissions=frozenset({"*"}))
    mine = [a for a in accounts if a.owner_id == users["rep1"]]
    won = await sales.opportunities.create(
        uow,
        rep,
        OpportunityInput(
            name=f"{mine[0].name} 专业版", account_id=mine[0].id, source="展会", campaign_id=DEMO_CAMPAIGN
        ),
    )
    quote = await sales.quotes.create(
        uow, rep, QuoteInput(won.id, [LineInput(products[1].id, "1"), LineInput(products[2].id, "10")], tax_rate="6")
    )
    await sales.quotes.submit(uow, rep, quote.id)
    _, order = await sales.quotes.accept(uow, rep, quote.id)
    invoice = await sales.billing.issue(uow, SYSTEM, order.id, None, None)
    await sales.billing.record_payment(uow, SYSTEM, PaymentInput(invoice.id, str(invoice.amount / 2)))
    lost = await sales.opportunities.create(
        uow, rep, OpportunityInput(name=f"{mine[-1].name} 扩容", amount="80000", account_id=mine[-1].id)
    )
    await sales.opportunities.close(uow, rep, lost.id, False, "预算冻结", "Salesforce")
    today = utcnow().date()
    contract = await sales.contracts.create(
        uow, rep, ContractInput(mine[0].id, "年度维保合同", "36000", today, today.replace(year=today.year + 1))
    )
    await sales.contracts.transition(uow, rep, contract.id, ContractStatus.PENDING_APPROVAL)
    # approved by the manager before the demo began: automation closes its approval on the status change
    contract.approver_id = users["manager"]
    await contract_lifecycle.move(uow, contract, ContractStatus.APPROVED, None)
    await sales.contracts.transition(uow, rep, contract.id, ContractStatus.SIGNED)
    flagship = await sales.opportunities.create(
        uow, rep, OpportunityInput(name=f"{mine[0].name} 旗舰版", amount="200000", account_id=mine[0].id)
    )
    waiting = await sales.quotes.create(  # 35 % off: automation's demo chain has it wait for the director
        uow, rep, QuoteInput(flagship.id, [LineInput(products[0].id, "2")], discount_percent="35", tax_rate="6")
    )
    await sales.quotes.submit(uow, rep, waiting.id)


async def seed_demo(database_url: str) -> int:
    db = Database(database_url, source="/crm/sales")
    try:
        return await seed(db, Sales.wire(SalesSettings(database_url=database_url)))
    finally:
        await db.dispose()
