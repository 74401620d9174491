"""GraphQL inputs; each turns into the service layer's command."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from pydantic.alias_generators import to_camel

from crm_shared.errors import BadInput
from sales.commands import command
from sales.contracts.service import ContractInput
from sales.leads.rules import RuleInput
from sales.leads.service import LeadFilter as LeadQuery
from sales.leads.service import LeadInput
from sales.opportunities.service import CLEARABLE, KEPT, LineInput, OpportunityInput
from sales.opportunities.service import OpportunityFilter as OpportunityQuery
from sales.orders.billing import PaymentFilter as PaymentQuery
from sales.orders.billing import PaymentInput
from sales.performance.analytics import FunnelFilter as FunnelQuery
from sales.pipeline.service import StageInput
from sales.products.service import PriceBookInput, ProductInput
from sales.quotes.service import QuoteInput


@strawberry.input
class CreateLeadInput:
    company: str
    contact_name: str
    phone: str | None = None
    email: str | None = None
    title: str | None = None
    source: str | None = None
    industry: str | None = None
    province: str | None = None
    city: str | None = None
    campaign_id: strawberry.ID | None = None
    notes: str | None = None
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Skip the assignment rules.")

    def command(self) -> LeadInput:
        return command(self, LeadInput)


@strawberry.input
class UpdateLeadInput:
    company: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    title: str | None = None
    source: str | None = None
    industry: str | None = None
    province: str | None = None
    city: str | None = None
    notes: str | None = None

    def command(self) -> LeadInput:
        return command(self, LeadInput)


@strawberry.input
class LeadFilter:
    status: str | None = None
    owner_id: strawberry.ID | None = None
    source: str | None = None
    campaign_id: strawberry.ID | None = None
    unassigned: bool | None = None
    min_score: int | None = None
    search: str | None = None

    def command(self) -> LeadQuery:
        return command(self, LeadQuery)


@strawberry.input(description="Leads matching every non-empty condition go to the members by the method.")
class AssignmentRuleInput:
    name: str
    method: str = strawberry.field(description="round_robin, least_loaded or fixed")
    priority: int = 100
    provinces: list[str] = strawberry.field(default_factory=list)
    industries: list[str] = strawberry.field(default_factory=list)
    sources: list[str] = strawberry.field(default_factory=list)
    unit_id: strawberry.ID | None = None
    member_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    active: bool = True

    def command(self) -> RuleInput:
        return command(self, RuleInput)


@strawberry.input
class StageFields:
    name: str
    probability: str
    required_fields: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class CreatePipelineInput:
    name: str
    stages: list[StageFields]
    is_default: bool = False
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="The unit whose pipeline it is; none: company-wide (administrators)"
    )

    def stage_commands(self) -> list[StageInput]:
        return [command(s, StageInput) for s in self.stages]


@strawberry.input
class CreateOpportunityInput:
    name: str
    account_id: strawberry.ID
    amount: str | None = strawberry.field(default=None, description='A decimal string, e.g. "128000.00".')
    currency: str | None = None
    contact_id: strawberry.ID | None = None
    pipeline_id: strawberry.ID | None = None
    expected_close_date: dt.date | None = None
    forecast_category: str | None = strawberry.field(default=None, description="pipeline, best_case, commit, omitted")
    source: str | None = None
    campaign_id: strawberry.ID | None = None
    description: str | None = None
    owner_id: strawberry.ID | None = None

    def command(self) -> OpportunityInput:
        return command(self, OpportunityInput)


@strawberry.input(
    description="Only the fields given change; an amount, contact or expected close date given as null is cleared; "
    "a name, currency or forecast category always holds a value."
)
class UpdateOpportunityInput:
    name: str | None = strawberry.UNSET
    amount: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    expected_close_date: dt.date | None = strawberry.UNSET
    forecast_category: str | None = strawberry.UNSET
    description: str | None = None

    def command(self) -> OpportunityInput:
        if kept := next((name for name in KEPT if getattr(self, name) is None), None):
            raise BadInput("required_field", field=to_camel(kept))
        given = {name: getattr(self, name) for name in (*CLEARABLE, *KEPT)}
        absent = [name for name, value in given.items() if value is None or value is strawberry.UNSET]
        cleared = frozenset(name for name in CLEARABLE if given[name] is None)
        return command(self, OpportunityInput, cleared=cleared, **dict.fromkeys(absent))


@strawberry.input
class OpportunityFilter:
    status: str | None = None
    owner_id: strawberry.ID | None = None
    account_id: strawberry.ID | None = None
    pipeline_id: strawberry.ID | None = None
    stage_id: strawberry.ID | None = None
    campaign_id: strawberry.ID | None = None
    closing_from: dt.date | None = None
    closing_to: dt.date | None = None

    def command(self) -> OpportunityQuery:
        return command(self, OpportunityQuery)


@strawberry.input
class LineItemInput:
    product_id: strawberry.ID
    quantity: str = "1"
    unit_price: str | None = strawberry.field(default=None, description="Default: the price book's or list price.")
    discount_percent: str | None = None

    def command(self) -> LineInput:
        return command(self, LineInput)


@strawberry.input
class ProductInputFields(ProductInput):
    """The service's product command as a GraphQL input: the same fields, declared once."""

    def command(self) -> ProductInput:
        return command(self, ProductInput)


@strawberry.input
class PriceEntryInput:
    product_id: strawberry.ID
    price: str


@strawberry.input
class CreatePriceBookInput:
    name: str
    currency: str | None = None
    customer_level: str | None = None
    region: str | None = None
    discount_percent: str | None = None
    entries: list[PriceEntryInput] = strawberry.field(default_factory=list)

    def command(self) -> PriceBookInput:
        return command(self, PriceBookInput, entries=[(uuid.UUID(str(e.product_id)), e.price) for e in self.entries])


@strawberry.input
class CreateQuoteInput:
    opportunity_id: strawberry.ID
    lines: list[LineItemInput]
    discount_percent: str | None = None
    tax_rate: str | None = strawberry.field(default=None, description='Percent, e.g. "13".')
    valid_until: dt.date | None = None
    price_book_id: strawberry.ID | None = strawberry.field(
        default=None, description="Price the lines by this active book of the deal's currency; default: the account's."
    )

    def command(self) -> QuoteInput:
        return command(self, QuoteInput, lines=[line.command() for line in self.lines])


@strawberry.input
class CreateContractInput:
    account_id: strawberry.ID
    title: str
    value: str
    start_date: dt.date
    end_date: dt.date
    currency: str | None = None
    opportunity_id: strawberry.ID | None = None
    quote_id: strawberry.ID | None = None

    def command(self) -> ContractInput:
        return command(self, ContractInput)


@strawberry.input
class RecordPaymentInput:
    invoice_id: strawberry.ID
    amount: str
    received_on: dt.date | None = None
    method: str = "bank_transfer"
    reference: str | None = None

    def command(self) -> PaymentInput:
        return command(self, PaymentInput)


@strawberry.input
class PaymentFilter:
    invoice_id: strawberry.ID | None = None
    account_id: strawberry.ID | None = None
    received_from: dt.date | None = strawberry.field(name="from", default=None, description="Received on or after")
    received_to: dt.date | None = strawberry.field(name="to", default=None, description="Received on or before")
    method: str | None = None

    def command(self) -> PaymentQuery:
        return command(self, PaymentQuery)


@strawberry.input
class FunnelFilter:
    pipeline_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    period: str | None = None
    source: str | None = None
    campaign_id: strawberry.ID | None = None

    def command(self) -> FunnelQuery:
        return command(self, FunnelQuery)
