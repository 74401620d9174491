"""The sales service layer, wired once per process."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from crm_shared.db import Database
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
    db: Database
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
    def wire(cls, db: Database, settings: SalesSettings) -> Sales:
        rates = Rates(settings.base_currency, settings.exchange_rates)
        leads = LeadService(db)
        opportunities = OpportunityService(db, rates)
        orders = OrderService(db)
        return cls(
            db,
            settings,
            leads,
            RuleService(db),
            IntakeService(db, leads, settings.webform_per_minute),
            ConversionService(db, opportunities),
            PipelineService(db),
            opportunities,
            ProductService(db, rates),
            QuoteService(db, orders, rates, settings.quote_approval_discount),
            ContractService(db, rates, settings.renewal_notice_days),
            orders,
            BillingService(db, rates, settings.invoice_due_days),
            TargetService(db),
            AnalyticsService(db, settings.base_currency),
        )

    async def run_schedule(self) -> None:
        """Contract dates, renewal reminders and forecast snapshots; state lives in the database."""
        await self.pipelines.ensure_default()
        while True:
            try:
                await self.contracts.run_dates()
                await self.analytics.take_snapshots()
            except Exception:
                logging.getLogger(__name__).exception("scheduled sales rules failed; retrying")
            await asyncio.sleep(self.settings.scheduler_seconds)
