"""Logging activities and reading an account's timeline, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, utcnow
from crm_shared.errors import BadInput
from crm_shared.graphql.connection import check_page_size, decode_cursor
from customer import normalise as norm
from customer.access import load_account
from customer.accounts.lifecycle import move
from customer.activities.models import KINDS, Activity
from customer.contacts.models import Contact
from customer.events import ACTIVITY_TOPIC, event

RESOURCE = "customer:activity"


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


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def log(self, principal: Principal, data: ActivityInput) -> Activity:
        """Record an interaction; it counts as follow-up and revives an account at risk."""
        principal.require(f"{RESOURCE}:create")
        kind = norm.choice(data.kind, "kind", KINDS)
        occurred = data.occurred_at or utcnow()
        if occurred.tzinfo is None:
            raise BadInput(field="occurredAt", reason="include a time zone")
        activity = Activity(
            account_id=data.account_id,
            contact_id=data.contact_id,
            kind=kind or "note",
            subject=norm.required_text(data.subject, "subject", 200),
            content=data.content[:10000],
            outcome=norm.optional_text(data.outcome, "outcome", 500),
            participants=[p.strip()[:100] for p in data.participants if p.strip()],
            occurred_at=occurred,
            owner_id=principal.user_id,
        )
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, data.account_id, "customer:account:read", lock=True)
            if data.contact_id is not None:
                contact = await uow.session.get(Contact, data.contact_id)
                if contact is None or contact.account_id != account.id:
                    raise BadInput("contact_not_at_account", field="contactId")
            uow.session.add(activity)
            account.last_followup_at = max(account.last_followup_at or occurred, occurred)
            if account.lifecycle_stage == "at_risk":
                await move(uow, account, "active", "activity logged", None)
            await uow.flush()
            data_out = {
                "id": str(activity.id),
                "accountId": str(account.id),
                "kind": activity.kind,
                "subject": activity.subject,
                "occurredAt": occurred.isoformat(),
                "ownerId": str(principal.user_id),
            }
            await uow.emit(ACTIVITY_TOPIC, event("activity.logged", activity.id, data_out))
            await audit.record(uow, "activity.logged", "Activity", activity.id, None, data_out)
        return activity

    async def timeline(
        self, principal: Principal, account_id: uuid.UUID, first: int, after: str | None
    ) -> tuple[list[Activity], int]:
        principal.require(f"{RESOURCE}:read")
        check_page_size(first)
        async with self.db.unit_of_work() as uow:
            await load_account(uow, principal, account_id, "customer:account:read")
            query = select(Activity).where(Activity.account_id == account_id)
            total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
            if after:
                at, last_id = decode_cursor(after, 2)
                when = dt.datetime.fromisoformat(at)
                query = query.where(
                    (Activity.occurred_at < when)
                    | ((Activity.occurred_at == when) & (Activity.id < uuid.UUID(last_id)))
                )
            rows = await uow.session.scalars(
                query.order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(first + 1)  # type: ignore[attr-defined]
            )
            return list(rows.all()), int(total or 0)
