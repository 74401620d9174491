"""Demo automation: a rule that gives the owner of a newly assigned lead a follow-up task, one that reminds a
contract's owner 30 days before it ends, a webhook subscription to `make run`'s local receiver, a
welcome notification for each demo user, two calls from numbers no contact has, in a representative's call
log to be linked, and approval chains: quotes past 15 % off go to the rep's manager and past 30 % also to
the sales director, budgets over 20,000 to the marketing head; sales' demo quote at 35 % off waits at
level 2, its manager having approved."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from automation.approvals import chains
from automation.approvals import service as approvals
from automation.approvals.approvers import resolve
from automation.approvals.chains import Approver, ChainInput
from automation.approvals.models import Approval, ApprovalChain, ApprovalStatus
from automation.connectors.models import Call, CallStatus
from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.settings import AutomationSettings
from automation.webhooks import service as webhooks
from automation.workflows import service as workflows
from automation.workflows.models import Workflow
from crm_contracts.automation import SubjectKind
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.db import Database, utcnow

LEAD_FOLLOW_UP = {
    "trigger": {
        "kind": "event",
        "topic": "crm.sales.lead",
        "type": "lead.assigned",
        "conditions": [{"field": "event.ownerId", "op": "exists"}],
    },
    "steps": [
        {
            "id": "task",
            "action": "create_task",
            "title": "跟进新分配的线索 Follow up the assigned lead",
            "assignee": "{{ event.ownerId }}",
            "dueInHours": 24,
            "notes": "线索 Lead {{ event.id }}：由自动化规则创建 Created by an automation rule",
        },
        {
            "id": "tell",
            "action": "notify",
            "user": "{{ event.ownerId }}",
            "title": "新线索已分配给您 A lead was assigned to you",
            "body": "线索 Lead {{ event.id }}：请在 24 小时内跟进 A follow-up task is due within 24 hours",
            "link": "/leads/{{ event.id }}",
        },
    ],
}
CONTRACT_ENDING = {
    "trigger": {
        "kind": "date",
        "topic": "crm.sales.contract",
        "type": "contract.created",
        "field": "endDate",
        "offsetDays": -30,
    },
    "steps": [
        {
            "id": "remind",
            "action": "notify",
            "user": "{{ event.ownerId }}",
            "title": "合同 {{ event.number }} 将于 30 天后到期 Contract {{ event.number }} ends in 30 days",
            "body": "{{ event.title }}（到期日 ends on {{ event.endDate }}）",
            "link": "/contracts/{{ event.id }}",
        }
    ],
}


# the demo users the demo names; identity's events bring them over one batch at a time
NAMED = {"admin@example.com", "manager@example.com", "rep1@example.com"}


async def _users(db: Database, timeout: float = 90) -> list[DirectoryUser]:
    """The demo users, once identity's events have brought every one the demo names into the directory."""
    for _ in range(int(timeout * 5)):
        async with db.read() as session:
            users = list((await session.scalars(select(DirectoryUser).order_by(DirectoryUser.email))).all())
        if {u.email for u in users} >= NAMED:
            return users
        await asyncio.sleep(0.2)
    raise TimeoutError("the demo users did not reach automation's directory")


async def seed(db: Database, settings: AutomationSettings | None = None) -> int:
    """The demo, once: nothing when a workflow exists already. Returns how many workflows it made."""
    settings = settings or AutomationSettings()
    async with db.read() as session:
        if await session.scalar(select(func.count()).select_from(Workflow)):
            return 0
    users = await _users(db)
    [admin] = [u for u in users if u.email == "admin@example.com"]
    principal = Principal(user_id=admin.user_id, permissions=frozenset({"*"}))
    receiver = f"http://127.0.0.1:{os.environ.get('CRM_WEBHOOK_PORT', '8099')}/crm-events"
    async with db.unit_of_work() as uow:
        for name, definition in (
            ("线索分配后跟进 Follow up assigned leads", LEAD_FOLLOW_UP),
            ("合同到期提醒 Contract ending reminder", CONTRACT_ENDING),
        ):
            saved = await workflows.save(uow, principal, None, workflows.WorkflowInput(name, definition), settings)
            await workflows.publish(uow, principal, saved.id, settings)
        subscription = webhooks.SubscriptionInput(
            "本地接收端 Local receiver",
            receiver,
            ["lead.assigned", "order.created", "ticket.created", "erp_order.exported"],
            [],
        )
        await webhooks.save(uow, principal, None, subscription, settings)
        for user in users:
            welcome = notifications.NewNotification(
                user.user_id,
                Kind.SYSTEM,
                "欢迎使用通知中心 Welcome to your notifications",
                "规则和审批的提醒会出现在这里 Reminders from rules and approvals appear here",
            )
            await notifications.notify(uow, welcome)
        uow.session.add_all(_calls(next(u for u in users if u.email == "rep1@example.com")))
    return 2


