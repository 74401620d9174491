"""Events automation publishes: workflows published and runs finished, notifications, webhooks switched off,
approvals requested and decided."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from crm_contracts.automation import APPROVAL_TOPIC, ApprovalDecided, ApprovalRequested
from crm_shared.events.model import Event

WORKFLOW_TOPIC = "crm.automation.workflow"
NOTIFICATION_TOPIC = "crm.automation.notification"
WEBHOOK_TOPIC = "crm.automation.webhook"
ERP_TOPIC = "crm.automation.erp"
TOPICS = [WORKFLOW_TOPIC, NOTIFICATION_TOPIC, WEBHOOK_TOPIC, APPROVAL_TOPIC, ERP_TOPIC]
__all__ = ["ApprovalDecided", "ApprovalRequested"]  # approvals' events, in the contracts sales and marketing read


class WorkflowPublished(Event):
    topic, type = WORKFLOW_TOPIC, "workflow.published"

    id: uuid.UUID
    name: str
    version: int
    trigger_kind: str
    published_by: uuid.UUID | None


class WorkflowRunFinished(Event):
    """A run succeeded or failed; keyed by its workflow, so one workflow's runs stay in order."""

    topic, type = WORKFLOW_TOPIC, "workflow_run.finished"
    subject_field = "workflow_id"

    workflow_id: uuid.UUID
    run_id: uuid.UUID
    version: int
    status: str
    error: str | None
    started_at: dt.datetime
    finished_at: dt.datetime


class NotificationCreated(Event):
    topic, type = NOTIFICATION_TOPIC, "notification.created"
    subject_field = "user_id"

    id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    run_id: uuid.UUID | None


class WebhookSubscriptionDisabled(Event):
    topic, type = WEBHOOK_TOPIC, "webhook_subscription.disabled"

    id: uuid.UUID
    url: str
    failures: int


class ErpLine(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    line_no: int
    product_id: uuid.UUID | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    amount: Decimal  # after the line's discount, before tax


class ErpOrderExported(Event):
    """A sales order as the ERP books it; keyed by the order, so one order's documents stay in order."""

    topic, type = ERP_TOPIC, "erp_order.exported"
    subject_field = "order_id"

    document_number: str  # the order's number: the ERP's external document number
    action: str  # created, fulfilled, cancelled
    order_id: uuid.UUID
    customer_code: uuid.UUID  # the account
    status: str
    currency: str
    ordered_at: dt.datetime
    lines: list[ErpLine]
    subtotal: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
