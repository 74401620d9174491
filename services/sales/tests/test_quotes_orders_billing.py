"""Products and price books, quotes with approval, orders, invoices, payments, receivables aging, contracts."""

import datetime as dt
import json
import uuid

from crm_shared.testing import read_topic
from sales.products.models import PriceBook

QUOTE = """mutation($i: CreateQuoteInput!) { createQuote(input: $i) {
    id version status subtotal discountAmount taxAmount total effectiveDiscount lines { unitPrice total } } }"""


async def test_price_books_follow_the_account_level_and_region(gql):
    product = await gql.product("1000.00")
    other = await gql.product("200.00")
    await gql.ok(
        """mutation($i: CreatePriceBookInput!) { createPriceBook(input: $i) { id } }""",
        {
            "i": {
                "name": f"A级{uuid.uuid4().hex[:6]}",
                "customerLevel": "A",
                "discountPercent": "10",
                "entries": [{"productId": product, "price": "850.00"}],
            }
        },
    )
    account = await gql.account("rep1", level="A")
    o = await gql.opportunity("rep1", accountId=account)
    made = await gql.ok(
        QUOTE,
        {
            "i": {
                "opportunityId": o,
                "lines": [{"productId": product, "quantity": "2"}, {"productId": other, "quantity": "1"}],
            }
        },
        "rep1",
    )
    assert [line["unitPrice"] for line in made["createQuote"]["lines"]] == ["850.00", "180.00"]


BOOK = "mutation($i: CreatePriceBookInput!) { createPriceBook(input: $i) { id } }"
PICKED = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { priceBookId lines { unitPrice } } }"


async def test_a_quote_is_priced_by_the_price_book_the_user_picked(gql):
    product = await gql.product("4.50")
    account_book = {"name": f"A级{uuid.uuid4().hex[:6]}", "customerLevel": "A", "discountPercent": "10"}
    await gql.ok(BOOK, {"i": account_book})
    picked = await gql.ok(
        BOOK, {"i": {"name": f"华东{uuid.uuid4().hex[:6]}", "region": "上海", "discountPercent": "33"}}
    )
    picked_id = picked["createPriceBook"]["id"]
    o = await gql.opportunity("rep1", accountId=await gql.account("rep1", level="A"))
    line = {"productId": product, "quantity": "1"}
    made = await gql.ok(PICKED, {"i": {"opportunityId": o, "lines": [line], "priceBookId": picked_id}}, "rep1")
    # 4.50 less 33% is 3.015, half-up to the cent
    assert made["createQuote"] == {"priceBookId": picked_id, "lines": [{"unitPrice": "3.02"}]}
    default = await gql.ok(PICKED, {"i": {"opportunityId": o, "lines": [line]}}, "rep1")
    assert default["createQuote"]["lines"] == [{"unitPrice": "4.05"}]


async def test_an_inactive_or_foreign_currency_price_book_is_refused(gql, app):
    product = await gql.product("100.00")
    dollars = await gql.ok(BOOK, {"i": {"name": f"USD{uuid.uuid4().hex[:6]}", "customerLevel": "B", "currency": "USD"}})
    retired = (await gql.ok(BOOK, {"i": {"name": f"旧{uuid.uuid4().hex[:6]}", "customerLevel": "B"}}))[
        "createPriceBook"
    ]
    async with app.state.db.unit_of_work() as uow:
        book = await uow.session.get(PriceBook, uuid.UUID(retired["id"]))
        book.active = False
    o = await gql.opportunity("rep1")
    line = [{"productId": product, "quantity": "1"}]
    for book_id, message in (
        (dollars["createPriceBook"]["id"], "The price book must be in the deal's currency (CNY)"),
        (retired["id"], "No such active price book"),
        (str(uuid.uuid4()), "No such active price book"),
    ):
        error = await gql.error(
            PICKED, {"i": {"opportunityId": o, "lines": line, "priceBookId": book_id}}, "rep1", code="BAD_USER_INPUT"
        )
        assert (error["extensions"]["field"], error["message"]) == ("priceBookId", message)
    quotes = await gql.ok("query($o: ID!) { quotes(opportunityId: $o) { totalCount } }", {"o": o}, "rep1")
    assert quotes["quotes"]["totalCount"] == 0


