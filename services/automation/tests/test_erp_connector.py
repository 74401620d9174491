"""The ERP connector: documents the ERP pushes go to sales (the stand-in) once per document and contents,
refusals of sales come back to the ERP as they were said; sales orders go out as ERP documents on the
topic and to the webhook subscriptions of the ERP's receiver."""

import json
import uuid

from crm_shared.testing import read_topic

from .conftest import ERP_KEY
from .test_webhooks import dispatch, verify

PAYMENTS = "/api/v1/connectors/erp/payments"
PAYMENT = {"documentNumber": "SK-0001", "invoiceNumber": "INV-20261201-0001", "amount": "3000.00"}
ORDER_ID, ACCOUNT_ID, QUOTE_ID = (str(uuid.uuid4()) for _ in range(3))
ORDER = {
    "id": ORDER_ID,
    "number": "SO-20261201-0007",
    "status": "confirmed",
    "currency": "CNY",
    "total": "10170.00",
    "quoteId": QUOTE_ID,
    "createdAt": "2026-12-01T08:00:00+00:00",
    "account": {"id": ACCOUNT_ID},
    "lines": [
        {
            "productId": None,
            "name": "实施服务",
            "quantity": "2",
            "unitPrice": "5000.00",
            "discountPercent": "10",
            "total": "9000.00",
        }
    ],
}
QUOTE = {"taxRate": "13", "taxAmount": "1170.00", "discountAmount": "0.00"}


async def push(gql, path, body, key=ERP_KEY, as_=None, lang="en"):
    headers = {"Accept-Language": lang} | ({"X-Api-Key": key} if key else {})
    return await gql.rest("POST", path, as_, json=body, headers=headers)


async def test_an_erp_payment_reaches_sales_once_and_its_refusals_come_back_as_said(gql, stand_in):
    first = await push(gql, PAYMENTS, PAYMENT)
    assert (first.status_code, first.json()) == (
        200,
        {"documentNumber": "SK-0001", "outcome": "applied", "duplicate": False},
    )
    again = await push(gql, PAYMENTS, PAYMENT)
    assert again.json() == {"documentNumber": "SK-0001", "outcome": "applied", "duplicate": True}
    [sent] = stand_in.called("recordErpPayment")
    assert sent["variables"] == {"i": {**PAYMENT, "method": "bank_transfer"}} and sent["key"].startswith("erp-payment-")
    said = "ERP 单据 SK-0001 已按不同内容处理过；修改请使用新的单据号"
    stand_in.errors.append({"message": said, "extensions": {"code": "CONFLICT", "field": "documentNumber"}})
    changed = await push(gql, PAYMENTS, {**PAYMENT, "amount": "3100.00"}, lang="zh-CN")
    assert changed.status_code == 409
    assert (changed.json()["detail"], changed.json()["code"]) == (said, "CONFLICT")
    assert stand_in.called("recordErpPayment")[-1]["headers_language"] == "zh-CN"
    status = await gql.ok("{ connectorStatus { connector received applied failed } }")
    assert status["connectorStatus"][1] == {"connector": "ERP", "received": 2, "applied": 1, "failed": 1}


async def test_the_erp_signs_in_with_its_key_or_as_a_caller_allowed_to(gql, stand_in):
    assert (await push(gql, PAYMENTS, PAYMENT, key="guess")).status_code == 401
    assert (await push(gql, PAYMENTS, PAYMENT, key=None)).status_code == 401
    assert (await push(gql, PAYMENTS, PAYMENT, key=None, as_="user1")).status_code == 403
    bad = await push(gql, "/api/v1/connectors/erp/deliveries", {"documentNumber": "FH-1", "orderNumber": "SO-1"})
    assert bad.status_code == 422
    assert stand_in.requests == []
    allowed = await push(gql, PAYMENTS, PAYMENT, key=None, as_="automator")
    assert allowed.json()["outcome"] == "applied"
    stock = {"documentNumber": "KC-1", "levels": [{"productCode": "P-1", "quantity": "12"}]}
    assert (await push(gql, "/api/v1/connectors/erp/stock", stock)).json()["outcome"] == "applied"
    assert stand_in.called("recordErpStock")[0]["variables"] == {"i": stock}


