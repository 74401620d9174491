"""The campaign's rules without I/O: its status and its budget's, what may change when, members' progress.

A campaign is planned until its budget is approved; only then may it start. The budget's lines change
while it is a draft or after a rejection, and a submitted budget waits for one decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from crm_shared.errors import Conflict


class CampaignType(StrEnum):
    EXHIBITION = "exhibition"
    SEMINAR = "seminar"
    WEBINAR = "webinar"
    EMAIL = "email"
    SMS = "sms"
    ONLINE_ADS = "online_ads"
    SOCIAL = "social"


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class BudgetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class MemberStatus(StrEnum):
    """In the order a member goes through them."""

    TARGETED = "targeted"
    SENT = "sent"
    RESPONDED = "responded"
    REGISTERED = "registered"
    ATTENDED = "attended"


CAMPAIGN_MOVES: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.PLANNED: frozenset({CampaignStatus.APPROVED, CampaignStatus.CANCELLED}),
    CampaignStatus.APPROVED: frozenset({CampaignStatus.RUNNING, CampaignStatus.CANCELLED}),
    CampaignStatus.RUNNING: frozenset({CampaignStatus.COMPLETED, CampaignStatus.CANCELLED}),
    CampaignStatus.COMPLETED: frozenset(),
    CampaignStatus.CANCELLED: frozenset(),
}
BUDGET_MOVES: dict[BudgetStatus, frozenset[BudgetStatus]] = {
    BudgetStatus.DRAFT: frozenset({BudgetStatus.SUBMITTED}),
    BudgetStatus.SUBMITTED: frozenset({BudgetStatus.APPROVED, BudgetStatus.REJECTED}),
    BudgetStatus.REJECTED: frozenset({BudgetStatus.SUBMITTED}),
    BudgetStatus.APPROVED: frozenset(),
}
OPEN = frozenset({CampaignStatus.PLANNED, CampaignStatus.APPROVED, CampaignStatus.RUNNING})
COSTED = frozenset({CampaignStatus.APPROVED, CampaignStatus.RUNNING, CampaignStatus.COMPLETED})


def move(current: CampaignStatus, to: CampaignStatus) -> CampaignStatus:
    """The campaign's next status; a CONFLICT naming both when the move is not allowed."""
    if to not in CAMPAIGN_MOVES[current]:
        raise Conflict("campaign_transition", from_status=str(current), to_status=str(to))
    return to


def move_budget(current: BudgetStatus, to: BudgetStatus) -> BudgetStatus:
    if to not in BUDGET_MOVES[current]:
        raise Conflict("budget_transition", from_status=str(current), to_status=str(to))
    return to


def budget_editable(status: BudgetStatus) -> bool:
    """Lines change only before submission or after a rejection: an approved budget is what was approved."""
    return status in (BudgetStatus.DRAFT, BudgetStatus.REJECTED)


COST_MARGIN = dt.timedelta(days=366)  # a deposit a year ahead, an invoice a year after


def cost_window(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.date, dt.date]:
    """The days a campaign's cost may be dated: its period, and a year on either side (within the calendar, for a
    campaign stored before its days were bounded)."""
    earliest = max(starts_on, dt.date.min + COST_MARGIN) - COST_MARGIN
    return earliest, min(ends_on, dt.date.max - COST_MARGIN) + COST_MARGIN


def owner_changeable(status: BudgetStatus) -> bool:
    """Not while the budget waits for its decision: its approver taking the campaign over would then approve their
    own budget, the four eyes' rule that the approval checks against the owner at submission."""
    return status is not BudgetStatus.SUBMITTED


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def advance(current: MemberStatus, reached: MemberStatus) -> MemberStatus:
    """A member's status only moves forward: a late `sent` never undoes an `attended`."""
    order = list(MemberStatus)
    return reached if order.index(reached) > order.index(current) else current
