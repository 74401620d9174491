"""A quote's transitions: draft → submitted (approved at once, or pending an approval) → approved or rejected →
accepted; a newer version supersedes the open ones. Each with its event and audit record."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import Conflict
from sales.events import (
    QuoteAccepted,
    QuoteApproved,
    QuoteCreated,
    QuoteDecision,
    QuoteRejected,
    QuoteSubmitted,
    QuoteSuperseded,
    fields_of,
)
from sales.quotes.models import Quote, QuoteStatus

OPEN_VERSIONS = (QuoteStatus.DRAFT, QuoteStatus.PENDING_APPROVAL, QuoteStatus.APPROVED, QuoteStatus.REJECTED)


def snapshot(q: Quote) -> dict[str, Any]:
    """The quote as its events and audit records show it."""
    return QuoteCreated(**fields_of(q, QuoteCreated)).data()


DECISIONS: dict[QuoteStatus, type[QuoteDecision]] = {
    QuoteStatus.PENDING_APPROVAL: QuoteSubmitted,
    QuoteStatus.APPROVED: QuoteApproved,
    QuoteStatus.REJECTED: QuoteRejected,
    QuoteStatus.ACCEPTED: QuoteAccepted,
    QuoteStatus.SUPERSEDED: QuoteSuperseded,
}


async def supersede_open(uow: UnitOfWork, opportunity_id: uuid.UUID) -> None:
    """Earlier versions still open give way to a new one, each saying so once: an approved one no longer stands,
    and one waiting for approval ends its approval rather than wait on approvers whose decision would change
    nothing. The caller holds the opportunity's lock, so versions are superseded one creation at a time."""
    open_versions = await uow.session.scalars(
        select(Quote)
        .where(col(Quote.opportunity_id) == opportunity_id, col(Quote.status).in_(OPEN_VERSIONS))
        .order_by(col(Quote.version))
        .with_for_update()
    )
    for quote in open_versions.all():
        await _move(uow, quote, QuoteStatus.SUPERSEDED, None, None)


async def submit(uow: UnitOfWork, quote: Quote, threshold: Decimal, title: str) -> None:
    """Within the threshold the quote is approved at once; beyond it automation's approval chain decides."""
    if quote.status != QuoteStatus.DRAFT:
        raise Conflict("quote_not_draft")
    require_valid(quote)
    quote.submitted_at = utcnow()
    if quote.effective_discount > threshold:
        await _move(uow, quote, QuoteStatus.PENDING_APPROVAL, None, None, title=title)
    else:
        await _move(uow, quote, QuoteStatus.APPROVED, None, "within the discount threshold")


async def decide(uow: UnitOfWork, quote: Quote, approve: bool, approver: uuid.UUID, comment: str | None) -> None:
    if quote.status != QuoteStatus.PENDING_APPROVAL:
        raise Conflict("quote_not_pending")
    await _move(uow, quote, QuoteStatus.APPROVED if approve else QuoteStatus.REJECTED, approver, comment)


def require_acceptable(quote: Quote) -> None:
    if quote.status != QuoteStatus.APPROVED:
        raise Conflict("quote_not_approved")
    require_valid(quote)


def require_valid(quote: Quote) -> None:
    """A quote past its validity date is neither submitted nor accepted: the customer was offered it until then."""
    if quote.valid_until and quote.valid_until < utcnow().date():
        raise Conflict("quote_expired")


async def accepted(uow: UnitOfWork, quote: Quote, order_id: uuid.UUID) -> None:
    require_acceptable(quote)
    quote.order_id = order_id
    await _move(uow, quote, QuoteStatus.ACCEPTED, None, None)


async def _move(
    uow: UnitOfWork,
    quote: Quote,
    status: QuoteStatus,
    approver: uuid.UUID | None,
    comment: str | None,
    **extra: Any,
) -> None:
    before = quote.status
    quote.status, quote.updated_at = status, utcnow()
    if status in (QuoteStatus.APPROVED, QuoteStatus.REJECTED):
        quote.approver_id, quote.decision_comment, quote.decided_at = approver, comment, quote.updated_at
    kind = DECISIONS[status]
    decision = kind(**fields_of(quote, kind), comment=comment, **extra)
    await uow.publish(decision)
    await audit.record(
        uow, decision.type, "Quote", quote.id, {"status": before}, {"status": status}, detail={"comment": comment}
    )