def _calls(rep: DirectoryUser) -> list[Call]:
    """An answered call and a missed one from numbers no demo contact has: they wait in rep1's call log."""
    now = utcnow()
    calls = []
    for n, (number, minutes_ago, talk) in enumerate((("13911112222", 90, 125), ("13733334444", 25, None))):
        started = now - dt.timedelta(minutes=minutes_ago)
        calls.append(
            Call(
                call_id=f"demo-call-{n + 1}",
                direction="inbound",
                number_enc=encrypt(number),
                number_hash=lookup_hash(number),
                agent_id=rep.user_id,
                status=CallStatus.ENDED if talk else CallStatus.MISSED,
                started_at=started,
                answered_at=started + dt.timedelta(seconds=8) if talk else None,
                ended_at=started + dt.timedelta(seconds=8 + (talk or 20)),
                duration_seconds=talk or 0,
            )
        )
    return calls


def quote_chain(director: uuid.UUID) -> ChainInput:
    manager = {
        "name": "直属经理 Manager",
        "approvers": [{"type": "manager", "level": 1}],
        "remindAfterHours": 24,
        "escalateAfterHours": 48,
        "escalateTo": [{"type": "user", "userId": str(director)}],
    }
    head = {
        "name": "销售总监 Sales director",
        "approvers": [{"type": "user", "userId": str(director)}],
        "conditions": [{"field": "event.effectiveDiscount", "op": "gt", "value": 30}],
        "remindAfterHours": 24,
    }
    discount = [{"field": "event.effectiveDiscount", "op": "gt", "value": 15}]
    return ChainInput("报价折扣审批 Quote discounts", SubjectKind.QUOTE, discount, [manager, head])


BUDGET_CHAIN = ChainInput(
    "大额活动预算 Large campaign budgets",
    SubjectKind.CAMPAIGN_BUDGET,
    [{"field": "event.budgetTotal", "op": "gt", "value": 20000}],
    [{"name": "市场负责人 Marketing head", "approvers": [{"type": "role", "role": "marketing_manager"}]}],
)


async def seed_approvals(db: Database, timeout: float = 90) -> int:
    """The chains, once, after identity's directory has told automation who the rep's manager is; then sales'
    demo quote takes the quote chain (rerouted, when it reached automation before the chain existed) and its
    manager approves level 1. Returns how many chains it made."""
    async with db.read() as session:
        if await session.scalar(select(func.count()).select_from(ApprovalChain)):
            return 0
    by_email = {u.email: u for u in await _users(db)}
    admin, manager, rep = (
        by_email[e].user_id for e in ("admin@example.com", "manager@example.com", "rep1@example.com")
    )
    deadline = asyncio.get_running_loop().time() + timeout
    own_manager = [Approver(type="manager", level=1)]
    while True:  # routed before that, the quote would fall back to the administrators
        async with db.unit_of_work(reads_only=True) as uow:
            known = await resolve(uow, SubjectKind.QUOTE, own_manager, rep, [rep]) == [manager]
        if known:
            break
        await _until(deadline, "identity's directory (rep1's unit and its manager) did not reach automation")
    async with db.unit_of_work() as uow:
        principal = Principal(user_id=admin, permissions=frozenset({"*"}))
        quotes = await chains.save(uow, principal, None, quote_chain(admin))
        await chains.save(uow, principal, None, BUDGET_CHAIN)
    while True:
        async with db.unit_of_work() as uow:
            await approvals.reroute(uow)
            waiting = await uow.session.scalar(
                select(Approval).where(
                    col(Approval.chain_id) == quotes.id,
                    col(Approval.requester_id) == rep,
                    col(Approval.status) == ApprovalStatus.PENDING,
                    col(Approval.level) == 1,
                )
            )
            if waiting is not None and manager in waiting.current_approvers:
                decider = Principal(user_id=manager, permissions=frozenset({"sales:quote:read"}))  # their role's
                await approvals.decide(
                    uow, decider, waiting.id, True, "同意，请总监审批 Approved; over to the director"
                )
                return 2
        await _until(deadline, "sales' demo quote did not reach automation's approvals")


async def _until(deadline: float, missing: str) -> None:
    """A pause before the next look, or `missing` as the error once the deadline passed."""
    if asyncio.get_running_loop().time() > deadline:
        raise TimeoutError(missing)
    await asyncio.sleep(0.2)


async def seed_demo(database_url: str) -> int:
    db = Database(database_url, source="/crm/automation")
    try:
        return await seed(db) + await seed_approvals(db)
    finally:
        await db.dispose()
