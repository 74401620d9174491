"""Automation's approval decisions applied to quotes and contracts, with the approver as the decider.

Sales keeps its states; automation's chains decide. An outcome for a subject no longer pending (applied
already, or the quote superseded meanwhile) changes nothing.
"""

from __future__ import annotations

from crm_contracts.automation import ApprovalDecided, Outcome, SubjectKind
from crm_shared.db import UnitOfWork
from sales.contracts import lifecycle as contracts
from sales.contracts.models import Contract, ContractStatus
from sales.quotes import lifecycle as quotes
from sales.quotes.models import Quote, QuoteStatus


async def on_decided(uow: UnitOfWork, decided: ApprovalDecided) -> None:
    approve = decided.outcome == Outcome.APPROVED
    comment = decided.comment or None
    if decided.subject_kind == SubjectKind.QUOTE:
        quote = await uow.session.get(Quote, decided.subject_id, with_for_update=True)
        if quote is not None and quote.status == QuoteStatus.PENDING_APPROVAL:
            await quotes.decide(uow, quote, approve, decided.approver_id, comment)
    elif decided.subject_kind == SubjectKind.CONTRACT:
        c = await uow.session.get(Contract, decided.subject_id, with_for_update=True)
        if c is not None and c.status == ContractStatus.PENDING_APPROVAL:
            c.approver_id, c.decision_comment = decided.approver_id, comment
            await contracts.move(uow, c, ContractStatus.APPROVED if approve else ContractStatus.DRAFT, comment)
