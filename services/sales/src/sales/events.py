"""Events the sales service publishes; each topic is keyed by the aggregate's id.

- `crm.sales.lead`: lead.created, .assigned, .status_changed, .conversion_requested, .converted,
  .conversion_failed
- `crm.sales.opportunity`: opportunity.created, .updated, .stage_changed, .won, .lost, .reopened
  (each carries `campaignId`, so marketing can compute return on investment)
- `crm.sales.quote`: quote.created, .submitted, .approved, .rejected, .accepted
- `crm.sales.contract`: contract.created, .status_changed, .renewal_due
- `crm.sales.order`: order.created, .fulfilled, .cancelled
- `crm.sales.invoice`: invoice.issued, .paid
- `crm.sales.payment`: payment.recorded
"""

from __future__ import annotations

from typing import Any

from crm_shared.events import CloudEvent, new_event

SOURCE = "/crm/sales"
LEAD_TOPIC = "crm.sales.lead"
OPPORTUNITY_TOPIC = "crm.sales.opportunity"
QUOTE_TOPIC = "crm.sales.quote"
CONTRACT_TOPIC = "crm.sales.contract"
ORDER_TOPIC = "crm.sales.order"
INVOICE_TOPIC = "crm.sales.invoice"
PAYMENT_TOPIC = "crm.sales.payment"
TOPICS = (
    LEAD_TOPIC,
    OPPORTUNITY_TOPIC,
    QUOTE_TOPIC,
    CONTRACT_TOPIC,
    ORDER_TOPIC,
    INVOICE_TOPIC,
    PAYMENT_TOPIC,
)


def event(type: str, subject: Any, data: dict[str, Any]) -> CloudEvent:
    return new_event(SOURCE, type, subject, data)
