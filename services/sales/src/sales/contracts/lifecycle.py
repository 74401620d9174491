"""A contract's transitions: by hand through approval and signature, by date into force and out of it."""

from __future__ import annotations

from typing import Any

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import Conflict
from sales.contracts.models import Contract, ContractStatus
from sales.events import ContractCreated, ContractSnapshot, ContractStatusChanged, fields_of

S = ContractStatus
# status → the statuses it may move to by hand
BY_HAND: dict[ContractStatus, tuple[ContractStatus, ...]] = {
    S.DRAFT: (S.PENDING_APPROVAL,),
    S.PENDING_APPROVAL: (S.APPROVED, S.DRAFT),
    S.APPROVED: (S.SIGNED,),
    S.SIGNED: (S.TERMINATED,),
    S.ACTIVE: (S.TERMINATED,),
}
# status → the status its dates move it to: in force from the start, expired after the end
BY_DATE: dict[ContractStatus, ContractStatus] = {S.SIGNED: S.ACTIVE, S.ACTIVE: S.EXPIRED}


def snapshot(c: Contract) -> dict[str, Any]:
    """The contract as its events and audit records show it."""
    return ContractCreated(**fields_of(c, ContractCreated)).data()


def require_move(c: Contract, to: ContractStatus) -> None:
    if to not in BY_HAND.get(c.status, ()):
        raise Conflict("contract_transition", status=c.status, to=to)


async def move(uow: UnitOfWork, c: Contract, to: ContractStatus, comment: str | None) -> None:
    """A transition by hand; a contract signed on or after its start date is in force at once."""
    require_move(c, to)
    await _record(uow, c, to, {"comment": comment})
    if to == S.SIGNED and c.start_date <= utcnow().date():
        await by_date(uow, c)


async def by_date(uow: UnitOfWork, c: Contract) -> None:
    await _record(uow, c, BY_DATE[c.status], {"automatic": True})


async def _record(uow: UnitOfWork, c: Contract, to: ContractStatus, detail: dict[str, Any]) -> None:
    before = c.status
    c.status, c.updated_at = to, utcnow()
    await uow.publish(ContractStatusChanged(**fields_of(c, ContractSnapshot), from_status=before, **detail))
    await audit.record(
        uow, "contract.status_changed", "Contract", c.id, {"status": before}, {"status": to}, detail=detail
    )