async def test_a_quote_waiting_for_approval_replaced_by_a_new_version_says_it_was_superseded(gql, platform_settings):
    product = await gql.product("100.00")
    o = await gql.opportunity("rep1")
    lines = [{"productId": product, "quantity": "1"}]
    deep = {"i": {"opportunityId": o, "lines": lines, "discountPercent": "40"}}
    first = (await gql.ok(QUOTE, deep, "rep1"))["createQuote"]
    await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": first["id"]}, "rep1")
    await gql.ok(QUOTE, deep, "rep1")
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.sales.quote",
        2,
        match=lambda e: e["subject"] == first["id"] and e["type"] in ("quote.submitted", "quote.superseded"),
    )
    sent = [json.loads(r.value) for r in records]
    assert [(e["type"], e["data"]["status"]) for e in sent] == [
        ("quote.submitted", "pending_approval"),
        ("quote.superseded", "superseded"),
    ]


async def test_quote_totals_are_exact_and_a_deep_discount_needs_the_managers_approval(gql, app, platform_settings):
    product = await gql.product("333.33")
    o = await gql.opportunity("rep1")
    lines = [{"productId": product, "quantity": "3", "discountPercent": "5"}]
    first = (
        await gql.ok(
            QUOTE,
            {"i": {"opportunityId": o, "lines": lines, "discountPercent": "12.5", "taxRate": "13"}},
            "rep1",
        )
    )["createQuote"]
    # 3 × 333.33 = 999.99; −5% = 949.99 (949.9905); −12.5% = 118.75 → 831.24; tax 13% = 108.06; total 939.30
    assert (first["subtotal"], first["discountAmount"], first["taxAmount"], first["total"]) == (
        "949.99",
        "118.75",
        "108.06",
        "939.30",
    )
    assert first["effectiveDiscount"] == "16.88" and first["version"] == 1
    second = (
        await gql.ok(
            QUOTE,
            {"i": {"opportunityId": o, "lines": lines, "discountPercent": "20", "taxRate": "13"}},
            "rep1",
        )
    )["createQuote"]
    assert second["version"] == 2
    versions = await gql.ok(
        "query($o: ID!) { quotes(opportunityId: $o) { edges { node { version status } } } }", {"o": o}, "rep1"
    )
    assert sorted((e["node"]["version"], e["node"]["status"]) for e in versions["quotes"]["edges"]) == [
        (1, "superseded"),
        (2, "draft"),
    ]

    submitted = await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": second["id"]}, "rep1")
    assert submitted["submitQuote"]["status"] == "pending_approval"
    await gql.publish()  # automation's approvals learn who may not decide on it, and what to show approvers
    [record] = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.sales.quote",
        1,
        match=lambda e: e["subject"] == second["id"] and e["type"] == "quote.submitted",
    )
    name = (await gql.ok("query($id: ID!) { opportunity(id: $id) { name } }", {"id": o}, "rep1"))["opportunity"]["name"]
    sent = json.loads(record.value)["data"]
    rep1 = gql.user("rep1")
    assert (sent["title"], sent["ownerId"], sent["createdBy"], sent["submittedBy"], sent["effectiveDiscount"]) == (
        name,
        rep1,
        rep1,
        rep1,
        second["effectiveDiscount"],
    )
    decided = await gql.decided("quote", second["id"], comment="同意")
    await gql.decided("quote", second["id"], approve=False, comment="迟到的 Late")  # no longer pending: nothing
    shown = "query($id: ID!) { quote(id: $id) { status approver { id } decisionComment } }"
    assert (await gql.ok(shown, {"id": second["id"]}, "rep1"))["quote"] == {
        "status": "approved",
        "approver": {"id": gql.user("manager")},
        "decisionComment": "同意",
    }
    assert decided.type == "approval.decided"

    accepted = await gql.ok(
        """mutation($id: ID!) { acceptQuote(id: $id) { quote { status orderId }
        order { id number total status account { id } lines { total } } } }""",
        {"id": second["id"]},
        "rep1",
    )
    order = accepted["acceptQuote"]["order"]
    assert accepted["acceptQuote"]["quote"] == {"status": "accepted", "orderId": order["id"]}
    assert order["number"].startswith("SO-") and order["total"] == second["total"] and order["status"] == "confirmed"
    won = await gql.ok("query($id: ID!) { opportunity(id: $id) { status amount } }", {"id": o}, "rep1")
    assert won["opportunity"]["status"] == "won"

    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers, "crm.sales.order", 1, match=lambda e: e["subject"] == order["id"]
    )
    created = json.loads(records[0].value)
    assert created["type"] == "order.created" and created["data"]["accountId"] == order["account"]["id"]
    assert created["data"]["firstOrder"] is True


