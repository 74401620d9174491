"""The facts segment rules read, kept from events as they arrive, each followed by the affected contacts'
re-evaluation: customer's accounts and contacts, sales' opportunities and orders, and marketing's own
message events (opens, clicks; a click is the contact's response, as campaign members count it).

Account and contact events are also applied by the platform's and the audience's projections; `Handlers.then`
runs this module's handler behind theirs for the same event, so the contact row is there to read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import bindparam, case, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_contracts.customer import (
    ACCOUNT_TOPIC,
    AccountCreated,
    AccountDeleted,
    AccountReconciled,
    AccountRestored,
    AccountSnapshot,
    AccountUpdated,
    ContactCreated,
    ContactDeleted,
    ContactUpdated,
)
from crm_contracts.sales import ORDER_TOPIC
from crm_shared.db import UnitOfWork
from crm_shared.db.snapshots import keep_newer, table_of
from crm_shared.events.handlers import Handlers
from crm_shared.events.model import Event
from marketing import events
from marketing.sales_events import OPPORTUNITY_EVENTS, OpportunitySeen
from marketing.segments import membership
from marketing.segments.models import EPOCH, Profile, SegmentAccount, SegmentOpportunity, SegmentOrder
from marketing.sms.zones import zone_name

FACTS = Handlers()


# ---- customer ---------------------------------------------------------------------------------------------


# made once and on the table, not the ORM class (see `crm_shared.db.snapshots`)
_ACCOUNTS = table_of(SegmentAccount)
_ACCOUNT = ("level", "industry", "province", "time_zone", "tags", "custom", "deleted", "updated_at")
_INSERT_ACCOUNT = insert(_ACCOUNTS).values(
    {name: bindparam(name) for name in ("id", *_ACCOUNT, "lifecycle_stage", "lifecycle_at")}
)
_NEWER_STAGE = _ACCOUNTS.c.lifecycle_at <= _INSERT_ACCOUNT.excluded.lifecycle_at
UPSERT_ACCOUNT = _INSERT_ACCOUNT.on_conflict_do_update(
    index_elements=["id"],
    set_={name: _INSERT_ACCOUNT.excluded[name] for name in _ACCOUNT}
    | {
        "lifecycle_stage": case(
            (_NEWER_STAGE, _INSERT_ACCOUNT.excluded.lifecycle_stage), else_=_ACCOUNTS.c.lifecycle_stage
        ),
        "lifecycle_at": func.greatest(_ACCOUNTS.c.lifecycle_at, _INSERT_ACCOUNT.excluded.lifecycle_at),
    },
    where=_ACCOUNTS.c.updated_at <= _INSERT_ACCOUNT.excluded.updated_at,
)


@FACTS.on_many(AccountCreated, AccountUpdated, AccountRestored, AccountReconciled)
async def account_snapshots(uow: UnitOfWork, accounts: list[AccountSnapshot]) -> None:
    """The accounts' facts (an import's burst in one round trip), then their contacts' memberships."""
    rows = [
        {
            "id": account.id,
            "level": account.level,
            "industry": (account.industry or None) and account.industry[:100],
            "province": (account.province or None) and account.province[:50],
            "time_zone": zone_name(account.province, account.city),
            "lifecycle_stage": str(account.lifecycle_stage),
            "tags": sorted(set(account.tags)),
            "custom": account.custom,
            "deleted": False,
            "updated_at": account.time,
            "lifecycle_at": account.time,
        }
        for account in accounts
    ]
    await uow.session.execute(UPSERT_ACCOUNT, rows)
    await membership.changed(uow, account_ids=list(dict.fromkeys(account.id for account in accounts)))


class LifecycleChanged(Event):
    """`account.lifecycle_changed` as segments read it: the stage the account is in now."""

    topic, type = ACCOUNT_TOPIC, "account.lifecycle_changed"

    id: uuid.UUID
    to: str


@FACTS.on(LifecycleChanged)
async def lifecycle_changed(uow: UnitOfWork, event: LifecycleChanged) -> None:
    await _known(uow, event.id)
    await uow.session.execute(
        update(SegmentAccount)
        .where(col(SegmentAccount.id) == event.id, col(SegmentAccount.lifecycle_at) <= event.time)
        .values(lifecycle_stage=event.to[:20], lifecycle_at=event.time)
    )
    await membership.changed(uow, account_ids=[event.id])


@FACTS.on(AccountDeleted)
async def account_deleted(uow: UnitOfWork, event: AccountDeleted) -> None:
    await _known(uow, event.id)
    await uow.session.execute(
        update(SegmentAccount)
        .where(col(SegmentAccount.id) == event.id, col(SegmentAccount.updated_at) <= event.time)
        .values(deleted=True, updated_at=event.time)
    )
    await membership.changed(uow, account_ids=[event.id])


