"""A lead's transitions: who owns it, its status, and where its conversion stands; each with its event and audit."""

from __future__ import annotations

import uuid

from crm_contracts.sales import LeadStatus
from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import Conflict
from sales.events import LeadAssigned, LeadStatusChanged
from sales.leads.models import ConversionStatus, Lead

# status → the statuses it may move to; a converted lead stays converted
MOVES: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.NEW, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED}),
    LeadStatus.QUALIFIED: frozenset({LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.DISQUALIFIED}),
    LeadStatus.DISQUALIFIED: frozenset({LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED}),
    LeadStatus.CONVERTED: frozenset(),
}


def require_editable(lead: Lead) -> None:
    """Converted leads, and leads whose conversion is under way (the account and the opportunity being made for
    its owner, from what it says now), no longer change by hand."""
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict("lead_converted")
    if lead.conversion_status == ConversionStatus.PENDING:
        raise Conflict("lead_converting")


async def assign(
    uow: UnitOfWork, lead: Lead, owner: uuid.UUID | None, rule_id: uuid.UUID | None, actor: uuid.UUID | None
) -> None:
    """The one place a lead changes hands: event and audit record together."""
    require_editable(lead)
    before = lead.owner_id
    lead.owner_id, lead.assigned_by_rule_id = owner, rule_id
    lead.assigned_at = lead.updated_at = utcnow()
    await uow.publish(
        LeadAssigned(
            id=lead.id,
            owner_id=owner,
            previous_owner_id=before,
            rule_id=rule_id,
            created_at=lead.created_at,
            assigned_at=lead.assigned_at,
        )
    )
    await audit.record(
        uow,
        "lead.assigned",
        "Lead",
        lead.id,
        {"ownerId": before},
        {"ownerId": owner},
        detail={"ruleId": str(rule_id) if rule_id else None},
        actor_id=actor,
    )


async def change_status(
    uow: UnitOfWork, lead: Lead, status: LeadStatus, reason: str | None, actor: uuid.UUID | None
) -> None:
    before = lead.status
    if before == status:
        return
    if status != LeadStatus.CONVERTED and status not in MOVES[before]:
        raise Conflict("lead_converted")
    lead.status, lead.updated_at = status, utcnow()
    await uow.publish(LeadStatusChanged(id=lead.id, from_status=before, to=status, reason=reason))
    await audit.record(
        uow,
        "lead.status_changed",
        "Lead",
        lead.id,
        {"status": before},
        {"status": status},
        detail={"reason": reason},
        actor_id=actor,
    )


def conversion_requested(lead: Lead) -> bool:
    """Pending from none or failed; False when already converted or under way (asking again is harmless)."""
    if lead.status == LeadStatus.CONVERTED or lead.conversion_status == ConversionStatus.PENDING:
        return False
    if lead.status == LeadStatus.DISQUALIFIED:
        raise Conflict("lead_disqualified")
    if lead.owner_id is None:
        raise Conflict("lead_unassigned")
    lead.conversion_status, lead.conversion_error, lead.updated_at = ConversionStatus.PENDING, None, utcnow()
    return True


async def converted(
    uow: UnitOfWork, lead: Lead, account_id: uuid.UUID, contact_id: uuid.UUID | None, opportunity_id: uuid.UUID
) -> None:
    lead.account_id, lead.contact_id, lead.opportunity_id = account_id, contact_id, opportunity_id
    lead.conversion_status, lead.conversion_error, lead.converted_at = ConversionStatus.DONE, None, utcnow()
    await change_status(uow, lead, LeadStatus.CONVERTED, None, None)


def conversion_failed(lead: Lead, reason: str) -> bool:
    """Only a pending conversion can fail; a redelivered answer changes nothing."""
    if lead.conversion_status != ConversionStatus.PENDING:
        return False
    lead.conversion_status, lead.conversion_error, lead.updated_at = ConversionStatus.FAILED, reason, utcnow()
    return True