async def test_within_the_threshold_a_quote_is_approved_at_once(gql):
    product = await gql.product("100.00")
    o = await gql.opportunity("rep1")
    quote = (
        await gql.ok(
            QUOTE,
            {"i": {"opportunityId": o, "lines": [{"productId": product, "quantity": "1"}], "discountPercent": "5"}},
            "rep1",
        )
    )["createQuote"]
    done = await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote["id"]}, "rep1")
    assert done["submitQuote"]["status"] == "approved"


async def order_for(gql, amount="10000.00", owner="rep1"):
    product = await gql.product(amount)
    o = await gql.opportunity(owner)
    quote = (
        await gql.ok(QUOTE, {"i": {"opportunityId": o, "lines": [{"productId": product, "quantity": "1"}]}}, owner)
    )["createQuote"]
    await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote["id"]}, owner)
    accepted = await gql.ok(
        "mutation($id: ID!) { acceptQuote(id: $id) { order { id account { id } } } }",
        {"id": quote["id"]},
        owner,
    )
    return accepted["acceptQuote"]["order"]


async def test_invoices_partial_payments_and_aging(gql):
    order = await order_for(gql, "10000.00")
    issue = "mutation($o: ID!, $a: String) { issueInvoice(orderId: $o, amount: $a) { id number amount status dueOn } }"
    too_much = await gql.error(issue, {"o": order["id"], "a": "10000.01"}, "manager", code="BAD_USER_INPUT")
    assert too_much["extensions"]["field"] == "amount" and too_much["extensions"]["remaining"] == "10000.00"
    first = (await gql.ok(issue, {"o": order["id"], "a": "6000"}, "manager"))["issueInvoice"]
    rest = (await gql.ok(issue, {"o": order["id"], "a": None}, "manager"))["issueInvoice"]
    assert (first["amount"], rest["amount"]) == ("6000.00", "4000.00") and first["number"].startswith("INV-")
    pay = "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { invoice { paid outstanding status } } }"
    await gql.error(pay, {"i": {"invoiceId": first["id"], "amount": "100"}}, "rep1", code="FORBIDDEN")
    part = await gql.ok(pay, {"i": {"invoiceId": first["id"], "amount": "2500.50", "method": "wechat_pay"}}, "manager")
    assert part["recordPayment"]["invoice"] == {
        "paid": "2500.50",
        "outstanding": "3499.50",
        "status": "partially_paid",
    }
    over = await gql.error(
        pay, {"i": {"invoiceId": first["id"], "amount": "3499.51"}}, "manager", code="BAD_USER_INPUT"
    )
    assert over["extensions"]["field"] == "amount"
    full = await gql.ok(pay, {"i": {"invoiceId": first["id"], "amount": "3499.50"}}, "manager")
    assert full["recordPayment"]["invoice"]["status"] == "paid"

    later = (dt.date.fromisoformat(rest["dueOn"]) + dt.timedelta(days=45)).isoformat()
    aging = await gql.ok(
        "query($d: Date!, $a: ID!) {"
        " receivablesAging(asOf: $d, accountId: $a) { total buckets { label amount count } } }",
        {"d": later, "a": order["account"]["id"]},
        "manager",
    )
    report = aging["receivablesAging"]
    assert report["total"] == "4000.00"
    assert {b["label"]: (b["amount"], b["count"]) for b in report["buckets"]} == {
        "0-30": ("0.00", 0),
        "31-60": ("4000.00", 1),
        "61-90": ("0.00", 0),
        "90+": ("0.00", 0),
    }
    cancel = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "客户取消") { status } }'
    await gql.error(cancel, {"id": order["id"]}, "rep1", code="FORBIDDEN")
    await gql.error(cancel, {"id": order["id"]}, "manager", code="CONFLICT")  # invoiced


