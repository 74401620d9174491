"""The SMS provider's pushes (no sign-in; the body's signature under `MARKETING_SMS_CALLBACK_SECRET` is the
credential): delivery receipts and subscribers' replies, as the provider's JSON lists."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from crm_shared.errors import BadInput
from crm_shared.http import PROBLEM, Transaction
from marketing.sms import receipts

router = APIRouter(prefix="/api/v1/public/sms", tags=["marketing"])
REFUSED: dict[int | str, dict[str, Any]] = {401: PROBLEM, 422: PROBLEM}
Signature = Annotated[str | None, Header(alias="X-Sms-Signature")]


async def _document(request: Request, signature: str | None) -> Any:
    body = await request.body()
    receipts.verify(request.app.state.settings.sms_callback_secret, body, signature)
    try:
        return json.loads(body)
    except ValueError as exc:
        raise BadInput("sms_callback_body", field="body") from exc


@router.post("/reports", responses=REFUSED)
async def delivery_reports(request: Request, uow: Transaction, signature: Signature = None) -> dict[str, int]:
    """Delivery receipts (Aliyun SmsReport, Tencent status callback): `found` texts were recorded."""
    return {"found": await receipts.report(uow, await _document(request, signature))}


@router.post("/replies", responses=REFUSED)
async def replies(request: Request, uow: Transaction, signature: Signature = None) -> dict[str, int]:
    """Subscribers' replies (Aliyun SmsUp, Tencent reply callback): 退订, T or TD opt the number out of SMS."""
    return {"optedOut": await receipts.replies(uow, await _document(request, signature))}
