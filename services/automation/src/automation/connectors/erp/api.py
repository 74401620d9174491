"""The ERP's inbound REST API: invoice payments, delivery status and stock levels, pushed to sales.

The ERP signs in with its API key (`X-Api-Key`, `AUTOMATION_ERP_API_KEY`) or as a user or service account
holding `automation:erp:create`. The same document sent again answers its first outcome with
`duplicate: true`; a changed document under a number sales applied before is refused (`409`), in the
language of `Accept-Language`, as any other refusal of sales (`404` unknown invoice, `422` bad field).
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from automation.connectors import ledger
from automation.connectors.erp import inbound
from automation.connectors.models import Connector, Outcome
from automation.settings import AutomationSettings
from crm_shared.auth.request import require_principal
from crm_shared.errors import Unauthenticated
from crm_shared.http import PROBLEM

router = APIRouter(prefix="/api/v1/connectors/erp", tags=["connectors"])
RESPONSES: dict[int | str, dict[str, Any]] = {s: PROBLEM for s in (401, 403, 404, 409, 422, 503)}


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class PaymentIn(Camel):
    document_number: str = Field(min_length=1, max_length=100, description="The ERP's receipt number.")
    invoice_number: str = Field(min_length=1, max_length=30)
    amount: str = Field(max_length=30)
    received_on: dt.date | None = None
    method: str = "bank_transfer"


class DeliveryIn(Camel):
    document_number: str = Field(min_length=1, max_length=100, description="The ERP's delivery note number.")
    order_number: str = Field(min_length=1, max_length=30)
    status: Literal["shipped", "delivered"]


class StockLevelIn(Camel):
    product_code: str = Field(min_length=1, max_length=50)
    quantity: str = Field(max_length=30)


class StockIn(Camel):
    document_number: str = Field(min_length=1, max_length=100, description="The ERP's stock count number.")
    levels: list[StockLevelIn] = Field(min_length=1, max_length=500)


class DocumentOut(Camel):
    document_number: str
    outcome: Outcome
    duplicate: bool


async def _erp(request: Request) -> None:
    """The ERP's key, or a caller holding `automation:erp:create`."""
    settings: AutomationSettings = request.app.state.settings
    key = request.headers.get("x-api-key")
    if key is not None:
        if not settings.erp_api_key or not hmac.compare_digest(key.encode(), settings.erp_api_key.encode()):
            raise Unauthenticated()
        return
    (await require_principal(request)).require("automation:erp:create")


async def _push(request: Request, kind: str, body: Camel) -> DocumentOut:
    await _erp(request)
    fields = body.model_dump(by_alias=True, mode="json", exclude_none=True)
    document = inbound.Document(kind, fields["documentNumber"], fields)
    inbound.check(document)
    services, language = request.app.state.engine.services, request.headers.get("accept-language")
    taken = await ledger.take(
        request.app.state.db,
        Connector.ERP,
        document.key,
        f"erp.{kind}",
        lambda uow: inbound.apply(uow, services, document, language),
    )
    return DocumentOut(document_number=document.number, outcome=taken.outcome, duplicate=taken.duplicate)


@router.post("/payments", responses=RESPONSES, response_model_by_alias=True)
async def payment(request: Request, body: PaymentIn) -> DocumentOut:
    """A payment booked in the ERP against one of our invoices, by the invoice's number."""
    return await _push(request, "payment", body)


@router.post("/deliveries", responses=RESPONSES, response_model_by_alias=True)
async def delivery(request: Request, body: DeliveryIn) -> DocumentOut:
    """An order's delivery status in the ERP; `delivered` fulfils the order (its products leave stock)."""
    return await _push(request, "delivery", body)


@router.post("/stock", responses=RESPONSES, response_model_by_alias=True)
async def stock(request: Request, body: StockIn) -> DocumentOut:
    """Stock levels counted in the ERP, by product code; they replace ours."""
    return await _push(request, "stock", body)