async def test_an_account_asked_for_by_id_is_named_only_to_a_caller_who_may_read_it(gql):
    order = await order_for(gql, "5000.00")
    through_the_order = "query($id: ID!) { order(id: $id) { account { name } } }"
    name = (await gql.ok(through_the_order, {"id": order["id"]}, "rep1"))["order"]["account"]["name"]
    named = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { name } } }"
    representation = {"r": [{"__typename": "Account", "id": order["account"]["id"]}]}

    assert (await gql.ok(named, representation, "rep1"))["_entities"] == [{"name": name}]
    assert (await gql.ok(named, representation, "manager"))["_entities"] == [{"name": name}]
    await gql.error(named, representation, "rep2", code="NOT_FOUND")
    await gql.error(named, representation, None, code="UNAUTHENTICATED")


async def test_a_person_asked_for_by_id_is_left_to_identity(gql, persona):
    named = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { displayName } } }"
    representation = {"r": [{"__typename": "User", "id": str(persona["rep2"].user_id)}]}

    for caller in (None, "rep1", "admin"):
        await gql.error(named, representation, caller, code="NOT_FOUND")


async def test_account_gains_opportunities_orders_and_receivables(gql):
    order = await order_for(gql, "5000.00")
    await gql.ok("mutation($o: ID!) { issueInvoice(orderId: $o) { id } }", {"o": order["id"]}, "manager")
    entity = await gql.ok(
        """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {
        opportunities { totalCount edges { node { status } } } orders { edges { node { id } } }
        receivables { outstanding overdue openInvoices currency } } } }""",
        {"r": [{"__typename": "Account", "id": order["account"]["id"]}]},
        "rep1",
    )
    account = entity["_entities"][0]
    assert (
        account["opportunities"]["totalCount"] == 1 and account["opportunities"]["edges"][0]["node"]["status"] == "won"
    )
    assert [e["node"]["id"] for e in account["orders"]["edges"]] == [order["id"]]
    assert account["receivables"] == {
        "outstanding": "5000.00",
        "overdue": "0.00",
        "openInvoices": 1,
        "currency": "CNY",
    }
    hidden = await gql.ok(
        """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { orders { totalCount } } } }""",
        {"r": [{"__typename": "Account", "id": order["account"]["id"]}]},
        "rep2",
    )
    assert hidden["_entities"][0]["orders"]["totalCount"] == 0


async def test_contract_lifecycle_with_approval_renewal_reminder_and_order(gql, platform_settings, clock):
    account = await gql.account("rep1")
    today = clock.now().date()
    made = await gql.ok(
        """mutation($i: CreateContractInput!) { createContract(input: $i) { id number status value } }""",
        {
            "i": {
                "accountId": account,
                "title": "年度服务合同",
                "value": "240000",
                "startDate": today.isoformat(),
                "endDate": (today + dt.timedelta(days=20)).isoformat(),
            }
        },
        "rep1",
    )
    contract = made["createContract"]
    assert contract["status"] == "draft" and contract["number"].startswith("CT-") and contract["value"] == "240000.00"
    sign = "mutation($id: ID!) { signContract(id: $id) { status } }"
    await gql.error(sign, {"id": contract["id"]}, "rep1", code="CONFLICT")
    await gql.ok("mutation($id: ID!) { submitContract(id: $id) { status } }", {"id": contract["id"]}, "rep1")
    await gql.decided("contract", contract["id"])
    assert (await gql.ok(sign, {"id": contract["id"]}, "rep1"))["signContract"]["status"] == "active"  # starts today
    await gql.run_schedule("contract-dates")  # ends within the notice period
    order = await gql.ok(
        "mutation($c: ID!) { createOrderFromContract(contractId: $c) { total } }",
        {"c": contract["id"]},
        "rep1",
    )
    assert order["createOrderFromContract"]["total"] == "240000.00"
    await gql.publish()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.sales.contract",
        1,
        match=lambda e: e["subject"] == contract["id"] and e["type"] == "contract.renewal_due",
    )
    assert json.loads(records[0].value)["data"]["daysLeft"] == 20
    clock.advance(days=21)
    await gql.run_schedule("contract-dates")
    expired = await gql.ok("query($id: ID!) { contract(id: $id) { status } }", {"id": contract["id"]}, "rep1")
    assert expired["contract"]["status"] == "expired"


