"""Every sales table, so Alembic sees the whole schema."""

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.contacts import ContactLink, ContactRef
from crm_shared.events import InboxRecord, OutboxMessage
from crm_shared.http.idempotency import IdempotencyRecord
from sales.campaigns import CampaignRef
from sales.contracts.models import Contract
from sales.erp.models import ErpDocument
from sales.leads.models import AssignmentRule, FormSubmission, Lead, LeadActivity, ScoringRule
from sales.opportunities.models import Opportunity, OpportunityLine, StageVisit
from sales.orders.models import Invoice, Order, OrderLine, Payment
from sales.performance.models import ForecastSnapshot, Target
from sales.performance.rollup import FunnelTotal, StageTimeTotal
from sales.pipeline.models import Pipeline, Stage
from sales.products.models import PriceBook, PriceBookEntry, Product
from sales.quotes.models import Quote, QuoteLine

__all__ = [
    "AccountRef",
    "AssignmentRule",
    "CampaignRef",
    "ContactLink",
    "ContactRef",
    "Contract",
    "DirectoryServiceAccount",
    "DirectoryUser",
    "ErpDocument",
    "ForecastSnapshot",
    "FormSubmission",
    "FunnelTotal",
    "IdempotencyRecord",
    "InboxRecord",
    "Invoice",
    "Lead",
    "LeadActivity",
    "Opportunity",
    "OpportunityLine",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "Payment",
    "Pipeline",
    "PriceBook",
    "PriceBookEntry",
    "Product",
    "Quote",
    "QuoteLine",
    "ScoringRule",
    "Stage",
    "StageTimeTotal",
    "StageVisit",
    "Target",
]
