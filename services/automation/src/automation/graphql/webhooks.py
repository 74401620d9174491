"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from automation.graphql.types import WebhookDelivery, WebhookSubscription, optional_uid, uid
from automation.webhooks import service as webhooks
from automation.webhooks.models import DeliveryStatus
from crm_shared.graphql import Connection, Info
from crm_shared.graphql.inputs import MAX_ITEMS_KEY


@strawberry.input
class WebhookSubscriptionInput:
    name: str
    url: str
    event_types: list[str] = strawberry.field(metadata={MAX_ITEMS_KEY: webhooks.MAX_TYPES})
    filters: JSON | None = strawberry.field(default=None, description="Conditions on the event, as in workflows.")
    enabled: bool = True
    secret: str | None = strawberry.field(default=None, description="whsec_...; made for a new subscription if absent.")

    def command(self) -> webhooks.SubscriptionInput:
        raw: Any = self.filters
        filters = raw if isinstance(raw, list) else ([] if raw is None else [raw])
        return webhooks.SubscriptionInput(self.name, self.url, self.event_types, filters, self.enabled, self.secret)


@strawberry.type
class Query:
    @strawberry.field
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        async with info.context.uow() as uow:
            return [WebhookSubscription.of(s) for s in await webhooks.listed(uow, info.context.principal)]

    @strawberry.field(description="The event types a subscription may name.")
    def webhook_event_types(self, info: Info) -> list[str]:
        return webhooks.event_types(info.context.principal, info.context.state.settings)

    @strawberry.field(description="The delivery log, newest first.")
    async def webhook_deliveries(
        self,
        info: Info,
        subscription_id: strawberry.ID | None = None,
        status: DeliveryStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[WebhookDelivery]:
        async with info.context.uow() as uow:
            p = info.context.principal
            found = await webhooks.deliveries(uow, p, optional_uid(subscription_id), status, first, after)
            return Connection.of(found, WebhookDelivery.of)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def save_webhook_subscription(
        self, info: Info, input: WebhookSubscriptionInput, id: strawberry.ID | None = None
    ) -> WebhookSubscription:
        async with info.context.uow() as uow:
            settings = info.context.state.settings
            saved = await webhooks.save(uow, info.context.principal, optional_uid(id), input.command(), settings)
            return WebhookSubscription.of(saved, reveal=id is None or input.secret is not None)

    @strawberry.mutation(description="Sends a finished delivery's message again (same webhook-id), now.")
    async def replay_webhook_delivery(self, info: Info, id: strawberry.ID) -> WebhookDelivery:
        async with info.context.uow() as uow:
            return WebhookDelivery.of(await webhooks.replay(uow, info.context.principal, uid(id)))
