"""Who may see an approval, and whom it may be offered to decide: an approval shows its subject's amount and
discount, so besides its parties only those whose roles let them read the subject's kind see it."""

from __future__ import annotations

import uuid

from automation.approvals.approvers import SUBJECT_RESOURCE
from automation.approvals.delegations import delegates_of
from automation.approvals.models import Approval
from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork


def parties(row: Approval) -> set[uuid.UUID | None]:
    """Who submitted, owns or created the subject: they see its approval and never decide it (four eyes)."""
    return {row.requester_id, row.owner_id, row.creator_id}


def reads_subject(principal: Principal, row: Approval) -> bool:
    return principal.can(f"{SUBJECT_RESOURCE[row.subject_kind]}:read")


def may_be_offered(principal: Principal, row: Approval) -> bool:
    """Whether the approval may wait on the caller: they read its subject and are none of its parties."""
    return reads_subject(principal, row) and principal.user_id not in parties(row)


async def may_see(uow: UnitOfWork, principal: Principal, row: Approval) -> bool:
    """Its parties; and of those who read the subject's kind, its approvers, whoever may read the subject itself (by
    its data scope), and whoever stands in now for a party or an approver."""
    if principal.user_id in parties(row):
        return True
    if not reads_subject(principal, row):
        return False
    approvers = {uuid.UUID(u) for level in row.levels for u in level.get("approvers", [])} | set(row.current_approvers)
    if principal.user_id in approvers:
        return True
    resource = SUBJECT_RESOURCE[row.subject_kind]
    if principal.may_access(resource, row.owner_id, await unit_of(uow, row.owner_id)):
        return True
    stand_ins = await delegates_of(uow, [u for u in parties(row) | approvers if u is not None])
    return any(principal.user_id in d for d in stand_ins.values())
