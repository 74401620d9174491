"""Sales' events other services act on: the lead conversion request, new orders (customer) and
delivered orders (support's installed base)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from crm_shared.events.model import Event

LEAD_TOPIC = "crm.sales.lead"
ORDER_TOPIC = "crm.sales.order"


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class OrderStatus(StrEnum):
    CONFIRMED = "confirmed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class LeadSnapshot(Event):
    """What a lead looks like in events: no phone or email, only whether they are known."""

    topic = LEAD_TOPIC

    id: uuid.UUID
    company: str
    contact_name: str
    title: str | None
    industry: str | None
    province: str | None
    city: str | None
    source: str
    campaign_id: uuid.UUID | None
    status: LeadStatus
    score: int
    owner_id: uuid.UUID | None
    has_phone: bool
    has_email: bool
    created_at: dt.datetime


class LeadConversionRequested(LeadSnapshot):
    """Carries the contact's phone and email encrypted with the suite's field key, for customer alone."""

    type = "lead.conversion_requested"

    lead_id: uuid.UUID
    phone_encrypted: str | None
    email_encrypted: str | None
    requested_by: uuid.UUID


class OrderSnapshot(Event):
    topic = ORDER_TOPIC

    id: uuid.UUID
    number: str
    account_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    quote_id: uuid.UUID | None
    contract_id: uuid.UUID | None
    status: OrderStatus
    currency: str
    total: Decimal
    owner_id: uuid.UUID


class OrderCreated(OrderSnapshot):
    type = "order.created"

    first_order: bool


class DeliveredLine(BaseModel):
    """One product line of a delivered order, as the customer's installed base records it."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)

    product_id: uuid.UUID | None
    product_code: str | None
    name: str
    quantity: Decimal


class OrderFulfilled(OrderSnapshot):
    type = "order.fulfilled"

    delivered_on: dt.date | None = None  # older events carry neither the date nor the lines
    lines: list[DeliveredLine] = []
