"""Demo customers for the demo organisation's representatives, once identity's users have arrived."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, UnitOfWork, utcnow
from customer.accounts import ownership
from customer.accounts import service as accounts
from customer.accounts.models import Account
from customer.accounts.service import AccountInput
from customer.activities import service as activities
from customer.activities.service import ActivityInput
from customer.contacts import service as contacts
from customer.contacts.service import ContactInput

ACCOUNTS: tuple[
    tuple[str | None, str, str, str, str, str, str, list[str]], ...
] = (  # owner, name, industry, province, city, level, source, tags
    ("rep1", "华为技术有限公司", "通信设备", "广东", "深圳", "A", "展会", ["重点客户", "5G"]),
    ("rep1", "比亚迪股份有限公司", "汽车制造", "广东", "深圳", "A", "转介绍", ["新能源"]),
    ("rep1", "海尔智家股份有限公司", "家电", "山东", "青岛", "B", "官网", []),
    ("rep2", "腾讯科技（深圳）有限公司", "互联网", "广东", "深圳", "A", "老客户", ["重点客户"]),
    ("rep2", "上海浦东发展银行", "金融", "上海", "上海", "B", "电话营销", ["金融"]),
    ("manager", "中国石化销售股份有限公司", "能源", "北京", "北京", "A", "招投标", []),
    (None, "杭州西湖龙井茶业有限公司", "食品饮料", "浙江", "杭州", "C", "官网", ["待跟进"]),
)
SYSTEM = Principal(user_id=uuid.UUID(int=0), permissions=frozenset({"*"}))


async def _users(db: Database, timeout: float = 60) -> dict[str, uuid.UUID]:
    """Demo users by login name, from the directory identity's events fill."""
    for _ in range(int(timeout * 5)):
        async with db.unit_of_work() as uow:
            rows = (await uow.session.execute(select(col(DirectoryUser.email), col(DirectoryUser.user_id)))).all()
        found = {email.split("@")[0]: user_id for email, user_id in rows if email.endswith("@example.com")}
        if {"rep1", "rep2", "manager"} <= set(found):
            return found
        await asyncio.sleep(0.2)
    raise TimeoutError("identity's demo users did not reach the customer directory")


async def seed(uow: UnitOfWork, users: dict[str, uuid.UUID]) -> int:
    """The demo accounts with a contact and a first call each, one of them in the public pool."""
    if await uow.session.scalar(select(func.count()).select_from(Account)):
        return 0
    for owner, name, industry, province, city, level, source, tags in ACCOUNTS:
        data = AccountInput(
            name=name,
            industry=industry,
            province=province,
            city=city,
            level=level,
            source=source,
            tags=tags,
            owner_id=users.get(owner or "manager"),
        )
        account = await accounts.create(uow, SYSTEM, data)
        if owner is None:
            await ownership.release(uow, SYSTEM, account.id, "公海示例 demo pool account")
            continue
        # the owner met the buyer and made the first call: the timeline names a real user
        rep = Principal(user_id=users[owner], permissions=frozenset({"*"}))
        contact = ContactInput(account.id, "王采购", "采购经理", "buyer", "138 0013 8000", "buyer@example.cn")
        await contacts.create(uow, rep, contact)
        first_call = ActivityInput(account.id, "call", "首次电话沟通", "了解需求，约定拜访", occurred_at=utcnow())
        await activities.log(uow, rep, first_call)
    return len(ACCOUNTS)


async def seed_demo(database_url: str) -> int:
    db = Database(database_url, source="/crm/customer")
    try:
        users = await _users(db)
        async with db.unit_of_work() as uow:
            return await seed(uow, users)
    finally:
        await db.dispose()
