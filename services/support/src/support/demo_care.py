"""Demo after-sales data: the demo accounts' installed base, the agents' shifts, and answered surveys
(CSAT on the resolved tickets, an NPS round with a promoter, a passive and a detractor)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from crm_contracts.sales import DeliveredLine, OrderFulfilled, OrderStatus
from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, utcnow
from support.installed.service import record
from support.settings import SupportSettings
from support.shifts import service as shifts
from support.surveys import service as surveys
from support.surveys import tokens
from support.surveys.models import Survey, SurveyKind

PRODUCTS = (  # code, name, months since delivery
    ("CRM-SRV-01", "CRM 服务器一体机 CRM appliance", 18),
    ("PRN-200", "激光打印机 Laser printer", 8),
    ("SCN-300", "高速扫描仪 Document scanner", 3),
)
CSAT_SCORES = (5, 4)  # the resolved demo tickets were served well
NPS_SCORES = (10, 8, 6)  # a promoter, a passive, a detractor (whose owner gets a follow-up task)


async def seed_care(db: Database, accounts: list[AccountRef], agent: DirectoryUser, agent2: DirectoryUser) -> None:
    settings = SupportSettings()
    now = utcnow()
    async with db.unit_of_work() as uow:
        for n, account in enumerate(accounts[:4]):
            code, name, months = PRODUCTS[n % len(PRODUCTS)]
            order = OrderFulfilled(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"crm-demo-order-{account.id}"),
                number=f"SO-DEMO-{n + 1:03d}",
                account_id=account.id,
                opportunity_id=None,
                quote_id=None,
                contract_id=None,
                status=OrderStatus.FULFILLED,
                currency="CNY",
                total=Decimal("50000.00"),
                owner_id=account.owner_id or agent.user_id,
                lines=[
                    DeliveredLine(
                        product_id=uuid.uuid5(uuid.NAMESPACE_URL, code),
                        product_code=code,
                        name=name,
                        quantity=Decimal(n + 1),
                    )
                ],
            )
            delivered = (now - dt.timedelta(days=30 * months)).date()
            await record(uow, order, delivered, settings.warranty_months, now)
        # the first agent is on call around the clock, so a ticket opened at any hour finds someone
        for user, start, end, days in ((agent, "00:00", "24:00", range(1, 8)), (agent2, "09:00", "18:00", range(1, 6))):
            weekly = [shifts.WeeklyShift(start, end, day) for day in days]
            await shifts.save(uow, None, shifts.RosterInput(user.user_id, weekly=weekly))
    for _ in range(300):  # the SLA monitor may hold a resolved ticket for a moment: its survey comes next run
        async with db.unit_of_work() as uow:
            await surveys.send_due(uow, settings)
            if not await surveys.csat_due(uow, settings):
                break
        await asyncio.sleep(0.1)
    async with db.unit_of_work() as uow:
        sent = (await uow.session.scalars(select(Survey).order_by(col(Survey.kind), col(Survey.sent_at)))).all()
        answers = {SurveyKind.CSAT: list(CSAT_SCORES), SurveyKind.NPS: list(NPS_SCORES)}
        for survey in sent:
            if answers[survey.kind]:
                token = tokens.token(survey.id, survey.expires_at)
                await surveys.answer(uow, settings, token, answers[survey.kind].pop(0), comment="演示 Demo")
