"""The materials inventory: kept by those holding `marketing:material` permissions; issuing to a campaign
takes the quantity from stock (never below zero) and records its cost on the campaign, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, NotFound
from crm_shared.validate import currency_code, note, required_text, whole
from marketing.campaigns import budget
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.service import cost_of, require_open
from marketing.materials.models import Material, MaterialIssue, MaterialKind

RESOURCE = "marketing:material"
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class MaterialInput:
    name: str
    kind: MaterialKind
    unit_cost: Decimal | str
    unit: str = "件"
    description: str | None = None
    currency: str = "CNY"


def _quantity(value: int, name: str) -> int:
    return whole(value, name, 1, MAX_QUANTITY)


async def listed(uow: UnitOfWork, principal: Principal) -> list[Material]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(Material).order_by(col(Material.name)))).all())


async def get(uow: UnitOfWork, principal: Principal, material_id: uuid.UUID) -> Material:
    principal.require(f"{RESOURCE}:read")
    return await _get(uow, material_id)


async def _get(uow: UnitOfWork, material_id: uuid.UUID, lock: bool = False) -> Material:
    found = await uow.session.get(Material, material_id, with_for_update=lock)
    if found is None:
        raise NotFound(entity="Material")
    return found


async def save(uow: UnitOfWork, principal: Principal, material_id: uuid.UUID | None, data: MaterialInput) -> Material:
    """Create a material (with no stock) or change what it is and costs; stock moves by restocking and issuing."""
    principal.require(f"{RESOURCE}:{'update' if material_id else 'create'}")
    row = Material(name="") if material_id is None else await _get(uow, material_id, lock=True)
    name = required_text(data.name, "name", 200)
    taken = await uow.session.scalar(
        select(col(Material.id)).where(func.lower(col(Material.name)) == name.lower(), col(Material.id) != row.id)
    )
    if taken is not None:
        raise BadInput("material_name_taken", field="name")
    row.name, row.kind = name, data.kind
    row.unit = required_text(data.unit, "unit", 20)
    row.unit_cost = cost_of(data.unit_cost, "unitCost")
    row.currency = currency_code(data.currency)
    row.description = note(data.description, "description", 2000)
    row.updated_at = utcnow()
    uow.session.add(row)
    await uow.flush()
    action = "material.updated" if material_id else "material.created"
    await audit.record(uow, action, "Material", row.id, None, {"name": row.name}, actor=principal)
    return row


async def restock(uow: UnitOfWork, principal: Principal, material_id: uuid.UUID, quantity: int) -> Material:
    principal.require(f"{RESOURCE}:update")
    row = await _get(uow, material_id, lock=True)
    row.stock += _quantity(quantity, "quantity")
    row.updated_at = utcnow()
    await uow.flush()
    await audit.record(uow, "material.restocked", "Material", row.id, None, {"quantity": quantity}, actor=principal)
    return row


async def issue(
    uow: UnitOfWork,
    principal: Principal,
    material_id: uuid.UUID,
    campaign_id: uuid.UUID,
    quantity: int,
    text: str | None,
) -> MaterialIssue:
    """Hand `quantity` to the campaign; more than in stock is refused at `quantity`, and the campaign's budget
    rules decide whether it may bear the cost (as for any cost recorded on it)."""
    principal.require(f"{RESOURCE}:issue")
    row = await _get(uow, material_id, lock=True)
    if _quantity(quantity, "quantity") > row.stock:
        raise BadInput("material_short", field="quantity", stock=row.stock, unit=row.unit)
    remark = note(text, "note", 500)
    cost = None
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if row.unit_cost > 0:
        if row.currency != campaign.currency:  # its costs are summed in one currency, and marketing has no rates
            raise BadInput("material_currency", field="campaignId", currency=row.currency, kept=campaign.currency)
        what = budget.CostInput(f"宣传品 {row.name}"[:100], row.unit_cost * quantity, utcnow().date(), remark or None)
        cost = await budget.record_cost(uow, principal, campaign_id, what, "quantity")
    else:  # nothing to bear, but the campaign must still be one the caller may change
        require_open(campaign)
    row.stock -= quantity
    row.updated_at = utcnow()
    issued = MaterialIssue(
        material_id=row.id,
        campaign_id=campaign_id,
        quantity=quantity,
        unit_cost=row.unit_cost,
        cost_id=cost.id if cost else None,
        note=remark,
        issued_by=principal.user_id,
    )
    uow.session.add(issued)
    await uow.flush()
    detail = {"campaignId": str(campaign_id), "quantity": quantity}
    await audit.record(uow, "material.issued", "Material", row.id, None, detail, actor=principal)
    return issued


async def issues(uow: UnitOfWork, material_id: uuid.UUID, limit: int = 50) -> list[MaterialIssue]:
    rows = await uow.session.scalars(
        select(MaterialIssue)
        .where(col(MaterialIssue.material_id) == material_id)
        .order_by(col(MaterialIssue.issued_at).desc(), col(MaterialIssue.id))
        .limit(limit)
    )
    return list(rows.all())
