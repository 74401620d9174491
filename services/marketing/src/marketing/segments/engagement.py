"""How a contact (or an account's contacts together) engaged with marketing: opens, clicks and responses."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.accounts import require_account
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Forbidden
from marketing.audience import require_contact
from marketing.segments.models import Profile


@dataclass(frozen=True)
class Engagement:
    opened: int = 0
    last_opened_at: dt.datetime | None = None
    clicked: int = 0
    last_clicked_at: dt.datetime | None = None
    responded: int = 0
    last_responded_at: dt.datetime | None = None


COLUMNS = (
    func.coalesce(func.sum(col(Profile.opened_count)), 0),
    func.max(col(Profile.last_opened_at)),
    func.coalesce(func.sum(col(Profile.clicked_count)), 0),
    func.max(col(Profile.last_clicked_at)),
    func.coalesce(func.sum(col(Profile.responded_count)), 0),
    func.max(col(Profile.last_responded_at)),
)


async def of_contact(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID) -> Engagement:
    """For whoever may read the contact in customer; another's contact is FORBIDDEN."""
    principal.require("customer:contact:read")
    try:
        await require_contact(uow, principal, contact_id, "id")
    except BadInput:
        raise Forbidden(permission="customer:contact:read") from None
    row = (await uow.session.execute(select(*COLUMNS).where(col(Profile.contact_id) == contact_id))).one()
    return Engagement(*row)


async def of_account(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Engagement:
    """The account's contacts together: counts added up, the latest times."""
    principal.require("customer:account:read")
    try:
        await require_account(uow, principal, account_id, "id")
    except BadInput:
        raise Forbidden(permission="customer:account:read") from None
    row = (await uow.session.execute(select(*COLUMNS).where(col(Profile.account_id) == account_id))).one()
    return Engagement(*row)
