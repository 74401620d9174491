"""Typed events as a consumer receives them, for tests that call a handler directly, and events put on their
topic for tests that run a service's consumer."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer

from crm_contracts.customer import AccountCreated, LifecycleStage
from crm_contracts.marketing import CampaignCreated
from crm_shared.events.consumer import EventConsumer
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.model import Event

E = TypeVar("E", bound=Event)
T = TypeVar("T")


async def put_on_topic(bootstrap: str, topic: str, envelopes: list[CloudEvent]) -> None:
    """The envelopes on `topic` in their order, as a service's relay puts them: keyed by their subject (the
    aggregate's partition), with their trace headers."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for envelope in envelopes:
            body = json.dumps(envelope.model_dump(mode="json")).encode()
            await producer.send(topic, body, key=(envelope.subject or "").encode(), headers=envelope.headers())
        await producer.flush()
    finally:
        await producer.stop()


async def consumed(consumer: EventConsumer, check: Callable[[], Awaitable[T]], seconds: float = 30) -> T:
    """Run the service's consumer until `check` answers something true, and that answer; fails after `seconds`."""
    running = asyncio.create_task(consumer.run())
    try:
        for _ in range(int(seconds * 10)):
            if found := await check():
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"not reached in {seconds:.0f} s")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


def delivered(event: E, source: str = "/crm/test") -> E:
    """The event after a round trip through its CloudEvents envelope, with an id and a time."""
    return type(event).received(event.envelope(source))


def account_created(owner_id: uuid.UUID, **fields: Any) -> AccountCreated:
    """Customer's account.created for a new account of `owner_id`: what `fields` name, the rest left empty."""
    account_id = fields.pop("id", None) or uuid.uuid4()
    empty: dict[str, Any] = dict.fromkeys(("industry", "size", "province", "city", "level", "source"))
    return AccountCreated(
        **{
            **empty,
            "id": account_id,
            "name": f"测试客户{account_id.hex[:6]}",
            "tags": [],
            "lifecycle_stage": LifecycleStage.NEW,
            "owner_id": owner_id,
            "in_pool": False,
            "has_phone": False,
            "has_email": False,
            "custom": {},
            **fields,
        }
    )


def campaign_created(owner_id: uuid.UUID, **fields: Any) -> CampaignCreated:
    """Marketing's campaign.created for a new exhibition of `owner_id`, without goals or budget unless `fields` say."""
    empty: dict[str, Any] = dict.fromkeys(("goal_leads", "goal_opportunities", "goal_revenue"))
    return CampaignCreated(
        **{
            **empty,
            "id": uuid.uuid4(),
            "name": "测试展会",
            "campaign_type": "exhibition",
            "status": "planned",
            "budget_status": "draft",
            "starts_on": dt.date(2026, 3, 1),
            "ends_on": dt.date(2026, 3, 31),
            "currency": "CNY",
            "budget_total": Decimal(0),
            "actual_cost": Decimal(0),
            "owner_id": owner_id,
            **fields,
        }
    )
