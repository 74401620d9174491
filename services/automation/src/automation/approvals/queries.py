"""Reading approvals: what waits on the caller (as approver or delegate), a subject's latest approval for
those who may see the subject, each approval's history; and delegating one's approvals while away."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import col

from automation.approvals.models import Approval, ApprovalEntry, ApprovalStatus, Delegation
from automation.approvals.service import deciding_for, delegates_of
from crm_contracts.automation import SubjectKind
from crm_shared import audit
from crm_shared.auth.directory import DirectoryUser, unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import field_name

# the permission (and data scope) that lets a caller read a subject, and so its approval
SUBJECT_RESOURCE = {
    SubjectKind.QUOTE: "sales:quote",
    SubjectKind.CONTRACT: "sales:contract",
    SubjectKind.CAMPAIGN_BUDGET: "marketing:campaign",
}
MAX_DELEGATION_DAYS = 366


async def waiting_on(uow: UnitOfWork, principal: Principal) -> list[Approval]:
    """Pending approvals whose level waiting names the caller, or someone the caller stands in for now,
    and not yet decided by them; oldest first."""
    now, me = utcnow(), principal.user_id
    away = await uow.session.scalars(
        select(col(Delegation.user_id)).where(
            col(Delegation.delegate_id) == me, col(Delegation.starts_at) <= now, col(Delegation.ends_at) > now
        )
    )
    people = [me, *away.all()]
    rows = await uow.session.scalars(
        select(Approval)
        .where(
            col(Approval.status) == ApprovalStatus.PENDING, cast(Any, col(Approval.current_approvers)).overlap(people)
        )
        .order_by(col(Approval.seq))
    )
    return [row for row in rows.all() if isinstance(await deciding_for(uow, row, me), uuid.UUID)]


async def may_see(uow: UnitOfWork, principal: Principal, row: Approval) -> bool:
    """Its parties and approvers, and whoever may read the subject itself (by the subject's data scope)."""
    involved = {row.requester_id, row.owner_id, row.creator_id, *row.current_approvers}
    for level in row.levels:
        involved.update(uuid.UUID(u) for u in level.get("approvers", []))
    if principal.user_id in involved:
        return True
    resource = SUBJECT_RESOURCE[row.subject_kind]
    if principal.can(f"{resource}:read") and principal.may_access(
        resource, row.owner_id, await unit_of(uow, row.owner_id)
    ):
        return True
    stand_ins = await delegates_of(uow, [u for u in involved if u is not None])
    return any(principal.user_id in d for d in stand_ins.values())


async def of_subject(
    uow: UnitOfWork, principal: Principal, kind: SubjectKind, subject_id: uuid.UUID
) -> Approval | None:
    """The subject's latest approval, for those who may see it."""
    row = await uow.session.scalar(
        select(Approval)
        .where(col(Approval.subject_kind) == kind, col(Approval.subject_id) == subject_id)
        .order_by(col(Approval.seq).desc())
        .limit(1)
    )
    return row if row is not None and await may_see(uow, principal, row) else None


async def history(uow: UnitOfWork, approval_id: uuid.UUID) -> list[ApprovalEntry]:
    rows = await uow.session.scalars(
        select(ApprovalEntry).where(col(ApprovalEntry.approval_id) == approval_id).order_by(col(ApprovalEntry.seq))
    )
    return list(rows.all())


async def delegate(
    uow: UnitOfWork, principal: Principal, to: uuid.UUID, starts: dt.datetime, ends: dt.datetime
) -> Delegation:
    """From `starts` until `ends`, `to` decides what waits on the caller (the caller still may, too)."""
    if to == principal.user_id:
        raise BadInput("approval_self_delegate", field="toUserId")
    user = await uow.session.get(DirectoryUser, to)
    if user is None or not user.is_active:
        raise BadInput("unassignable_user", field="toUserId")
    if ends <= starts:
        raise BadInput("approval_delegation_dates", field="until")
    if ends <= utcnow():
        raise BadInput("approval_delegation_past", field="until")
    if ends - starts > dt.timedelta(days=MAX_DELEGATION_DAYS):
        raise BadInput("approval_delegation_long", field=field_name(["until"]), days=MAX_DELEGATION_DAYS)
    row = Delegation(user_id=principal.user_id, delegate_id=to, starts_at=starts, ends_at=ends)
    uow.session.add(row)
    await uow.flush()
    after = {"delegateId": str(to), "from": starts.isoformat(), "until": ends.isoformat()}
    await audit.record(uow, "approval.delegated", "Delegation", row.id, None, after, actor=principal)
    return row


async def delegations(uow: UnitOfWork, principal: Principal) -> list[Delegation]:
    """The caller's delegations not yet over."""
    rows = await uow.session.scalars(
        select(Delegation)
        .where(col(Delegation.user_id) == principal.user_id, col(Delegation.ends_at) > utcnow())
        .order_by(col(Delegation.starts_at))
    )
    return list(rows.all())
