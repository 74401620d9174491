"""Demo support data: a calendar with this year's holidays, SLA policies, a team of agents with a routing
rule, and tickets in every state: one close to its breach, one breached (the monitor escalates it at
once), a complaint waiting for its review, and one opened by mail from an unknown sender with the
agent's mailed reply and the customer's threaded answer. The knowledge base holds articles in Chinese
and English (one in its second version) and the desk has canned responses. Then the installed base,
shifts and answered surveys.

The tickets' histories are written as if they had happened earlier (the clock is set back while they
are made), so their clocks show real business time from the first minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared import clock
from crm_shared.accounts import AccountRef
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, UnitOfWork, utcnow
from support.assignment import service as assignment
from support.calendars import service as calendars
from support.calendars.hours import BusinessHours
from support.calendars.models import BusinessCalendar
from support.demo_care import seed_care
from support.kb.demo import seed_knowledge
from support.mail import inbound
from support.settings import SupportSettings
from support.sla import policies
from support.tickets import lifecycle
from support.tickets import service as tickets
from support.tickets.states import Priority, TicketStatus, TicketType

WEEKDAYS = [
    calendars.HoursInput(day, start, end)
    for day in range(1, 6)
    for start, end in (("09:00", "12:00"), ("13:00", "18:00"))
]
POLICIES: tuple[
    tuple[str, dict[str, list[str]], int, int, int], ...
] = (  # name, conditions, first response, next response, resolution (business minutes)
    ("标准 Standard", {}, 240, 480, 2400),
    ("A 级客户 A-level accounts", {"levels": ["A"]}, 60, 240, 960),
    ("紧急 Urgent", {"priorities": ["urgent"]}, 30, 60, 480),
    ("投诉 Complaints", {"types": ["complaint"]}, 60, 240, 1440),
)
STAFF = ("agent", "agent2", "service.manager")


async def _wait(db: Database, timeout: float = 60) -> tuple[dict[str, DirectoryUser], list[AccountRef]]:
    """Demo users and accounts, from the projections identity's and customer's events fill."""
    for _ in range(int(timeout * 5)):
        async with db.read() as session:
            users = {u.email.split("@")[0]: u for u in (await session.scalars(select(DirectoryUser))).all()}
            accounts = list(
                (await session.scalars(select(AccountRef).where(col(AccountRef.owner_id).is_not(None)))).all()
            )
        if set(STAFF) <= set(users) and len(accounts) >= 4:
            return users, sorted(accounts, key=lambda a: a.name)
        await asyncio.sleep(0.2)
    raise TimeoutError("the demo users and accounts did not reach the support service")


def _start_for(hours: BusinessHours, now: dt.datetime, minutes: int) -> dt.datetime:
    """The instant `minutes` of business time before `now` (to the second)."""
    low, high = now - dt.timedelta(days=60), now
    while (high - low).total_seconds() > 1:
        middle = low + (high - low) / 2
        if hours.seconds_between(middle, now) > minutes * 60:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


async def _at(when: dt.datetime, step: Callable[[], Awaitable[Any]]) -> Any:
    """Run `step` as if at `when`."""
    previous = clock.freeze(when)
    try:
        return await step()
    finally:
        clock.freeze(previous)


async def seed(db: Database, settings: SupportSettings | None = None) -> int:
    """The demo, once: nothing when a calendar exists already. Returns how many tickets it made."""
    settings = settings or SupportSettings()
    async with db.read() as session:
        if await session.scalar(select(func.count()).select_from(BusinessCalendar)):
            return 0
    users, accounts = await _wait(db)
    agent, agent2, manager = (users[name] for name in STAFF)
    async with db.unit_of_work() as uow:
        calendar = await calendars.save(
            uow, None, None, calendars.CalendarInput("中国大陆工作日 Mainland workdays", weekly=WEEKDAYS)
        )
        for name, conditions, first, following, resolution in POLICIES:
            data = policies.PolicyInput(
                name,
                calendar.id,
                first_response_minutes=first,
                next_response_minutes=following,
                resolution_minutes=resolution,
                priorities=conditions.get("priorities", []),
                types=conditions.get("types", []),
                levels=conditions.get("levels", []),
                reassign=bool(conditions.get("types")),
            )
            await policies.save(uow, None, None, data)
        members = [assignment.MemberInput(agent.user_id, 20), assignment.MemberInput(agent2.user_id, 20)]
        team = await assignment.save_team(
            uow, None, None, assignment.TeamInput("客服一组 Service Desk", agent.unit_id, members=members)
        )
        await assignment.save_rule(uow, None, None, assignment.RuleInput("全部工单 Every ticket", team.id))
        await seed_knowledge(uow, Principal(user_id=manager.user_id, permissions=frozenset({"*"})))
        hours = calendars.hours_of(calendar)
    made = await _tickets(db, hours, team.id, agent, manager, accounts, settings)
    await seed_care(db, accounts, agent, agent2)  # after the tickets: shifts would route their back-dated creation
    return made


async def _tickets(
    db: Database,
    hours: BusinessHours,
    team: uuid.UUID,
    agent: DirectoryUser,
    manager: DirectoryUser,
    accounts: list[AccountRef],
    settings: SupportSettings,
) -> int:
    now = utcnow()
    as_agent = Principal(user_id=agent.user_id, permissions=frozenset({"*"}))
    made = 0

    async def ticket(subject: str, account: AccountRef, business_minutes_ago: int, **fields: Any) -> uuid.UUID:
        nonlocal made
        made += 1
        start = _start_for(hours, now, business_minutes_ago)
        data = tickets.TicketInput(subject=subject, account_id=account.id, team_id=team, **fields)

        async def create() -> uuid.UUID:
            async with db.unit_of_work() as uow:
                return (await tickets.create(uow, None, data)).id

        return await _at(start, create)

    async def step(
        ticket_id: uuid.UUID, business_minutes_ago: int, action: Callable[[UnitOfWork], Awaitable[Any]]
    ) -> None:
        async def run() -> None:
            async with db.unit_of_work() as uow:
                await action(uow)

        await _at(_start_for(hours, now, business_minutes_ago), run)

    def status(
        ticket_id: uuid.UUID, to: TicketStatus, principal: Principal = as_agent
    ) -> Callable[[UnitOfWork], Awaitable[Any]]:
        return lambda uow: lifecycle.change_status(uow, principal, ticket_id, to, None, 3650)

    def reply(ticket_id: uuid.UUID, body: str) -> Callable[[UnitOfWork], Awaitable[Any]]:
        return lambda uow: lifecycle.reply(uow, as_agent, ticket_id, body, mail=settings)

    a, b, c, d = accounts[:4]
    await ticket("发票抬头如何修改？ How do I change the invoice title?", a, 30)
    opened = await ticket("系统登录偶尔超时 Sign-in times out now and then", b, 600, type=TicketType.FAULT)
    await step(opened, 560, reply(opened, "您好，已收到，正在排查。Received, we are looking into it."))
    waiting = await ticket("数据导入报错 Import fails", c, 900, type=TicketType.FAULT)
    await step(waiting, 880, reply(waiting, "请提供报错截图。Please send us a screenshot of the error."))
    await step(waiting, 880, status(waiting, TicketStatus.PENDING_CUSTOMER))
    held = await ticket("年度维保上门预约 Annual maintenance visit", d, 1200, type=TicketType.MAINTENANCE)
    await step(held, 1100, reply(held, "已排期，等待备件。Scheduled, waiting for parts."))
    await step(held, 1100, status(held, TicketStatus.ON_HOLD))
    solved = await ticket("导出 Excel 乱码 Garbled Excel export", a, 2000, type=TicketType.FAULT)
    await step(solved, 1990, reply(solved, "请使用 UTF-8 版本导出。Export as UTF-8, please."))
    await step(solved, 1500, status(solved, TicketStatus.RESOLVED))
    closed = await ticket("申请退货 Return request", b, 3000, type=TicketType.RETURN)
    await step(closed, 2950, reply(closed, "退货已受理。Your return is accepted."))
    await step(closed, 2600, status(closed, TicketStatus.RESOLVED))
    await step(closed, 2400, status(closed, TicketStatus.CLOSED))
    # close to breach: 4 hours to the first response, 3 h 45 min gone
    await ticket("报表无法打开 Reports do not open", c, 225, type=TicketType.FAULT)
    # breached: the monitor publishes the breach and escalates it to the service manager as soon as it runs
    await ticket("服务器宕机 Server down", d, 90, type=TicketType.FAULT, priority=Priority.URGENT)
    complaint = await ticket("工程师迟到两小时 Engineer two hours late", a, 1300, type=TicketType.COMPLAINT)
    await step(complaint, 1280, reply(complaint, "非常抱歉，我们正在调查。We are sorry and looking into it."))

    async def cause(uow: UnitOfWork) -> None:
        changes = tickets.TicketChanges(
            root_cause="派工系统未考虑交通 Dispatch ignored traffic",
            resolution="调整派工规则并致歉 Dispatch fixed, apology sent",
        )
        await tickets.update(uow, as_agent, complaint, changes)

    await step(complaint, 1000, cause)
    await step(complaint, 990, status(complaint, TicketStatus.RESOLVED))
    await _mailed(step, settings, as_agent)
    return made + 1


CUSTOMER = "li.lei@example.cn"


def _mail(settings: SupportSettings, subject: str, body: str, message_id: str, answers: str | None = None) -> bytes:
    lines = [
        f"From: 李雷 <{CUSTOMER}>",
        f"To: {settings.mail_address}",
        f"Subject: {subject}",
        f"Message-ID: <{message_id}>",
        *([f"In-Reply-To: <{answers}>", f"References: <{answers}>"] if answers else []),
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
    ]
    return "\r\n".join(lines).encode()


async def _mailed(
    step: Callable[[uuid.UUID, int, Callable[[UnitOfWork], Awaitable[Any]]], Awaitable[None]],
    settings: SupportSettings,
    agent: Principal,
) -> None:
    """A ticket a customer opened by mail (an address no contact has), the mailed reply and their answer to it."""
    first = _mail(settings, "发票没有收到 Invoice not received", "您好，上月的发票还没有收到。", "demo-1@example.cn")
    opened: list[uuid.UUID] = []

    async def receive(uow: UnitOfWork) -> None:
        received = await inbound.receive(uow, first, settings)
        assert received.ticket_id is not None
        opened.append(received.ticket_id)

    await step(uuid.uuid4(), 400, receive)
    [ticket_id] = opened
    replies: list[str] = []

    async def answer(uow: UnitOfWork) -> None:
        entry = await lifecycle.reply(
            uow, agent, ticket_id, "请提供订单号。Please send us the order number.", mail=settings
        )
        replies.append(str(entry.message_id))

    await step(ticket_id, 380, answer)
    again = _mail(
        settings, "Re: 发票没有收到 Invoice not received", "订单号 SO-2026-0001。", "demo-2@example.cn", replies[0]
    )
    await step(ticket_id, 120, lambda uow: inbound.receive(uow, again, settings))


async def seed_demo(database_url: str) -> int:
    db = Database(database_url, source="/crm/support")
    try:
        return await seed(db)
    finally:
        await db.dispose()
