"""The pure rules: the budget and campaign state machines, members' progress, the consent decision."""

import datetime as dt
from decimal import Decimal

import pytest

from crm_shared.errors import Conflict
from marketing.campaigns import rules
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, MemberStatus
from marketing.consent.rules import Decision, Standing, decide


def test_a_budget_goes_from_draft_through_submission_to_one_decision():
    assert rules.move_budget(BudgetStatus.DRAFT, BudgetStatus.SUBMITTED) is BudgetStatus.SUBMITTED
    assert rules.move_budget(BudgetStatus.SUBMITTED, BudgetStatus.APPROVED) is BudgetStatus.APPROVED
    assert rules.move_budget(BudgetStatus.SUBMITTED, BudgetStatus.REJECTED) is BudgetStatus.REJECTED
    assert rules.move_budget(BudgetStatus.REJECTED, BudgetStatus.SUBMITTED) is BudgetStatus.SUBMITTED


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (BudgetStatus.DRAFT, BudgetStatus.APPROVED),  # never decided without being submitted
        (BudgetStatus.APPROVED, BudgetStatus.REJECTED),  # an approved budget stays approved
        (BudgetStatus.APPROVED, BudgetStatus.SUBMITTED),
        (BudgetStatus.SUBMITTED, BudgetStatus.SUBMITTED),
    ],
)
def test_a_budget_refuses_every_other_move(current, to):
    with pytest.raises(Conflict) as refused:
        rules.move_budget(current, to)
    assert refused.value.key == "budget_transition"
    assert refused.value.params == {"from_status": str(current), "to_status": str(to)}


def test_only_a_draft_or_rejected_budget_changes_its_lines():
    editable = {s for s in BudgetStatus if rules.budget_editable(s)}
    assert editable == {BudgetStatus.DRAFT, BudgetStatus.REJECTED}


def test_a_campaign_starts_only_once_approved_and_ends_completed_or_cancelled():
    assert rules.move(CampaignStatus.APPROVED, CampaignStatus.RUNNING) is CampaignStatus.RUNNING
    assert rules.move(CampaignStatus.RUNNING, CampaignStatus.COMPLETED) is CampaignStatus.COMPLETED
    for status in (CampaignStatus.PLANNED, CampaignStatus.APPROVED, CampaignStatus.RUNNING):
        assert rules.move(status, CampaignStatus.CANCELLED) is CampaignStatus.CANCELLED
    for refused in (
        (CampaignStatus.PLANNED, CampaignStatus.RUNNING),
        (CampaignStatus.COMPLETED, CampaignStatus.RUNNING),
        (CampaignStatus.CANCELLED, CampaignStatus.PLANNED),
    ):
        with pytest.raises(Conflict):
            rules.move(*refused)


def test_budget_total_is_exact():
    assert rules.total([Decimal("0.10"), Decimal("0.20"), Decimal("1000000.05")]) == Decimal("1000000.35")
    assert rules.total([]) == Decimal(0)


def test_a_members_status_only_moves_forward():
    assert rules.advance(MemberStatus.TARGETED, MemberStatus.SENT) is MemberStatus.SENT
    assert rules.advance(MemberStatus.ATTENDED, MemberStatus.SENT) is MemberStatus.ATTENDED
    assert rules.advance(MemberStatus.SENT, MemberStatus.RESPONDED) is MemberStatus.RESPONDED


@pytest.mark.parametrize(
    ("standing", "decision"),
    [
        (Standing(has_address=True, granted=True, do_not_contact=False), Decision.SEND),
        (Standing(has_address=True, granted=None, do_not_contact=False), Decision.NO_CONSENT),
        (Standing(has_address=True, granted=False, do_not_contact=False), Decision.OPTED_OUT),
        (Standing(has_address=True, granted=True, do_not_contact=True), Decision.DO_NOT_CONTACT),
        (Standing(has_address=False, granted=True, do_not_contact=False), Decision.NO_ADDRESS),
        (Standing(has_address=False, granted=False, do_not_contact=True), Decision.DO_NOT_CONTACT),
    ],
)
def test_only_a_standing_opt_in_with_an_address_off_the_list_is_sent_to(standing, decision):
    assert decide(standing) is decision


def test_the_cost_window_of_a_campaign_at_the_ends_of_the_calendar_stays_within_it():
    assert rules.cost_window(dt.date.min, dt.date.max) == (dt.date.min, dt.date.max)
    assert rules.cost_window(dt.date(2027, 3, 1), dt.date(2027, 3, 3)) == (dt.date(2026, 2, 28), dt.date(2028, 3, 3))
