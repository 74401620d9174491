"""Approvals through their levels: opened from a subject's submission, decided level by level by the
approvers (or their delegates), reminded and escalated by durable timers, and the outcome published for
the subject's own service to apply."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from automation import events
from automation.approvals import access, approvers
from automation.approvals.chains import DEFAULT_NAME, Approver, Level, pick
from automation.approvals.delegations import delegates_of
from automation.approvals.models import Action, Approval, ApprovalChain, ApprovalEntry, ApprovalStatus
from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.workflows.conditions import holds
from automation.workflows.engine import add_timers, clear_timers
from automation.workflows.models import Timer, TimerKind
from crm_contracts.automation import Outcome, SubjectKind
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, DomainError, Forbidden, NotFound
from crm_shared.validate import optional_text

LINK = "/approvals"
KINDS = {
    SubjectKind.QUOTE: "报价 Quote",
    SubjectKind.CONTRACT: "合同 Contract",
    SubjectKind.CAMPAIGN_BUDGET: "活动预算 Campaign budget",
}


@dataclass(frozen=True)
class Subject:
    """What a submission event says of its subject: enough to pick a chain, show it and keep four eyes."""

    kind: SubjectKind
    id: uuid.UUID
    title: str
    amount: str | None
    currency: str | None
    discount: str | None
    requester_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    creator_id: uuid.UUID | None
    data: dict[str, Any]


async def open_for(uow: UnitOfWork, subject: Subject) -> Approval | None:
    """The approval of a submitted subject, once: None when one is open for it already."""
    parties = (subject.requester_id, subject.owner_id, subject.creator_id)
    chain, levels = await _route(uow, subject.kind, subject.data, subject.requester_id, parties)
    approval_id = await uow.session.scalar(
        insert(Approval)
        .values(
            id=uuid.uuid4(),
            chain_id=chain.id if chain else None,
            chain_name=chain.name if chain else DEFAULT_NAME,
            subject_kind=subject.kind,
            subject_id=subject.id,
            title=subject.title[:200],
            amount=subject.amount,
            currency=subject.currency,
            discount=subject.discount,
            requester_id=subject.requester_id,
            owner_id=subject.owner_id,
            creator_id=subject.creator_id,
            subject_data=subject.data,
            status=ApprovalStatus.PENDING,
            level=1,
            levels=levels,
            current_approvers=[],
            created_at=utcnow(),
            level_started_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["subject_kind", "subject_id"], index_where=text("status = 'pending'"))
        .returning(col(Approval.id))
    )
    if approval_id is None:
        return None
    row = await uow.session.get(Approval, approval_id)
    assert row is not None
    uow.session.add(ApprovalEntry(approval_id=row.id, level=1, action=Action.REQUESTED, actor_id=subject.requester_id))
    await _start_level(uow, row)
    await uow.publish(
        events.ApprovalRequested(
            id=row.id,
            subject_kind=row.subject_kind,
            subject_id=row.subject_id,
            chain_id=row.chain_id,
            requester_id=row.requester_id,
            levels=len(row.levels),
            approver_ids=row.current_approvers,
        )
    )
    return row


async def _route(
    uow: UnitOfWork,
    kind: SubjectKind,
    data: dict[str, Any],
    requester: uuid.UUID | None,
    parties: tuple[uuid.UUID | None, ...],
) -> tuple[ApprovalChain | None, list[dict[str, Any]]]:
    """The chain the submission meets and its levels whose conditions hold (the first one at least)."""
    context = {"event": data}
    chain, steps = await pick(uow, kind, context)
    chosen = [level for level in steps.levels if holds(level.conditions, context)] or steps.levels[:1]
    return chain, [await _level(uow, kind, level, requester, parties) for level in chosen]


async def reroute(uow: UnitOfWork) -> int:
    """Approvals opened on the default chain before any chain was saved (on a first start, the demo's
    submissions arrive before its chains) and still undecided take the chains now saved; returns how many."""
    rows = await uow.session.scalars(
        select(Approval)
        .where(col(Approval.status) == ApprovalStatus.PENDING, col(Approval.chain_id).is_(None))
        .with_for_update()
    )
    moved = 0
    for row in rows.all():
        if await decided(uow, row):
            continue
        parties = (row.requester_id, row.owner_id, row.creator_id)
        chain, levels = await _route(uow, row.subject_kind, row.subject_data, row.requester_id, parties)
        if chain is None:
            continue
        await _clear_timers(uow, row)
        row.chain_id, row.chain_name, row.levels, row.level = chain.id, chain.name, levels, 1
        await _start_level(uow, row)
        moved += 1
    await uow.flush()
    return moved


async def settled(
    uow: UnitOfWork, kind: SubjectKind, subject_id: uuid.UUID, outcome: Outcome | None, by: uuid.UUID | None
) -> None:
    """The subject's own service decided it (its history before approvals were automation's), or it went away
    undecided (`outcome` None): the approval still open for it ends the same way, without an outcome of its own
    to publish."""
    row = await uow.session.scalar(
        select(Approval)
        .where(
            col(Approval.subject_kind) == kind,
            col(Approval.subject_id) == subject_id,
            col(Approval.status) == ApprovalStatus.PENDING,
        )
        .with_for_update()
    )
    if row is None:
        return
    status, action = {
        Outcome.APPROVED: (ApprovalStatus.APPROVED, Action.APPROVED),
        Outcome.REJECTED: (ApprovalStatus.REJECTED, Action.REJECTED),
        None: (ApprovalStatus.WITHDRAWN, Action.WITHDRAWN),
    }[outcome]
    row.status, row.final_approver_id, row.decided_at, row.current_approvers = status, by, utcnow(), []
    uow.session.add(ApprovalEntry(approval_id=row.id, level=row.level, action=action, actor_id=by))
    await _clear_timers(uow, row)


async def _level(
    uow: UnitOfWork,
    kind: SubjectKind,
    level: Level,
    requester: uuid.UUID | None,
    parties: tuple[uuid.UUID | None, ...],
) -> dict[str, Any]:
    """A level as the approval keeps it: its approvers resolved now, and how many of them must approve."""
    users = await approvers.resolve(uow, kind, level.approvers, requester, parties) or await approvers.fallback(
        uow, kind, parties
    )
    needed = {"ANY": 1, "ALL": len(users), "MIN": min(level.min or 1, len(users))}[level.mode]
    return {
        "name": level.name,
        "mode": level.mode,
        "needed": max(needed, 1),
        "approvers": [str(u) for u in users],
        "remindAfterHours": level.remind_after_hours,
        "escalateAfterHours": level.escalate_after_hours,
        "escalateTo": [a.model_dump(mode="json", by_alias=True, exclude_none=True) for a in level.escalate_to],
    }


def current(row: Approval) -> dict[str, Any]:
    level: dict[str, Any] = row.levels[row.level - 1]
    return level


async def _start_level(uow: UnitOfWork, row: Approval) -> None:
    level = current(row)
    row.current_approvers = [uuid.UUID(u) for u in level["approvers"]]
    row.level_started_at = utcnow()
    await _tell(uow, row, row.current_approvers, "待您审批 Waiting for your approval")
    for action in ("remind", "escalate"):
        hours = level.get(f"{action}AfterHours")
        if hours:
            due = row.level_started_at + dt.timedelta(hours=float(hours))
            payload = {"action": action, "level": row.level}
            await add_timers(uow, Timer(kind=TimerKind.APPROVAL, subject=str(row.id), due_at=due, payload=payload))


async def _tell(uow: UnitOfWork, row: Approval, users: list[uuid.UUID], what: str) -> None:
    """In-app notifications to the users and to whoever stands in for them: those who may decide (they read the
    subject and are none of its parties)."""
    stand_ins = await delegates_of(uow, users)
    everyone = [*users, *(d for u in users for d in stand_ins.get(u, []))]
    for user in await approvers.readers(uow, row.subject_kind, everyone, access.parties(row)):
        title = f"{what}：{KINDS[row.subject_kind]} {row.title}"
        body = f"第 {row.level}/{len(row.levels)} 级 Level {row.level} of {len(row.levels)}"
        if row.amount:
            body += f" · {row.amount} {row.currency or ''}".rstrip()
        await notifications.notify(uow, notifications.NewNotification(user, Kind.APPROVAL, title[:200], body, LINK))


async def decide(
    uow: UnitOfWork, principal: Principal, approval_id: uuid.UUID, approve: bool, comment: str | None
) -> Approval:
    """The caller's decision at the level waiting, for themselves or for whom they stand in; an approval the caller
    may not see does not exist for them."""
    text = optional_text(comment, "comment", 1000, multiline=True)
    if not approve and not text:
        raise BadInput("required_field", field="comment")
    row = await uow.session.get(Approval, approval_id, with_for_update=True)
    if row is None or not await access.may_see(uow, principal, row):
        raise NotFound(entity="Approval")
    principal.require_independent(row.requester_id, row.owner_id, row.creator_id)
    if row.status != ApprovalStatus.PENDING:
        raise Conflict("approval_closed")
    for_whom = await deciding_for(uow, row, principal.user_id)
    if isinstance(for_whom, DomainError):
        raise for_whom
    action = Action.APPROVED if approve else Action.REJECTED
    behalf = None if for_whom == principal.user_id else for_whom
    me = principal.user_id
    entry = ApprovalEntry(
        approval_id=row.id, level=row.level, action=action, actor_id=me, on_behalf_of=behalf, comment=text
    )
    uow.session.add(entry)
    await uow.flush()
    if not approve:
        await _finish(uow, row, Outcome.REJECTED, principal.user_id, text)
    elif len(await decided(uow, row, Action.APPROVED)) >= current(row)["needed"]:
        if row.level < len(row.levels):
            await _clear_timers(uow, row)
            row.level += 1
            await _start_level(uow, row)
        else:
            await _finish(uow, row, Outcome.APPROVED, principal.user_id, text)
    await uow.flush()
    return row


async def deciding_for(uow: UnitOfWork, row: Approval, me: uuid.UUID) -> uuid.UUID | DomainError:
    """Whom the caller's decision at the level waiting counts for, or why they may not decide there. One person
    gives one decision a level: an approver decides for themselves only (never also for an approver they stand in
    for: a level of ALL would take one person's word twice), and a delegate for one of those away."""
    done = await decided(uow, row)
    if me in done:
        return Conflict("approval_decided_already")
    if me in await _deciders(uow, row):
        return Conflict("approval_one_decision")
    if me in row.current_approvers:
        return me
    undecided = [u for u in row.current_approvers if u not in done]
    stand_ins = await delegates_of(uow, undecided)
    found = next((u for u in undecided if me in stand_ins.get(u, [])), None)
    return Forbidden("approval_not_yours") if found is None else found


async def _deciders(uow: UnitOfWork, row: Approval) -> set[uuid.UUID]:
    """Who decided at the level waiting, by their own hand (for themselves or as a delegate)."""
    query = select(col(ApprovalEntry.actor_id)).where(
        col(ApprovalEntry.approval_id) == row.id,
        col(ApprovalEntry.level) == row.level,
        col(ApprovalEntry.action).in_([Action.APPROVED, Action.REJECTED]),
    )
    return {u for u in (await uow.session.scalars(query)).all() if u is not None}


async def decided(uow: UnitOfWork, row: Approval, action: Action | None = None) -> set[uuid.UUID]:
    """The approvers who decided at the level waiting, themselves or through a delegate."""
    who = func.coalesce(col(ApprovalEntry.on_behalf_of), col(ApprovalEntry.actor_id))
    query = select(who).where(col(ApprovalEntry.approval_id) == row.id, col(ApprovalEntry.level) == row.level)
    actions = [action] if action else [Action.APPROVED, Action.REJECTED]
    return set((await uow.session.scalars(query.where(col(ApprovalEntry.action).in_(actions)))).all())


async def _finish(uow: UnitOfWork, row: Approval, outcome: Outcome, approver: uuid.UUID, comment: str | None) -> None:
    row.status = ApprovalStatus.APPROVED if outcome == Outcome.APPROVED else ApprovalStatus.REJECTED
    row.final_approver_id, row.comment, row.decided_at = approver, comment, utcnow()
    row.current_approvers = []
    await _clear_timers(uow, row)
    await uow.publish(
        events.ApprovalDecided(
            id=row.id,
            subject_kind=row.subject_kind,
            subject_id=row.subject_id,
            outcome=outcome,
            approver_id=approver,
            comment=comment,
        )
    )
    if row.requester_id is not None:
        what = "已批准 Approved" if outcome == Outcome.APPROVED else "已驳回 Rejected"
        title = f"{what}：{KINDS[row.subject_kind]} {row.title}"
        new = notifications.NewNotification(row.requester_id, Kind.APPROVAL, title[:200], comment or "", LINK)
        await notifications.notify(uow, new)


async def _clear_timers(uow: UnitOfWork, row: Approval) -> None:
    await clear_timers(uow, col(Timer.kind) == TimerKind.APPROVAL, col(Timer.subject) == str(row.id))


async def on_timer(uow: UnitOfWork, timer: Timer) -> None:
    """A level's reminder or escalation is due: nothing when the level was decided meanwhile."""
    row = await uow.session.get(Approval, uuid.UUID(str(timer.subject)), with_for_update=True)
    if row is None or row.status != ApprovalStatus.PENDING or timer.payload.get("level") != row.level:
        return
    waiting = [u for u in row.current_approvers if u not in await decided(uow, row)]
    if timer.payload.get("action") == "remind":
        uow.session.add(ApprovalEntry(approval_id=row.id, level=row.level, action=Action.REMINDED))
        await _tell(uow, row, waiting, "审批提醒 Reminder: still waiting for your approval")
        return
    level = dict(current(row))
    specs = [Approver.model_validate(a) for a in level.get("escalateTo", [])]
    parties = (row.requester_id, row.owner_id, row.creator_id, *row.current_approvers)
    added = await approvers.resolve(uow, row.subject_kind, specs, row.requester_id, parties)
    uow.session.add(ApprovalEntry(approval_id=row.id, level=row.level, action=Action.ESCALATED))
    if added:
        level["approvers"] = [*level["approvers"], *(str(u) for u in added)]
        row.levels = [*row.levels[: row.level - 1], level, *row.levels[row.level :]]
        row.current_approvers = [*row.current_approvers, *added]
        await _tell(uow, row, added, "审批已升级给您 Escalated to you")
