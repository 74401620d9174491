"""The sales service layer, wired once per process: services hold settings, callers bring the unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.service import Schedule
from sales.contracts.service import ContractService
from sales.leads.conversion import ConversionService
from sales.leads.intake import IntakeService
from sales.money import Rates
from sales.opportunities.service import OpportunityService
from sales.orders.billing import BillingService
from sales.performance.analytics import AnalyticsService
from sales.pipeline import service as pipelines
from sales.products.service import ProductService
from sales.quotes.service import QuoteService
from sales.settings import SalesSettings


@dataclass
class Sales:
    settings: SalesSettings
    intake: IntakeService
    conversion: ConversionService
    opportunities: OpportunityService
    products: ProductService
    quotes: QuoteService
    contracts: ContractService
    billing: BillingService
    analytics: AnalyticsService

    @classmethod
    def wire(cls, settings: SalesSettings) -> Sales:
        rates = Rates(settings.base_currency, settings.exchange_rates)
        opportunities = OpportunityService(rates)
        return cls(
            settings,
            IntakeService(settings.webform_per_minute),
            ConversionService(opportunities),
            opportunities,
            ProductService(rates),
            QuoteService(rates, settings.quote_approval_discount),
            ContractService(rates, settings.renewal_notice_days),
            BillingService(rates, settings.invoice_due_days),
            AnalyticsService(settings.base_currency),
        )

    def schedules(self) -> list[Schedule]:
        """Contract dates and renewal reminders, forecast snapshots; the default pipeline exists from the first run."""
        every = self.settings.scheduler_seconds
        return [
            Schedule("default-pipeline", pipelines.ensure_default, every=3600),
            Schedule("contract-dates", self.contracts.run_dates, every=every),
            Schedule("forecast-snapshots", self.analytics.take_snapshots, every=every),
        ]
