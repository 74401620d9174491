"""Logging activities and reading an account's timeline, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from crm_contracts.customer import LifecycleStage
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput
from crm_shared.validate import aware, items, note, web_link, whole
from customer import normalise as norm
from customer.accounts.lifecycle import move
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.activities.models import KINDS, Activity
from customer.contacts.models import Contact
from customer.events import ActivityLogged

RESOURCE = "customer:activity"
MAX_DURATION = 86400  # a day: longer is no call
CLOCK_SKEW = dt.timedelta(minutes=5)  # a phone's clock a little ahead; beyond it, what is planned is a task
NEWEST = Order.by(Activity.occurred_at, Activity.id, descending=True)


@dataclass(frozen=True)
class RecentActivity:
    activity: Activity
    account: Account


@dataclass
class ActivityInput:
    account_id: uuid.UUID
    kind: str
    subject: str
    content: str = ""
    contact_id: uuid.UUID | None = None
    occurred_at: dt.datetime | None = None
    outcome: str | None = None
    participants: list[str] = field(default_factory=list)
    link: str | None = None
    thread_id: str | None = None
    duration_seconds: int | None = None


def _duration(seconds: int | None) -> int | None:
    return None if seconds is None else whole(seconds, "durationSeconds", 0, MAX_DURATION)


async def log(uow: UnitOfWork, principal: Principal, data: ActivityInput) -> Activity:
    """Record an interaction; it counts as its owner's follow-up and revives an account at risk. One in the public
    pool has no owner to follow it up (an agent answering its call): recorded, it leaves the pool's clock alone."""
    principal.require(f"{RESOURCE}:create")
    kind = norm.required_text(data.kind, "kind", 20)  # an empty kind is none at all, not a note
    norm.choice(kind, "kind", KINDS)
    occurred = aware(data.occurred_at, "occurredAt") or utcnow()
    if occurred > utcnow() + CLOCK_SKEW:  # it would count as follow-up until then, keeping the account from the pool
        raise BadInput("time_in_future", field="occurredAt")
    activity = Activity(
        account_id=data.account_id,
        contact_id=data.contact_id,
        kind=kind,
        subject=norm.required_text(data.subject, "subject", 200),
        content=note(data.content, "content", 10000),
        outcome=norm.optional_text(data.outcome, "outcome", 500, multiline=True),
        participants=[
            p
            for p in (norm.optional_text(p, "participants", 100) for p in items(data.participants, "participants", 100))
            if p
        ],
        occurred_at=occurred,
        owner_id=principal.user_id,
        link=web_link(data.link, "link"),
        thread_id=norm.optional_text(data.thread_id, "threadId", 200),
        duration_seconds=_duration(data.duration_seconds),
    )
    account = await Accounts(uow, principal).get(data.account_id, lock=True)
    if data.contact_id is not None:
        contact = await uow.session.get(Contact, data.contact_id)
        if contact is None or contact.account_id != account.id:
            raise BadInput("contact_not_at_account", field="contactId")
    uow.session.add(activity)
    if not account.in_pool:
        account.last_followup_at = max(account.last_followup_at or occurred, occurred)
        if account.lifecycle_stage == LifecycleStage.AT_RISK:
            await move(uow, account, LifecycleStage.ACTIVE, "activity logged", None)
    await uow.flush()
    event = ActivityLogged(
        id=activity.id,
        account_id=account.id,
        kind=activity.kind,
        headline=activity.subject,
        occurred_at=occurred,
        owner_id=principal.user_id,
        link=web_link(data.link, "link"),
        thread_id=norm.optional_text(data.thread_id, "threadId", 200),
        duration_seconds=_duration(data.duration_seconds),
    )
    await audit.published(uow, event, "Activity", activity.id)
    return activity


async def timeline(
    uow: UnitOfWork, principal: Principal, account: Account, first: int, after: str | None
) -> Page[Activity]:
    """The activities of an account the caller has read (an `Account` resolved for them), newest first."""
    principal.require(f"{RESOURCE}:read")
    query = select(Activity).where(col(Activity.account_id) == account.id)
    return await page(uow, query, NEWEST, first, after)


async def recent(
    uow: UnitOfWork, principal: Principal, owner_id: uuid.UUID | None, first: int, after: str | None
) -> Page[RecentActivity]:
    """Activities on every account in the caller's data scope (optionally one person's), newest first."""
    principal.require(f"{RESOURCE}:read")
    scoped = select(col(Account.id)).where(await Accounts(uow, principal).in_scope())
    query = select(Activity).where(col(Activity.account_id).in_(scoped))
    if owner_id is not None:
        query = query.where(col(Activity.owner_id) == owner_id)
    found = await page(uow, query, NEWEST, first, after)
    ids = {a.account_id for a in found.items}
    accounts = {a.id: a for a in (await uow.session.scalars(select(Account).where(col(Account.id).in_(ids)))).all()}
    return found.map(lambda a: RecentActivity(a, accounts[a.account_id]))