async def test_fulfilling_an_order_takes_its_products_out_of_stock(gql):
    product = await gql.product("100.00")
    await gql.ok('mutation($id: ID!) { updateProduct(id: $id, input: {stock: "3"}) { stock } }', {"id": product})
    o = await gql.opportunity("rep1")
    fulfil = "mutation($id: ID!) { fulfillOrder(id: $id) { status } }"
    orders = []
    for quantity in ("2", "2"):
        quote = (
            await gql.ok(
                QUOTE,
                {
                    "i": {
                        "opportunityId": o if not orders else await gql.opportunity("rep1"),
                        "lines": [{"productId": product, "quantity": quantity}],
                    }
                },
                "rep1",
            )
        )["createQuote"]
        await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { id } }", {"id": quote["id"]}, "rep1")
        accepted = await gql.ok(
            "mutation($id: ID!) { acceptQuote(id: $id) { order { id } } }", {"id": quote["id"]}, "rep1"
        )
        orders.append(accepted["acceptQuote"]["order"]["id"])
    await gql.error(fulfil, {"id": orders[0]}, "rep1", code="FORBIDDEN")
    assert (await gql.ok(fulfil, {"id": orders[0]}, "manager"))["fulfillOrder"]["status"] == "fulfilled"
    short = await gql.error(fulfil, {"id": orders[1]}, "manager", lang="zh-CN", code="CONFLICT")
    assert short["extensions"]["code"] == "CONFLICT" and "库存不足" in short["message"] and "剩余 1" in short["message"]
    stock = await gql.ok("query($id: ID!) { product(id: $id) { stock } }", {"id": product})
    assert stock["product"]["stock"] == "1"


async def test_a_contract_names_only_its_own_customers_deals(gql):
    account = await gql.account("rep1")
    other = await gql.opportunity("rep1")  # on another account
    hidden = await gql.opportunity("rep3", accountId=await gql.account("rep3"))
    create = "mutation($i: CreateContractInput!) { createContract(input: $i) { id opportunityId } }"
    base = {
        "accountId": account,
        "title": "合同",
        "value": "1000",
        "startDate": "2026-01-01",
        "endDate": "2027-01-01",
    }
    wrong = await gql.error(create, {"i": {**base, "opportunityId": other}}, "rep1", code="BAD_USER_INPUT")
    assert wrong["extensions"] == {"code": "BAD_USER_INPUT", "field": "opportunityId"}
    unseen = await gql.error(create, {"i": {**base, "opportunityId": hidden}}, "rep1", code="BAD_USER_INPUT")
    assert unseen["extensions"] == {"code": "BAD_USER_INPUT", "field": "opportunityId"}
    own = await gql.opportunity("rep1", accountId=account)
    made = await gql.ok(create, {"i": {**base, "opportunityId": own}}, "rep1")
    assert made["createContract"]["opportunityId"] == own


