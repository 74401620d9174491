"""Automation's approval events: sales and marketing hand a quote, contract or budget over with their own
submission events, and apply the outcome when `approval.decided` comes back, keeping their own states."""

from __future__ import annotations

import uuid
from enum import StrEnum

from crm_shared.events.model import Event

APPROVAL_TOPIC = "crm.automation.approval"


class SubjectKind(StrEnum):
    QUOTE = "quote"
    CONTRACT = "contract"
    CAMPAIGN_BUDGET = "campaign_budget"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalRequested(Event):
    """An approval was opened for a subject; its first level's approvers were notified."""

    topic, type = APPROVAL_TOPIC, "approval.requested"

    id: uuid.UUID
    subject_kind: SubjectKind
    subject_id: uuid.UUID
    chain_id: uuid.UUID | None  # None: the default chain (the requester's manager)
    requester_id: uuid.UUID | None
    levels: int
    approver_ids: list[uuid.UUID]


class ApprovalDecided(Event):
    """The last level approved, or a level rejected: the subject's service applies the outcome."""

    topic, type = APPROVAL_TOPIC, "approval.decided"

    id: uuid.UUID
    subject_kind: SubjectKind
    subject_id: uuid.UUID
    outcome: Outcome
    approver_id: uuid.UUID
    comment: str | None
