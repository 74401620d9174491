"""The sales service layer, wired once per process: services hold settings, callers bring the unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.service import Schedule
from sales.contracts.service import ContractService
from sales.leads.conversion import ConversionService
from sales.leads.intake import IntakeService
from sales.leads.rules import RuleService
from sales.leads.service import LeadService
from sales.money import Rates
from sales.opportunities.service import OpportunityService
from sales.orders.billing import BillingService
from sales.orders.service import OrderService
from sales.performance.analytics import AnalyticsService
from sales.performance.targets import TargetService
from sales.pipeline.service import PipelineService
from sales.products.service import ProductService
from sales.quotes.service import QuoteService
from sales.settings import SalesSettings


@dataclass
class Sales:
    settings: SalesSettings
    leads: LeadService
    rules: RuleService
    intake: IntakeService
    conversion: ConversionService
    pipelines: PipelineService
    opportunities: OpportunityService
    products: ProductService
    quotes: QuoteService
    contracts: ContractService
    orders: OrderService
    billing: BillingService
    targets: TargetService
    analytics: AnalyticsService

    @classmethod
    def wire(cls, settings: SalesSettings) -> Sales:
        rates = Rates(settings.base_currency, settings.exchange_rates)
        leads = LeadService()
        opportunities = OpportunityService(rates)
        orders = OrderService()
        return cls(
            settings,
            leads,
            RuleService(),
            IntakeService(leads, settings.webform_per_minute),
            ConversionService(opportunities),
            PipelineService(),
            opportunities,
            ProductService(rates),
            QuoteService(orders, rates, settings.quote_approval_discount),
            ContractService(rates, settings.renewal_notice_days),
            orders,
            BillingService(rates, settings.invoice_due_days),
            TargetService(),
            AnalyticsService(settings.base_currency),
        )

    def schedules(self) -> list[Schedule]:
        """Contract dates and renewal reminders, forecast snapshots; the default pipeline exists from the first run."""
        every = self.settings.scheduler_seconds
        return [
            Schedule("default-pipeline", self.pipelines.ensure_default, every=3600),
            Schedule("contract-dates", self.contracts.run_dates, every=every),
            Schedule("forecast-snapshots", self.analytics.take_snapshots, every=every),
        ]
