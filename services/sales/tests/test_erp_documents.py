"""The ERP's payments, deliveries and stock counts, applied once per document number."""

from .test_quotes_orders_billing import order_for

ISSUE = "mutation($o: ID!) { issueInvoice(orderId: $o) { id number } }"
PAY = "mutation($i: ErpPaymentInput!) { recordErpPayment(input: $i) { kind documentNumber duplicate entityId } }"
DELIVER = "mutation($i: ErpDeliveryInput!) { recordErpDelivery(input: $i) { duplicate entityId } }"
STOCK = "mutation($i: ErpStockInput!) { recordErpStock(input: $i) { duplicate } }"
INVOICE = "query($id: ID!) { invoice(id: $id) { paid status payments { amount reference } } }"


async def test_an_erp_payment_applies_once_and_a_changed_one_is_refused(gql):
    order = await order_for(gql, "8000.00")
    invoice = (await gql.ok(ISSUE, {"o": order["id"]}, "admin"))["issueInvoice"]
    document = {"documentNumber": "SK-2026-0001", "invoiceNumber": invoice["number"], "amount": "3000.00"}
    first = (await gql.ok(PAY, {"i": document}))["recordErpPayment"]
    assert (first["kind"], first["documentNumber"], first["duplicate"]) == ("payment", "SK-2026-0001", False)
    again = (await gql.ok(PAY, {"i": document}))["recordErpPayment"]
    assert again == {**first, "duplicate": True}
    shown = (await gql.ok(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert shown == {
        "paid": "3000.00",
        "status": "partially_paid",
        "payments": [{"amount": "3000.00", "reference": "SK-2026-0001"}],
    }
    changed = await gql.error(PAY, {"i": {**document, "amount": "3100.00"}}, code="CONFLICT", lang="zh-CN")
    assert changed["extensions"]["field"] == "documentNumber"
    assert changed["message"] == "ERP 单据 SK-2026-0001 已按不同内容处理过；修改请使用新的单据号"
    unknown = await gql.error(
        PAY, {"i": {**document, "documentNumber": "SK-2", "invoiceNumber": "INV-X"}}, code="NOT_FOUND"
    )
    assert unknown["extensions"]["field"] == "invoiceNumber"
    assert (await gql.ok(INVOICE, {"id": invoice["id"]}))["invoice"]["paid"] == "3000.00"
    await gql.error(PAY, {"i": {**document, "documentNumber": "SK-3"}}, "rep1", code="FORBIDDEN")


async def test_an_erp_delivery_fulfils_the_order_and_stock_counts_replace_ours(gql):
    order = await order_for(gql, "500.00")
    number = (await gql.ok("query($id: ID!) { order(id: $id) { number } }", {"id": order["id"]}))["order"]["number"]
    code = (await gql.ok("{ products(first: 1) { edges { node { code } } } }"))["products"]["edges"][0]["node"]["code"]
    # the order's product is the only one
    stock = {"documentNumber": "KC-1", "levels": [{"productCode": code, "quantity": "12"}]}
    assert (await gql.ok(STOCK, {"i": stock}))["recordErpStock"] == {"duplicate": False}
    shipped = {"documentNumber": "FH-1", "orderNumber": number, "status": "shipped"}
    assert (await gql.ok(DELIVER, {"i": shipped}))["recordErpDelivery"] == {"duplicate": False, "entityId": order["id"]}
    status = "query($id: ID!) { order(id: $id) { status } }"
    assert (await gql.ok(status, {"id": order["id"]}))["order"]["status"] == "confirmed"
    delivered = {**shipped, "documentNumber": "FH-2", "status": "delivered"}
    await gql.ok(DELIVER, {"i": delivered})
    assert (await gql.ok(DELIVER, {"i": delivered}))["recordErpDelivery"]["duplicate"] is True
    assert (await gql.ok(status, {"id": order["id"]}))["order"]["status"] == "fulfilled"
    levels = await gql.ok("{ products(first: 50) { edges { node { code stock } } } }")
    assert {e["node"]["code"]: e["node"]["stock"] for e in levels["products"]["edges"]}[code] == "11"
    bad = await gql.error(
        DELIVER, {"i": {**shipped, "documentNumber": "FH-3", "status": "lost"}}, code="BAD_USER_INPUT"
    )
    assert bad["extensions"]["field"] == "status"
    missing = {"documentNumber": "KC-2", "levels": [{"productCode": "NO-SUCH", "quantity": "1"}]}
    assert (await gql.error(STOCK, {"i": missing}, code="NOT_FOUND"))["extensions"]["field"] == "levels[0].productCode"


async def test_an_erp_document_on_an_invoice_or_order_outside_the_callers_scope_is_not_found_whatever_was_applied(gql):
    """The invoice's or order's scope is checked before the document number: replaying, changing or sending anew
    a document of another scope all answer the same NOT_FOUND, naming neither its payment nor its number."""
    from crm_shared.testing.tokens import Persona

    from .conftest import TEAM

    own = {"sales:invoice": "own", "sales:order": "own"}
    clerk = Persona(
        "clerk", ("sales:payment:create", "sales:invoice:read", "sales:order:read", "sales:order:update"), own, TEAM
    )
    order = await order_for(gql, "8000.00")
    invoice = (await gql.ok(ISSUE, {"o": order["id"]}, "manager"))["issueInvoice"]
    number = (await gql.ok("query($id: ID!) { order(id: $id) { number } }", {"id": order["id"]}))["order"]["number"]
    paid = {"documentNumber": "ERP-62852", "invoiceNumber": invoice["number"], "amount": "10.00"}
    shipped = {"documentNumber": "FH-62852", "orderNumber": number, "status": "shipped"}
    await gql.ok(PAY, {"i": paid}, "manager")
    await gql.ok(DELIVER, {"i": shipped}, "manager")

    answers = [
        await gql.error(PAY, {"i": paid}, clerk, "NOT_FOUND"),
        await gql.error(PAY, {"i": {**paid, "amount": "11.00"}}, clerk, "NOT_FOUND"),
        await gql.error(PAY, {"i": {**paid, "documentNumber": "ERP-62853"}}, clerk, "NOT_FOUND"),
        await gql.error(DELIVER, {"i": shipped}, clerk, "NOT_FOUND"),
        await gql.error(DELIVER, {"i": {**shipped, "status": "delivered"}}, clerk, "NOT_FOUND"),
    ]

    assert [(a["extensions"], a["message"]) for a in answers] == [
        ({"code": "NOT_FOUND", "field": "invoiceNumber", "entity": "Invoice"}, "Invoice not found")
    ] * 3 + [({"code": "NOT_FOUND", "field": "orderNumber", "entity": "Order"}, "Order not found")] * 2
    assert (await gql.ok(INVOICE, {"id": invoice["id"]}))["invoice"]["paid"] == "10.00"


async def test_a_stock_document_is_answered_only_to_whoever_may_set_stock_company_wide(gql):
    code = (await gql.ok("query($id: ID!) { product(id: $id) { code } }", {"id": await gql.product()}))["product"]
    counted = {"documentNumber": "KC-62852", "levels": [{"productCode": code["code"], "quantity": "7"}]}
    await gql.ok(STOCK, {"i": counted}, "admin")

    replayed = await gql.error(STOCK, {"i": counted}, "manager", "FORBIDDEN")

    assert replayed["message"] == "This applies to the whole company; only an administrator may change it"


async def test_a_counted_quantity_that_is_no_stock_level_is_refused_at_its_level(gql):
    code = (await gql.ok("query($id: ID!) { product(id: $id) { code } }", {"id": await gql.product()}))["product"]
    levels = [{"productCode": code["code"], "quantity": "3"}, {"productCode": code["code"], "quantity": "-5"}]

    refused = await gql.error(STOCK, {"i": {"documentNumber": "KC-9", "levels": levels}}, "admin", "BAD_USER_INPUT")

    assert refused["extensions"]["field"] == "levels[1].quantity"
    assert refused["message"].startswith("Field 'levels[1].quantity' must be between 0 and ")
    again = await gql.ok(STOCK, {"i": {"documentNumber": "KC-9", "levels": levels[:1]}}, "admin")
    assert again["recordErpStock"] == {"duplicate": False}  # nothing of the refused document was kept
