"""Contracts: approval, signature, activation and expiry by date, renewal reminders ahead of the end."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import require_account
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import day_within, required_text
from sales.contracts import lifecycle
from sales.contracts.lifecycle import snapshot
from sales.contracts.models import STATUSES, Contract, ContractStatus
from sales.events import ContractCreated, ContractRenewalDue, ContractSnapshot, ContractSubmitted, fields_of
from sales.money import Rates, cents, currency, parse
from sales.numbering import next_number
from sales.repositories import Contracts, Opportunities, Quotes

RESOURCE = "sales:contract"


@dataclass
class ContractInput:
    account_id: uuid.UUID
    title: str
    value: str
    start_date: dt.date
    end_date: dt.date
    currency: str | None = None
    opportunity_id: uuid.UUID | None = None
    quote_id: uuid.UUID | None = None


class ContractService:
    def __init__(self, rates: Rates, notice_days: int) -> None:
        self.rates = rates
        self.notice_days = notice_days

    async def create(self, uow: UnitOfWork, principal: Principal, data: ContractInput) -> Contract:
        principal.require(f"{RESOURCE}:create")
        day_within(data.start_date, "startDate")
        day_within(data.end_date, "endDate")
        if data.end_date <= data.start_date:
            raise BadInput("later_than", field="endDate", other="startDate")
        await require_account(uow, principal, data.account_id)
        await self._same_account(uow, principal, data)
        contract = Contract(
            number=await next_number(uow, "CT"),
            title=required_text(data.title, "title", 200),
            account_id=data.account_id,
            opportunity_id=data.opportunity_id,
            quote_id=data.quote_id,
            value=cents(parse(data.value, "value")),
            currency=self.rates.check(currency(data.currency, self.rates.base)),
            start_date=data.start_date,
            end_date=data.end_date,
            owner_id=principal.user_id,
            created_by=principal.user_id,
        )
        uow.session.add(contract)
        await uow.flush()
        await uow.publish(ContractCreated(**fields_of(contract, ContractCreated)))
        await audit.record(uow, "contract.created", "Contract", contract.id, None, snapshot(contract))
        return contract

    async def _same_account(self, uow: UnitOfWork, principal: Principal, data: ContractInput) -> None:
        """The opportunity and quote a contract names are the caller's to see, and the same customer's."""
        named: tuple[tuple[type[Opportunities | Quotes], uuid.UUID | None, str], ...] = (
            (Opportunities, data.opportunity_id, "opportunityId"),
            (Quotes, data.quote_id, "quoteId"),
        )
        for repository, row_id, field in named:
            if row_id is None:
                continue
            try:
                row = await repository(uow, principal).get(row_id)
            except NotFound as exc:
                raise BadInput(f"unknown_{field.removesuffix('Id')}", field=field) from exc
            if row.account_id != data.account_id:
                raise BadInput("other_account", field=field)

    async def transition(
        self,
        uow: UnitOfWork,
        principal: Principal,
        contract_id: uuid.UUID,
        to: ContractStatus,
        comment: str = "",
        signed_on: dt.date | None = None,
    ) -> Contract:
        """submit (→ pending_approval, decided by automation's approval chain), sign, terminate."""
        if to not in (ContractStatus.PENDING_APPROVAL, ContractStatus.SIGNED, ContractStatus.TERMINATED):
            raise Conflict("contract_transition", status="", to=to)
        reason = required_text(comment, "reason", 500, multiline=True) if to == ContractStatus.TERMINATED else None
        c = await Contracts(uow, principal).get(contract_id, "update", lock=True)
        lifecycle.require_move(c, to)
        if to == ContractStatus.PENDING_APPROVAL:
            c.submitted_by = principal.user_id
        if to == ContractStatus.SIGNED:
            today = utcnow().date()  # signed neither before the contract was drawn up nor ahead of today
            c.signed_on = day_within(signed_on, "signedOn", c.created_at.date(), today) if signed_on else today
        if to == ContractStatus.TERMINATED:
            c.termination_reason = reason
        await lifecycle.move(uow, c, to, reason)
        if to == ContractStatus.PENDING_APPROVAL:
            await uow.publish(ContractSubmitted(**fields_of(c, ContractSubmitted)))
        return c

    async def run_dates(self, uow: UnitOfWork, today: dt.date | None = None) -> int:
        """Signed contracts become active on their start, active ones expire after their end; renewal_due
        is published once, `notice_days` ahead of the end (scheduler)."""
        day = today or utcnow().date()
        changed = 0
        for status, condition in (
            (ContractStatus.SIGNED, col(Contract.start_date) <= day),
            (ContractStatus.ACTIVE, col(Contract.end_date) < day),
        ):
            rows = await uow.session.scalars(
                select(Contract)
                .where(col(Contract.status) == status, condition)
                .limit(500)
                .with_for_update(skip_locked=True)
            )
            for c in rows.all():
                await lifecycle.by_date(uow, c)
                changed += 1
        due = await uow.session.scalars(
            select(Contract)
            .where(
                col(Contract.status) == ContractStatus.ACTIVE,
                col(Contract.renewal_notified_at).is_(None),
                col(Contract.end_date) <= day + dt.timedelta(days=self.notice_days),
            )
            .limit(500)
            .with_for_update(skip_locked=True)
        )
        for c in due.all():
            c.renewal_notified_at = utcnow()
            fields = fields_of(c, ContractSnapshot)
            await uow.publish(ContractRenewalDue(**fields, days_left=(c.end_date - day).days))
            changed += 1
        return changed

    async def get(self, uow: UnitOfWork, principal: Principal, contract_id: uuid.UUID) -> Contract:
        return await Contracts(uow, principal).get(contract_id)

    async def page(
        self,
        uow: UnitOfWork,
        principal: Principal,
        account_id: uuid.UUID | None,
        status: str | None,
        first: int,
        after: str | None,
    ) -> Page[Contract]:
        principal.require(f"{RESOURCE}:read")
        if status is not None and status not in STATUSES:
            raise BadInput("one_of", field="status", choices=", ".join(STATUSES))
        return await Contracts(uow, principal).newest([], first, after, account_id=account_id, status=status)