async def test_the_invoice_list_narrows_to_an_aging_bucket(gql, clock):
    order = await order_for(gql, "9000.00")
    issue = "mutation($o: ID!, $a: String) { issueInvoice(orderId: $o, amount: $a) { id number } }"
    paid = (await gql.ok(issue, {"o": order["id"], "a": "1000"}, "manager"))["issueInvoice"]
    late = (await gql.ok(issue, {"o": order["id"], "a": "8000"}, "manager"))["issueInvoice"]
    pay = "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { invoice { status } } }"
    await gql.ok(pay, {"i": {"invoiceId": paid["id"], "amount": "1000"}}, "manager")
    one = "query($id: ID!) { invoice(id: $id) { status outstanding payments { amount } } }"
    settled = await gql.ok(one, {"id": paid["id"]}, "rep1")
    assert settled["invoice"] == {"status": "paid", "outstanding": "0.00", "payments": [{"amount": "1000.00"}]}
    await gql.error(one, {"id": paid["id"]}, "rep2", code="NOT_FOUND")
    listed = "query($b: String) { invoices(agingBucket: $b) { totalCount edges { node { number outstanding } } } }"

    current = await gql.ok(listed, {"b": "0-30"}, "manager")
    assert current["invoices"] == {
        "totalCount": 1,
        "edges": [{"node": {"number": late["number"], "outstanding": "8000.00"}}],
    }
    owes = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {
        receivables { outstanding overdue openInvoices } } } }"""
    account = {"r": [{"__typename": "Account", "id": order["account"]["id"]}]}
    receivables = await gql.ok(owes, account, "rep1")
    before = {"outstanding": "8000.00", "overdue": "0.00", "openInvoices": 1}
    assert receivables["_entities"][0]["receivables"] == before
    clock.advance(days=30 + 45)  # 45 days past the 30 days' term
    assert (await gql.ok(listed, {"b": "0-30"}, "manager"))["invoices"]["totalCount"] == 0
    overdue = await gql.ok(listed, {"b": "31-60"}, "manager")
    assert [e["node"]["number"] for e in overdue["invoices"]["edges"]] == [late["number"]]
    assert (await gql.ok(listed, {"b": "31-60"}, "rep2"))["invoices"]["totalCount"] == 0
    receivables = await gql.ok(owes, account, "rep1")
    assert receivables["_entities"][0]["receivables"] == {
        "outstanding": "8000.00",
        "overdue": "8000.00",
        "openInvoices": 1,
    }
    unseen = await gql.ok(owes, account, "rep2")
    assert unseen["_entities"][0]["receivables"] == {"outstanding": "0.00", "overdue": "0.00", "openInvoices": 0}
    wrong = await gql.error(listed, {"b": "45"}, "manager", code="BAD_USER_INPUT")
    assert wrong["extensions"]["field"] == "agingBucket"


async def test_a_contract_rejected_by_its_approval_goes_back_to_draft_with_the_reason(gql, platform_settings):
    account = await gql.account("rep1")
    today = dt.date.today()
    made = await gql.ok(
        "mutation($i: CreateContractInput!) { createContract(input: $i) { id } }",
        {
            "i": {
                "accountId": account,
                "title": "维保",
                "value": "1000",
                "startDate": today.isoformat(),
                "endDate": (today + dt.timedelta(days=30)).isoformat(),
            }
        },
        "rep1",
    )
    contract = made["createContract"]["id"]
    await gql.ok("mutation($id: ID!) { submitContract(id: $id) { status } }", {"id": contract}, "rep1")
    await gql.publish()
    [record] = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.sales.contract",
        1,
        match=lambda e: e["subject"] == contract and e["type"] == "contract.submitted",
    )
    sent = json.loads(record.value)["data"]
    assert (sent["title"], sent["createdBy"], sent["submittedBy"]) == ("维保", gql.user("rep1"), gql.user("rep1"))
    await gql.decided("contract", contract, approve=False, approver="admin", comment="金额有误 Wrong value")
    shown = "query($id: ID!) { contract(id: $id) { status approver { id } decisionComment } }"
    assert (await gql.ok(shown, {"id": contract}, "rep1"))["contract"] == {
        "status": "draft",
        "approver": {"id": gql.user("admin")},
        "decisionComment": "金额有误 Wrong value",
    }
