"""Campaign performance under an attribution model: thin, one call into the service layer."""

from __future__ import annotations

import strawberry

from crm_shared.graphql import Info
from marketing.graphql.types import money, uid
from marketing.performance import report
from marketing.performance.attribution import Model

strawberry.enum(Model, name="AttributionModel", description="How a won deal's revenue is shared among campaigns.")


@strawberry.type(description="What a campaign sent and brought: counters kept from events, revenue by one model.")
class CampaignPerformance:
    campaign_id: strawberry.ID
    model: Model
    currency: str
    sent: int
    delivered: int
    opened: int
    clicked: int
    unsubscribed: int
    bounced: int
    responses: int = strawberry.field(description="Members who responded (a mail's first click, say).")
    leads: int = strawberry.field(description="Leads that came in naming the campaign.")
    opportunities: int = strawberry.field(description="Opportunities naming the campaign.")
    won_opportunities: int
    won_revenue: str = strawberry.field(description="Revenue of won deals attributed to the campaign by the model.")
    cost: str = strawberry.field(description="The recorded costs added up.")
    cost_per_lead: str | None = strawberry.field(description="None before the first lead.")
    roi: str | None = strawberry.field(description="(attributed revenue − cost) / cost; none while nothing was spent.")

    @classmethod
    def of(cls, found: report.Performance) -> CampaignPerformance:
        return cls(
            campaign_id=strawberry.ID(str(found.campaign_id)),
            model=found.model,
            currency=found.currency,
            sent=found.sent,
            delivered=found.delivered,
            opened=found.opened,
            clicked=found.clicked,
            unsubscribed=found.unsubscribed,
            bounced=found.bounced,
            responses=found.responses,
            leads=found.leads,
            opportunities=found.opportunities,
            won_opportunities=found.won_opportunities,
            won_revenue=f"{found.won_revenue:.2f}",
            cost=f"{found.cost:.2f}",
            cost_per_lead=money(found.cost_per_lead),
            roi=None if found.roi is None else f"{found.roi:.4f}",
        )


@strawberry.type
class Query:
    @strawberry.field(description="A campaign's figures, with won revenue attributed by `model` (linear by default).")
    async def campaign_performance(
        self, info: Info, id: strawberry.ID, model: Model = Model.LINEAR
    ) -> CampaignPerformance:
        async with info.context.uow() as uow:
            found = await report.performance(uow, info.context.principal, uid(id), model)
        return CampaignPerformance.of(found)