@FACTS.on_many(ContactCreated, ContactUpdated, ContactDeleted)
async def contacts_changed(uow: UnitOfWork, events: list[Any]) -> None:
    """The audience projection applied the contacts just before: their profiles follow."""
    await membership.changed(uow, contact_ids=list(dict.fromkeys(event.id for event in events)))


async def _known(uow: UnitOfWork, account_id: uuid.UUID) -> None:
    """A row for an account sales or a lifecycle change names before its snapshot arrived; the snapshot
    (never older than EPOCH) fills it in."""
    await uow.session.execute(
        insert(SegmentAccount)
        .values(id=account_id, updated_at=EPOCH, lifecycle_at=EPOCH)
        .on_conflict_do_nothing(index_elements=["id"])
    )


# ---- sales ------------------------------------------------------------------------------------------------


@FACTS.on(*OPPORTUNITY_EVENTS)
async def opportunity(uow: UnitOfWork, event: OpportunitySeen) -> None:
    values = {
        "id": event.id,
        "account_id": event.account_id,
        "status": event.status[:10],
        "competitor": (event.competitor or "").strip()[:200] or None if event.status == "lost" else None,
        "updated_at": event.time,
    }
    await keep_newer(uow, SegmentOpportunity, values)
    await _sales_facts(uow, event.account_id)


class OrderFacts(Event):
    topic = ORDER_TOPIC

    id: uuid.UUID
    account_id: uuid.UUID


class OrderPlaced(OrderFacts):
    type = "order.created"


class OrderCancelled(OrderFacts):
    type = "order.cancelled"


@FACTS.on(OrderPlaced, OrderCancelled)
async def order(uow: UnitOfWork, event: OrderFacts) -> None:
    cancelled = isinstance(event, OrderCancelled)
    stmt = insert(SegmentOrder).values(
        id=event.id, account_id=event.account_id, ordered_at=event.time, cancelled=cancelled
    )
    update_ = {"cancelled": True} if cancelled else {"ordered_at": func.least(col(SegmentOrder.ordered_at), event.time)}
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update_))
    await _sales_facts(uow, event.account_id)


async def _sales_facts(uow: UnitOfWork, account_id: uuid.UUID) -> None:
    """The account's sales facts recomputed from what is known of its opportunities and orders."""
    await _known(uow, account_id)
    opportunities = select(SegmentOpportunity).where(col(SegmentOpportunity.account_id) == account_id)
    lost = (
        select(func.coalesce(func.array_agg(func.distinct(col(SegmentOpportunity.competitor))), text("'{}'")))
        .where(
            col(SegmentOpportunity.account_id) == account_id,
            col(SegmentOpportunity.status) == "lost",
            col(SegmentOpportunity.competitor).is_not(None),
        )
        .scalar_subquery()
    )
    last_order = (
        select(func.max(col(SegmentOrder.ordered_at)))
        .where(col(SegmentOrder.account_id) == account_id, col(SegmentOrder.cancelled).is_(False))
        .scalar_subquery()
    )
    is_open = exists(opportunities.where(col(SegmentOpportunity.status) == "open"))
    await uow.session.execute(
        update(SegmentAccount)
        .where(col(SegmentAccount.id) == account_id)
        .values(open_opportunity=is_open, lost_to=lost, last_order_at=last_order)
    )
    await membership.changed(uow, account_ids=[account_id])


# ---- engagement --------------------------------------------------------------------------------------------

ENGAGEMENT = {
    "opened": ("opened_count", "last_opened_at"),
    "clicked": ("clicked_count", "last_clicked_at"),
    "responded": ("responded_count", "last_responded_at"),
}


async def record_engagement(uow: UnitOfWork, contact_id: uuid.UUID, kinds: tuple[str, ...], at: dt.datetime) -> None:
    """One more open, click or response of the contact's, then the contact's memberships."""
    values: dict[str, Any] = {"contact_id": contact_id}
    set_: dict[str, Any] = {}
    for kind in kinds:
        count, last = ENGAGEMENT[kind]
        values |= {count: 1, last: at}
        set_ |= {
            count: getattr(Profile, count) + 1,
            last: func.greatest(getattr(Profile, last), at),
        }
    await uow.session.execute(
        insert(Profile).values(**values).on_conflict_do_update(index_elements=["contact_id"], set_=set_)
    )
    await membership.changed(uow, contact_ids=[contact_id])


@FACTS.on(events.MessageOpened)
async def message_opened(uow: UnitOfWork, event: events.MessageOpened) -> None:
    await record_engagement(uow, event.contact_id, ("opened",), event.at)


@FACTS.on(events.MessageClicked)
async def message_clicked(uow: UnitOfWork, event: events.MessageClicked) -> None:
    await record_engagement(uow, event.contact_id, ("clicked", "responded"), event.at)
