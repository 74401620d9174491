"""Typed events as a consumer receives them, for tests that call a handler directly."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, TypeVar

from crm_contracts.customer import AccountCreated, LifecycleStage
from crm_contracts.marketing import CampaignCreated
from crm_shared.events.model import Event

E = TypeVar("E", bound=Event)


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
