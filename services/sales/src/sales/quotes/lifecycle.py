"""A quote's transitions: draft → submitted (approved at once, or pending a manager) → approved or rejected →
accepted; a newer version supersedes the open ones. Each with its event and audit record."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import Conflict
from sales.events import QUOTE_TOPIC, event
from sales.quotes.models import Quote, QuoteStatus

OPEN_VERSIONS = (QuoteStatus.DRAFT, QuoteStatus.PENDING_APPROVAL, QuoteStatus.APPROVED, QuoteStatus.REJECTED)


def snapshot(q: Quote) -> dict[str, Any]:
    return {
        "id": str(q.id),
        "opportunityId": str(q.opportunity_id),
        "accountId": str(q.account_id),
        "version": q.version,
        "status": q.status,
        "currency": q.currency,
        "subtotal": str(q.subtotal),
        "discountAmount": str(q.discount_amount),
        "taxAmount": str(q.tax_amount),
        "total": str(q.total),
        "effectiveDiscount": str(q.effective_discount),
        "ownerId": str(q.owner_id),
        "approverId": str(q.approver_id) if q.approver_id else None,
    }


async def supersede_open(uow: UnitOfWork, opportunity_id: uuid.UUID) -> None:
    """Earlier versions still open give way to a new one."""
    await uow.session.execute(
        update(Quote)
        .where(col(Quote.opportunity_id) == opportunity_id, col(Quote.status).in_(OPEN_VERSIONS))
        .values(status=QuoteStatus.SUPERSEDED, updated_at=utcnow())
    )


async def submit(uow: UnitOfWork, quote: Quote, threshold: Decimal) -> None:
    """Within the threshold the quote is approved at once; beyond it a manager must decide."""
    if quote.status != QuoteStatus.DRAFT:
        raise Conflict("quote_not_draft")
    quote.submitted_at = utcnow()
    if quote.effective_discount > threshold:
        await _move(uow, quote, QuoteStatus.PENDING_APPROVAL, None, None)
    else:
        await _move(uow, quote, QuoteStatus.APPROVED, None, "within the discount threshold")


async def decide(uow: UnitOfWork, quote: Quote, approve: bool, approver: uuid.UUID, comment: str | None) -> None:
    if quote.status != QuoteStatus.PENDING_APPROVAL:
        raise Conflict("quote_not_pending")
    await _move(uow, quote, QuoteStatus.APPROVED if approve else QuoteStatus.REJECTED, approver, comment)


def require_acceptable(quote: Quote) -> None:
    if quote.status != QuoteStatus.APPROVED:
        raise Conflict("quote_not_approved")
    if quote.valid_until and quote.valid_until < utcnow().date():
        raise Conflict("quote_expired")


async def accepted(uow: UnitOfWork, quote: Quote, order_id: uuid.UUID) -> None:
    require_acceptable(quote)
    quote.order_id = order_id
    await _move(uow, quote, QuoteStatus.ACCEPTED, None, None)


async def _move(
    uow: UnitOfWork, quote: Quote, status: QuoteStatus, approver: uuid.UUID | None, comment: str | None
) -> None:
    before = quote.status
    quote.status, quote.updated_at = status, utcnow()
    if status in (QuoteStatus.APPROVED, QuoteStatus.REJECTED):
        quote.approver_id, quote.decision_comment, quote.decided_at = approver, comment, quote.updated_at
    kind = "quote.submitted" if status == QuoteStatus.PENDING_APPROVAL else f"quote.{status}"
    await uow.emit(QUOTE_TOPIC, event(kind, quote.id, {**snapshot(quote), "comment": comment}))
    await audit.record(
        uow, kind, "Quote", quote.id, {"status": before}, {"status": status}, detail={"comment": comment}
    )