async def test_a_sales_order_goes_to_the_erp_as_its_document_on_the_topic_and_the_webhook(
    gql, app, stand_in, receiver, platform_settings
):
    stand_in.canned |= {"order": ORDER, "quote": QUOTE}
    hook = {"name": "ERP 订单", "url": f"{receiver.url}/erp", "eventTypes": ["erp_order.exported"]}
    save = "mutation($i: WebhookSubscriptionInput!) { saveWebhookSubscription(input: $i) { secret } }"
    secret = (await gql.ok(save, {"i": hook}, "automator"))["saveWebhookSubscription"]["secret"]
    created = {"id": ORDER_ID, "number": ORDER["number"], "accountId": ACCOUNT_ID, "status": "confirmed"}
    event = await gql.deliver("crm.sales.order", "order.created", created)
    await gql.deliver("crm.sales.order", "order.created", created, event_id=event.id)  # the broker again
    expected = {
        "documentNumber": "SO-20261201-0007",
        "action": "created",
        "orderId": ORDER_ID,
        "customerCode": ACCOUNT_ID,
        "status": "confirmed",
        "currency": "CNY",
        "orderedAt": "2026-12-01T08:00:00Z",
        "lines": [
            {
                "lineNo": 1,
                "productId": None,
                "description": "实施服务",
                "quantity": "2",
                "unitPrice": "5000.00",
                "discountPercent": "10",
                "amount": "9000.00",
            }
        ],
        "subtotal": "9000.00",
        "discount": "0.00",
        "taxRate": "13",
        "tax": "1170.00",
        "total": "10170.00",
    }
    await gql.publish()
    [record] = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.automation.erp", 1, match=lambda e: e["subject"] == ORDER_ID
    )
    published = json.loads(record.value)
    assert (published["type"], published["data"]) == ("erp_order.exported", expected)
    assert await dispatch(app) == 1
    [received] = receiver.received
    assert verify(secret, received) and received.json()["data"] == expected
    assert len(stand_in.called("order")) == 1


async def test_a_refusal_sent_again_is_said_in_the_language_of_whoever_asks_now(gql, stand_in):
    """Sales keeps its answer under the request's Idempotency-Key: a refusal asked again in another language
    came back in the language it was first said in."""
    said = {"en": "Invoice NOPE not found", "zh-CN": "未找到发票 NOPE"}
    stand_in.refusals["recordErpPayment"] = lambda language: {
        "message": said[language],
        "extensions": {"code": "NOT_FOUND"},
    }
    unknown = {"documentNumber": "P-lang-9", "invoiceNumber": "NOPE", "amount": "1"}
    for lang in ("en", "zh-CN", "en", "zh-CN"):
        refused = await push(gql, PAYMENTS, unknown, lang=lang)
        assert (refused.status_code, refused.json()["detail"]) == (404, said[lang])


async def test_an_amount_in_exponent_notation_is_refused_not_read_as_a_thousand(gql, stand_in):
    for amount in ("1e3", "1E-2", "Infinity"):
        refused = await push(gql, PAYMENTS, {**PAYMENT, "amount": amount}, lang="zh-CN")
        assert (refused.status_code, refused.json()["field"], refused.json()["detail"]) == (
            422,
            "amount",
            "字段“amount”不是有效的数字（如 12800.50）",
        )
    stock = {"documentNumber": "KC-2", "levels": [{"productCode": "P-1", "quantity": "2e1"}]}
    refused = await push(gql, "/api/v1/connectors/erp/stock", stock)
    assert (refused.status_code, refused.json()["field"]) == (422, "levels[0].quantity")
    assert stand_in.requests == []
    assert (await push(gql, PAYMENTS, {**PAYMENT, "amount": "1000.00"})).json()["outcome"] == "applied"
