"""Sales orders for the ERP: each `order.*` event of sales becomes an ERP document (document number,
customer code, lines, tax, totals) on `crm.automation.erp`, and goes to the webhook subscriptions to
`erp_order.exported` (the ERP's receiving endpoint), in the consumer's transaction.

The order is read from sales as it is now, as automation's service account, so the document carries
its lines and the quote's tax even where the event does not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from automation.connectors import ledger
from automation.connectors.models import Connector, Outcome
from automation.events import ErpLine, ErpOrderExported
from automation.manifest import SERVICE
from automation.webhooks import service as webhooks
from automation.workflows.remote import Services
from crm_shared.db import UnitOfWork
from crm_shared.events.envelope import CloudEvent

ORDER_TOPIC = "crm.sales.order"
ORDER = """query($id: ID!) { order(id: $id) { id number status currency total quoteId createdAt account { id }
    lines { productId name quantity unitPrice discountPercent total } } }"""
QUOTE = "query($id: ID!) { quote(id: $id) { taxRate taxAmount discountAmount } }"
ZERO = Decimal("0.00")


def document(action: str, order: dict[str, Any], quote: dict[str, Any] | None) -> ErpOrderExported:
    """The ERP's view of an order: amounts as decimals, lines numbered, tax and discount from its quote."""
    lines = [
        ErpLine(
            line_no=n,
            product_id=line["productId"],
            description=line["name"],
            quantity=Decimal(line["quantity"]),
            unit_price=Decimal(line["unitPrice"]),
            discount_percent=Decimal(line["discountPercent"]),
            amount=Decimal(line["total"]),
        )
        for n, line in enumerate(order["lines"], start=1)
    ]
    return ErpOrderExported(
        document_number=order["number"],
        action=action,
        order_id=order["id"],
        customer_code=order["account"]["id"],
        status=order["status"],
        currency=order["currency"],
        ordered_at=order["createdAt"],
        lines=lines,
        subtotal=sum((line.amount for line in lines), ZERO),
        discount=Decimal(quote["discountAmount"]) if quote else ZERO,
        tax_rate=Decimal(quote["taxRate"]) if quote else ZERO,
        tax=Decimal(quote["taxAmount"]) if quote else ZERO,
        total=Decimal(order["total"]),
    )


async def on_event(uow: UnitOfWork, services: Services, topic: str, event: CloudEvent) -> None:
    if topic != ORDER_TOPIC or not event.type.startswith("order.") or not event.subject:
        return
    order = (await services.mutate("sales", ORDER, {"id": event.subject}, None))["order"]
    quote = None
    if order["quoteId"]:
        quote = (await services.mutate("sales", QUOTE, {"id": order["quoteId"]}, None))["quote"]
    exported = document(event.type.removeprefix("order."), order, quote)
    envelope = exported.envelope(SERVICE.source)  # one message id on the topic and at the webhooks
    await uow.emit(exported.topic, envelope)
    await webhooks.enqueue(uow, exported.topic, [envelope])
    await ledger.note(uow, Connector.ERP, f"order:{event.id}", "erp.order", Outcome.APPLIED)
