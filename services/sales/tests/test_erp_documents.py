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
