"""Events the sales service publishes; each topic is keyed by the aggregate's id.

- `crm.sales.lead`: lead.created, .assigned, .status_changed, .conversion_requested, .converted,
  .conversion_failed
- `crm.sales.opportunity`: opportunity.created, .updated, .stage_changed, .won, .lost, .reopened
  (each carries `campaignId`, so marketing can compute return on investment)
- `crm.sales.quote`: quote.created, .submitted, .approved, .rejected, .accepted, .superseded
- `crm.sales.contract`: contract.created, .submitted, .status_changed, .renewal_due
- `crm.sales.order`: order.created, .fulfilled, .cancelled
- `crm.sales.invoice`: invoice.issued, .paid
- `crm.sales.payment`: payment.recorded

The lead conversion request and new orders, which customer consumes, live in `crm_contracts.sales`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer

from crm_contracts.sales import (
    LEAD_TOPIC,
    ORDER_TOPIC,
    LeadConversionRequested,
    LeadSnapshot,
    LeadStatus,
    OrderCreated,
    OrderFulfilled,
    OrderSnapshot,
)
from crm_shared.events.model import Event

OPPORTUNITY_TOPIC = "crm.sales.opportunity"
QUOTE_TOPIC = "crm.sales.quote"
CONTRACT_TOPIC = "crm.sales.contract"
INVOICE_TOPIC = "crm.sales.invoice"
PAYMENT_TOPIC = "crm.sales.payment"
TOPICS = (LEAD_TOPIC, OPPORTUNITY_TOPIC, QUOTE_TOPIC, CONTRACT_TOPIC, ORDER_TOPIC, INVOICE_TOPIC, PAYMENT_TOPIC)

# Times leave as Python writes them (`+00:00`), as they always have.
Time = Annotated[dt.datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]

__all__ = ["LeadConversionRequested", "OrderCreated", "OrderFulfilled"]


def fields_of(row: Any, event: type[Event]) -> dict[str, Any]:
    """The event's fields that the row holds under the same names."""
    return {name: getattr(row, name) for name in event.model_fields if hasattr(row, name)}


class LeadCreated(LeadSnapshot):
    type = "lead.created"

    created_at: Time


class LeadAssigned(Event):
    topic, type = LEAD_TOPIC, "lead.assigned"

    id: uuid.UUID
    owner_id: uuid.UUID | None
    previous_owner_id: uuid.UUID | None
    rule_id: uuid.UUID | None
    created_at: Time
    assigned_at: Time


class LeadStatusChanged(Event):
    topic, type = LEAD_TOPIC, "lead.status_changed"

    id: uuid.UUID
    from_status: LeadStatus = Field(alias="from")
    to: LeadStatus
    reason: str | None


class LeadConverted(Event):
    topic, type = LEAD_TOPIC, "lead.converted"

    id: uuid.UUID
    account_id: uuid.UUID
    contact_id: uuid.UUID | None
    opportunity_id: uuid.UUID
    matched_existing_account: bool
    campaign_id: uuid.UUID | None
    owner_id: uuid.UUID


class LeadConversionFailed(Event):
    topic, type = LEAD_TOPIC, "lead.conversion_failed"

    id: uuid.UUID
    reason: str
    field: str | None


class OpportunitySnapshot(Event):
    topic = OPPORTUNITY_TOPIC

    id: uuid.UUID
    name: str
    account_id: uuid.UUID
    owner_id: uuid.UUID
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    probability: Decimal
    amount: Decimal | None
    currency: str
    amount_base: Decimal
    expected_close_date: dt.date | None
    forecast_category: str
    status: str
    source: str | None
    campaign_id: uuid.UUID | None
    lead_id: uuid.UUID | None


class OpportunityCreated(OpportunitySnapshot):
    type = "opportunity.created"


class OpportunityUpdated(OpportunitySnapshot):
    type = "opportunity.updated"


class OpportunityStageChanged(OpportunitySnapshot):
    type = "opportunity.stage_changed"

    from_stage_id: uuid.UUID
    stage_name: str


class OpportunityClosed(OpportunitySnapshot):
    reason: str
    competitor: str | None
    closed_at: Time


class OpportunityWon(OpportunityClosed):
    type = "opportunity.won"


class OpportunityLost(OpportunityClosed):
    type = "opportunity.lost"


class OpportunityReopened(OpportunitySnapshot):
    type = "opportunity.reopened"

    from_status: str = Field(alias="from")


class QuoteSnapshot(Event):
    topic = QUOTE_TOPIC

    id: uuid.UUID
    opportunity_id: uuid.UUID
    account_id: uuid.UUID
    version: int
    status: str
    currency: str
    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    total: Decimal
    effective_discount: Decimal
    owner_id: uuid.UUID
    approver_id: uuid.UUID | None


class QuoteCreated(QuoteSnapshot):
    type = "quote.created"


class QuoteDecision(QuoteSnapshot):
    comment: str | None


class QuoteSubmitted(QuoteDecision):
    """Goes to automation's approvals: who may not decide (owner, creator, submitter) and what approvers see."""

    type = "quote.submitted"

    title: str | None = None  # the opportunity's name
    created_by: uuid.UUID | None = None
    submitted_by: uuid.UUID | None = None


class QuoteApproved(QuoteDecision):
    type = "quote.approved"


class QuoteRejected(QuoteDecision):
    type = "quote.rejected"


class QuoteAccepted(QuoteDecision):
    type = "quote.accepted"


class QuoteSuperseded(QuoteDecision):
    """A newer version replaced it while it waited for approval: the approval ends undecided."""

    type = "quote.superseded"


class ContractSnapshot(Event):
    topic = CONTRACT_TOPIC

    id: uuid.UUID
    number: str
    title: str
    account_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    value: Decimal
    currency: str
    start_date: dt.date
    end_date: dt.date
    status: str
    owner_id: uuid.UUID


class ContractCreated(ContractSnapshot):
    type = "contract.created"


class ContractStatusChanged(ContractSnapshot):
    """By hand it carries the `comment`; by date, `automatic: true` instead."""

    type = "contract.status_changed"

    from_status: str = Field(alias="from")
    comment: str | None = None
    automatic: bool | None = None

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class ContractSubmitted(ContractSnapshot):
    """Goes to automation's approvals with who may not decide on it (with the status_changed event)."""

    type = "contract.submitted"

    created_by: uuid.UUID | None
    submitted_by: uuid.UUID | None


class ContractRenewalDue(ContractSnapshot):
    type = "contract.renewal_due"

    days_left: int


class OrderCancelled(OrderSnapshot):
    type = "order.cancelled"

    reason: str | None


class InvoiceSnapshot(Event):
    topic = INVOICE_TOPIC

    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    account_id: uuid.UUID
    currency: str
    amount: Decimal
    paid: Decimal
    status: str
    issued_on: dt.date
    due_on: dt.date
    owner_id: uuid.UUID


class InvoiceIssued(InvoiceSnapshot):
    type = "invoice.issued"


class InvoicePaid(InvoiceSnapshot):
    type = "invoice.paid"


class PaymentRecorded(Event):
    topic, type = PAYMENT_TOPIC, "payment.recorded"

    id: uuid.UUID
    invoice_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    currency: str
    received_on: dt.date
    method: str
    invoice_status: str
    owner_id: uuid.UUID
