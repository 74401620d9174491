"""What the ERP pushes, passed to sales as automation's service account: sales applies each document once
by its number and refuses a changed one; here each (document, contents) is taken once and counted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from automation.connectors.models import Outcome
from automation.workflows.remote import Services
from crm_shared.db import UnitOfWork

MUTATIONS = {
    "payment": "mutation($i: ErpPaymentInput!) { recordErpPayment(input: $i) { duplicate } }",
    "delivery": "mutation($i: ErpDeliveryInput!) { recordErpDelivery(input: $i) { duplicate } }",
    "stock": "mutation($i: ErpStockInput!) { recordErpStock(input: $i) { duplicate } }",
}


@dataclass(frozen=True)
class Document:
    kind: str  # payment, delivery, stock
    number: str
    fields: dict[str, Any]  # as sales' input takes them (camelCase)

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.fields, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def key(self) -> str:
        """The input's key: a resend of the same document is a replay; a changed one goes to sales, which refuses it."""
        return f"{self.kind}:{self.number}:{self.digest[:32]}"


async def apply(uow: UnitOfWork, services: Services, document: Document, language: str | None) -> Outcome:
    key = f"erp-{document.kind}-{document.digest[:40]}"
    await services.mutate("sales", MUTATIONS[document.kind], {"i": document.fields}, key, language=language)
    return Outcome.APPLIED
