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
from crm_shared.i18n import negotiate
from crm_shared.validate import decimal_of, field_name

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


def check(document: Document) -> None:
    """The document's amounts (cents) and stock quantities (numeric(14, 4)), before sales or the ledger sees them:
    `1e3` is refused, not read as a thousand."""
    if document.kind == "payment":
        decimal_of(str(document.fields["amount"]), "amount")
    for position, level in enumerate(document.fields.get("levels") or []):
        decimal_of(str(level["quantity"]), field_name(["levels", position, "quantity"]), 14, 4)


async def apply(uow: UnitOfWork, services: Services, document: Document, language: str | None) -> Outcome:
    """Sales' answer under a key per document and language: a refusal sales keeps for the key is replayed in
    the language it was first said in, so a sender asking in another language gets it said anew."""
    key = f"erp-{document.kind}-{document.digest[:40]}-{negotiate(language)}"
    await services.mutate("sales", MUTATIONS[document.kind], {"i": document.fields}, key, language=language)
    return Outcome.APPLIED
