"""The subjects' submission events open approvals; identity's user events keep users' roles for role approvers.

Submission events are read as they arrive (sales' and marketing's own models stay in their services):
each names its subject, the requester, and the owner and creator who may not decide on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from automation.approvals import service
from automation.approvals.approvers import project_roles
from automation.approvals.service import Subject
from crm_contracts.automation import Outcome, SubjectKind
from crm_contracts.identity import USER_EVENTS
from crm_shared.db import UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Handlers


def _id(data: dict[str, Any], key: str) -> uuid.UUID | None:
    value = data.get(key)
    return uuid.UUID(str(value)) if value else None


def _quote(data: dict[str, Any]) -> Subject:
    title = data.get("title") or f"v{data.get('version', 1)}"
    return Subject(
        SubjectKind.QUOTE,
        uuid.UUID(str(data["id"])),
        str(title),
        data.get("total"),
        data.get("currency"),
        data.get("effectiveDiscount"),
        _id(data, "submittedBy"),
        _id(data, "ownerId"),
        _id(data, "createdBy"),
        data,
    )


def _contract(data: dict[str, Any]) -> Subject:
    return Subject(
        SubjectKind.CONTRACT,
        uuid.UUID(str(data["id"])),
        f"{data.get('number', '')} {data.get('title', '')}".strip(),
        data.get("value"),
        data.get("currency"),
        None,
        _id(data, "submittedBy"),
        _id(data, "ownerId"),
        _id(data, "createdBy"),
        data,
    )


def _budget(data: dict[str, Any]) -> Subject:
    return Subject(
        SubjectKind.CAMPAIGN_BUDGET,
        uuid.UUID(str(data["id"])),
        str(data.get("name", "")),
        data.get("budgetTotal"),
        data.get("currency"),
        None,
        _id(data, "submittedBy"),
        _id(data, "ownerId"),
        _id(data, "createdBy"),
        data,
    )


SUBMISSIONS: dict[tuple[str, str], Callable[[dict[str, Any]], Subject]] = {
    ("crm.sales.quote", "quote.submitted"): _quote,
    ("crm.sales.contract", "contract.submitted"): _contract,
    ("crm.marketing.campaign", "campaign.budget_submitted"): _budget,
}
# the subjects' own decisions: (kind, outcome or None when it went away undecided, who decided), or None for an
# event that decides nothing
DECIDED: dict[
    tuple[str, str], Callable[[dict[str, Any]], tuple[SubjectKind, Outcome | None, uuid.UUID | None] | None]
] = {
    ("crm.sales.quote", "quote.superseded"): lambda d: (SubjectKind.QUOTE, None, None),
    ("crm.sales.quote", "quote.approved"): lambda d: (SubjectKind.QUOTE, Outcome.APPROVED, _id(d, "approverId")),
    ("crm.sales.quote", "quote.rejected"): lambda d: (SubjectKind.QUOTE, Outcome.REJECTED, _id(d, "approverId")),
    ("crm.sales.contract", "contract.status_changed"): lambda d: _contract_moved(d),
    ("crm.marketing.campaign", "campaign.budget_approved"): lambda d: (
        SubjectKind.CAMPAIGN_BUDGET,
        Outcome.APPROVED,
        _id(d, "approvedBy"),
    ),
    ("crm.marketing.campaign", "campaign.budget_rejected"): lambda d: (
        SubjectKind.CAMPAIGN_BUDGET,
        Outcome.REJECTED,
        _id(d, "rejectedBy"),
    ),
}


def _contract_moved(data: dict[str, Any]) -> tuple[SubjectKind, Outcome, uuid.UUID | None] | None:
    if data.get("from") != "pending_approval":
        return None
    outcome = Outcome.APPROVED if data.get("status") == "approved" else Outcome.REJECTED
    return SubjectKind.CONTRACT, outcome, None


async def on_event(uow: UnitOfWork, topic: str, event: CloudEvent) -> None:
    """Called for every event of the trigger topics, with the workflows' and webhooks' handling."""
    if not isinstance(event.data, dict):
        return
    subject = SUBMISSIONS.get((topic, event.type))
    if subject is not None:
        await service.open_for(uow, subject(event.data))
    read = DECIDED.get((topic, event.type))
    found = read(event.data) if read is not None else None
    if found is not None:
        kind, outcome, by = found
        await service.settled(uow, kind, uuid.UUID(str(event.data["id"])), outcome, by)


ROLES = Handlers()
for _event in USER_EVENTS:
    ROLES.add(_event, project_roles)
