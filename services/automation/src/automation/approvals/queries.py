"""Reading approvals: what waits on the caller (as approver or delegate), a subject's latest approval for
those who may see the subject, and each approval's history."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import col

from automation.approvals.access import may_be_offered, may_see
from automation.approvals.delegations import standing_in_for
from automation.approvals.models import Approval, ApprovalEntry, ApprovalStatus
from automation.approvals.service import deciding_for
from crm_contracts.automation import SubjectKind
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork


async def waiting_on(uow: UnitOfWork, principal: Principal) -> list[Approval]:
    """Pending approvals whose level waiting names the caller, or someone the caller stands in for now, and that
    the caller may decide: not yet decided by them, its subject readable to them and not their own; oldest first."""
    me = principal.user_id
    people = [me, *await standing_in_for(uow, me)]
    rows = await uow.session.scalars(
        select(Approval)
        .where(
            col(Approval.status) == ApprovalStatus.PENDING, cast(Any, col(Approval.current_approvers)).overlap(people)
        )
        .order_by(col(Approval.seq))
    )
    return [
        row
        for row in rows.all()
        if may_be_offered(principal, row) and isinstance(await deciding_for(uow, row, me), uuid.UUID)
    ]


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
