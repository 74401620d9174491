"""Webhook subscriptions kept by those with `automation:webhook` permissions; deliveries queued from the
suite's events in the consumer's transaction, listed and replayed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import insert, select
from sqlmodel import col

from automation.events import ERP_TOPIC
from automation.settings import AutomationSettings
from automation.webhooks import signing
from automation.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from automation.workflows import checks
from automation.workflows.conditions import Predicate, predicate
from automation.workflows.definition import Condition, _bad_input
from crm_contracts.published import types_on
from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.events.envelope import CloudEvent
from crm_shared.validate import items, required_text

RESOURCE = "automation:webhook"
QUEUED = "automation_webhooks"  # NOTIFY: deliveries were queued; the dispatcher sends them at once
FILTERS = TypeAdapter(list[Condition])
MAX_FILTERS = 50  # as a workflow's conditions
MAX_TYPES = 100


@dataclass(frozen=True)
class SubscriptionInput:
    name: str
    url: str
    event_types: list[str]
    filters: list[dict[str, Any]]
    enabled: bool = True
    secret: str | None = None  # kept when absent on an update; made when absent on a create


def _filters(raw: list[dict[str, Any]]) -> list[Condition]:
    try:
        return FILTERS.validate_python(raw)
    except ValidationError as exc:
        raise _bad_input(exc.errors()[0], "filters") from None


def event_types(principal: Principal, settings: AutomationSettings) -> list[str]:
    principal.require(f"{RESOURCE}:read")
    return _reaching(settings)


def _reaching(settings: AutomationSettings) -> list[str]:
    """What a subscription may name: the types published on the topics whose events reach the webhooks."""
    return types_on([*settings.trigger_topics, ERP_TOPIC])


def _types(raw: list[str], settings: AutomationSettings) -> list[str]:
    """Each event type once, in the order given; each one that reaches the webhooks (`lead.assigned`)."""
    types: list[str] = []
    known = _reaching(settings)
    for position, given in enumerate(items(raw, "eventTypes", MAX_TYPES)):
        here = f"eventTypes[{position}]"
        found = required_text(given, here, 200)
        if found not in known:
            raise BadInput("webhook_event_type", field=here)
        if found not in types:
            types.append(found)
    if not types:
        raise BadInput("required_field", field="eventTypes")
    return types


async def get(
    uow: UnitOfWork, principal: Principal, subscription_id: uuid.UUID, action: str = "read"
) -> WebhookSubscription:
    principal.require(f"{RESOURCE}:{action}")
    found = await uow.session.get(WebhookSubscription, subscription_id)
    if found is None:
        raise NotFound(entity="WebhookSubscription")
    return found


async def listed(uow: UnitOfWork, principal: Principal) -> list[WebhookSubscription]:
    principal.require(f"{RESOURCE}:read")
    query = select(WebhookSubscription).order_by(col(WebhookSubscription.created_at), col(WebhookSubscription.id))
    return list((await uow.session.scalars(query)).all())


async def save(
    uow: UnitOfWork,
    principal: Principal,
    subscription_id: uuid.UUID | None,
    data: SubscriptionInput,
    settings: AutomationSettings,
) -> WebhookSubscription:
    row = await get(uow, principal, subscription_id, "update") if subscription_id else None
    if row is None:
        principal.require(f"{RESOURCE}:create")
    name = required_text(data.name, "name", 100)
    url = checks.destination(required_text(data.url, "url", 2000), "url", settings.webhook_networks)
    types = _types(data.event_types, settings)
    conditions = _filters(items(data.filters, "filters", MAX_FILTERS))
    checks.conditions(conditions, ["filters"])
    filters = [f.model_dump(mode="json", by_alias=True, exclude_none=True) for f in conditions]
    if data.secret is not None:
        signing.key(data.secret, "secret")
    same = select(col(WebhookSubscription.id)).where(col(WebhookSubscription.name) == name)
    if row is not None:
        same = same.where(col(WebhookSubscription.id) != row.id)
    if await uow.session.scalar(same) is not None:
        raise Conflict("webhook_name_taken", field="name")
    before = {"url": row.url, "eventTypes": row.event_types, "enabled": row.enabled} if row else None
    if row is None:
        row = WebhookSubscription(
            name=name,
            url=url,
            secret=data.secret or signing.new_secret(),
            event_types=types,
            owner_id=principal.user_id,
        )
        uow.session.add(row)
    row.name, row.url, row.event_types, row.filters, row.updated_at = name, url, types, filters, utcnow()
    if data.secret is not None:
        row.secret = data.secret
    if data.enabled and not row.enabled:  # switched on again: failures start over
        row.failures_in_row, row.disabled_at = 0, None
    row.enabled = data.enabled
    await uow.flush()
    after = {"url": row.url, "eventTypes": row.event_types, "enabled": row.enabled}
    await audit.record(uow, "webhook_subscription.saved", "WebhookSubscription", row.id, before, after, actor=principal)
    return row


async def _subscribed(uow: UnitOfWork, event_type: str) -> Sequence[tuple[WebhookSubscription, Predicate]]:
    """The enabled subscriptions to the type with their filters as a predicate, read once per unit of work: once
    for a batch of events (what is queued for one switched off meanwhile waits, as the dispatcher sends only to
    enabled subscriptions)."""

    async def load() -> Sequence[tuple[WebhookSubscription, Predicate]]:
        query = select(WebhookSubscription).where(
            col(WebhookSubscription.enabled).is_(True), col(WebhookSubscription.event_types).contains([event_type])
        )
        return [(found, predicate(_filters(found.filters))) for found in (await uow.session.scalars(query)).all()]

    return await uow.read_once(("webhook_subscriptions", event_type), load)


async def enqueue(uow: UnitOfWork, topic: str, events: Sequence[CloudEvent]) -> int:
    """A delivery for each enabled subscription to an event's type whose filters hold, all in one statement;
    returns how many."""
    rows = []
    for event in events:
        context = {"event": event.data, "subject": event.subject, "type": event.type, "topic": topic}
        for subscription, matches in await _subscribed(uow, event.type):
            if matches(context):
                payload = {"type": event.type, "timestamp": event.time.isoformat(), "subject": event.subject}
                delivery = WebhookDelivery(
                    subscription_id=subscription.id,
                    message_id=f"msg_{event.id}",
                    event_type=event.type,
                    payload={**payload, "data": event.data},
                )
                rows.append(delivery.model_dump())
    if rows:
        await uow.session.execute(insert(WebhookDelivery).values(rows))
        await uow.notify(QUEUED)
    return len(rows)


async def deliveries(
    uow: UnitOfWork,
    principal: Principal,
    subscription_id: uuid.UUID | None,
    status: str | None,
    first: int,
    after: str | None,
) -> Page[WebhookDelivery]:
    principal.require(f"{RESOURCE}:read")
    query = select(WebhookDelivery)
    if subscription_id is not None:
        query = query.where(col(WebhookDelivery.subscription_id) == subscription_id)
    if status is not None:
        query = query.where(col(WebhookDelivery.status) == status)
    order = Order.by(col(WebhookDelivery.created_at), col(WebhookDelivery.id), descending=True)
    return await page(uow, query, order, first, after)


async def replay(uow: UnitOfWork, principal: Principal, delivery_id: uuid.UUID) -> WebhookDelivery:
    """The same message (same `webhook-id`) sent again as a new delivery, now, to its subscription."""
    principal.require(f"{RESOURCE}:update")
    original = await uow.session.get(WebhookDelivery, delivery_id)
    if original is None:
        raise NotFound(entity="WebhookDelivery")
    if original.status == DeliveryStatus.PENDING:
        raise Conflict("webhook_not_failed")
    again = WebhookDelivery(
        subscription_id=original.subscription_id,
        message_id=original.message_id,
        event_type=original.event_type,
        payload=original.payload,
        replay_of=original.id,
    )
    uow.session.add(again)
    await uow.flush()
    await uow.notify(QUEUED)
    await audit.record(uow, "webhook_delivery.replayed", "WebhookDelivery", again.id, actor=principal)
    return again
