"""Demo materials: brochures and gifts in stock, some issued to the demo exhibition."""

from __future__ import annotations

import uuid
from decimal import Decimal

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from marketing.materials import service
from marketing.materials.models import MaterialKind

MATERIALS = (
    ("产品手册 Product brochure", MaterialKind.BROCHURE, "本", "12.50", 800, 300),
    ("定制保温杯 Branded flask", MaterialKind.GIFT, "个", "45.00", 200, 40),
    ("帆布袋 Tote bag", MaterialKind.GIFT, "个", "8.00", 500, 0),
)


async def seed_materials(uow: UnitOfWork, marketer: Principal, campaign_id: uuid.UUID) -> None:
    for name, kind, unit, cost, stock, issued in MATERIALS:
        material = await service.save(uow, marketer, None, service.MaterialInput(name, kind, Decimal(cost), unit))
        await service.restock(uow, marketer, material.id, stock)
        if issued:
            await service.issue(uow, marketer, material.id, campaign_id, issued, "展会现场发放")
