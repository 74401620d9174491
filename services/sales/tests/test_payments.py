"""The list of payments across invoices: filters, paging and the caller's data scope."""

import datetime as dt

from .test_quotes_orders_billing import order_for

ISSUE = "mutation($o: ID!, $a: String) { issueInvoice(orderId: $o, amount: $a) { id number account { id } } }"
PAY = "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } } }"
PAYMENTS = """query($f: PaymentFilter, $first: Int! = 20, $after: String) {
  payments(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { invoiceId invoiceNumber account { id } amount currency receivedOn method reference } } } }"""


async def _invoice(gql, owner: str, amount: str):
    order = await order_for(gql, amount, owner)
    return (await gql.ok(ISSUE, {"o": order["id"], "a": None}, "admin"))["issueInvoice"]


async def _listed(gql, who: str, **f):
    return (await gql.ok(PAYMENTS, {"f": f}, who))["payments"]


async def test_payments_are_listed_across_invoices_within_the_callers_scope(gql, clock):
    today = clock.now().date()
    earlier = (today - dt.timedelta(days=10)).isoformat()
    clock.advance(days=-10)  # invoiced by the day of the earliest payment
    mine = await _invoice(gql, "rep1", "5000.00")
    other = await _invoice(gql, "rep1", "3000.00")
    far = await _invoice(gql, "rep3", "2000.00")
    clock.restore()  # real time again: payments are listed by when they were recorded
    for invoice, amount, method, on in (
        (mine, "1000", "wechat_pay", earlier),
        (other, "3000", "bank_transfer", today.isoformat()),
        (mine, "500.50", "cash", today.isoformat()),
        (far, "700", "cash", today.isoformat()),
    ):
        data = {"invoiceId": invoice["id"], "amount": amount, "method": method, "receivedOn": on, "reference": "回单"}
        await gql.ok(PAY, {"i": data}, "admin")

    rep1 = await _listed(gql, "rep1")
    assert rep1["totalCount"] == 3
    assert [(e["node"]["invoiceNumber"], e["node"]["amount"]) for e in rep1["edges"]] == [
        (mine["number"], "500.50"),
        (other["number"], "3000.00"),
        (mine["number"], "1000.00"),
    ]
    assert rep1["edges"][2]["node"] == {
        "invoiceId": mine["id"],
        "invoiceNumber": mine["number"],
        "account": {"id": mine["account"]["id"]},
        "amount": "1000.00",
        "currency": "CNY",
        "receivedOn": earlier,
        "method": "wechat_pay",
        "reference": "回单",
    }
    assert (await _listed(gql, "rep2"))["totalCount"] == 0
    assert (await _listed(gql, "manager"))["totalCount"] == 3  # rep3 is in another team
    assert (await _listed(gql, "admin"))["totalCount"] == 4
    assert (await _listed(gql, "rep3"))["edges"][0]["node"]["invoiceNumber"] == far["number"]
    assert (await _listed(gql, "rep1", invoiceId=far["id"]))["totalCount"] == 0
    await gql.error(PAYMENTS, {}, "agent", code="FORBIDDEN")


async def test_payments_narrow_by_invoice_account_method_and_dates_and_page(gql, clock):
    today = clock.now().date()
    earlier = (today - dt.timedelta(days=10)).isoformat()
    clock.advance(days=-10)  # invoiced by the day of the earliest payment
    first = await _invoice(gql, "rep1", "5000.00")
    second = await _invoice(gql, "rep1", "3000.00")
    clock.restore()  # real time again: payments are listed by when they were recorded
    for invoice, amount, method, on in (
        (first, "1000", "wechat_pay", earlier),
        (first, "200", "cash", today.isoformat()),
        (second, "300", "cash", today.isoformat()),
    ):
        data = {"invoiceId": invoice["id"], "amount": amount, "method": method, "receivedOn": on}
        await gql.ok(PAY, {"i": data}, "manager")

    def amounts(page):
        return [e["node"]["amount"] for e in page["edges"]]

    assert amounts(await _listed(gql, "rep1", invoiceId=first["id"])) == ["200.00", "1000.00"]
    assert amounts(await _listed(gql, "rep1", accountId=second["account"]["id"])) == ["300.00"]
    assert amounts(await _listed(gql, "rep1", method="cash")) == ["300.00", "200.00"]
    assert amounts(await _listed(gql, "rep1", to=earlier)) == ["1000.00"]
    assert amounts(await _listed(gql, "rep1", **{"from": today.isoformat(), "to": today.isoformat()})) == [
        "300.00",
        "200.00",
    ]

    one = (await gql.ok(PAYMENTS, {"first": 2}, "rep1"))["payments"]
    assert amounts(one) == ["300.00", "200.00"] and one["pageInfo"]["hasNextPage"] is True
    rest = (await gql.ok(PAYMENTS, {"first": 2, "after": one["pageInfo"]["endCursor"]}, "rep1"))["payments"]
    assert amounts(rest) == ["1000.00"] and rest["pageInfo"]["hasNextPage"] is False

    method = await gql.error(PAYMENTS, {"f": {"method": "bitcoin"}}, "rep1", code="BAD_USER_INPUT")
    assert method["extensions"]["field"] == "method"
    dates = await gql.error(PAYMENTS, {"f": {"from": today.isoformat(), "to": earlier}}, "rep1", code="BAD_USER_INPUT")
    assert dates["extensions"]["field"] == "to"


async def test_a_payment_refused_for_its_method_or_dates_says_why_in_the_callers_language(gql):
    today = dt.datetime.now(dt.UTC).date()
    invoice = await _invoice(gql, "rep1", "1000.00")
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    backwards = {"from": today.isoformat(), "to": (today - dt.timedelta(days=1)).isoformat()}
    said = [
        await gql.error(
            PAY,
            {"i": {"invoiceId": invoice["id"], "amount": "10", "method": m, "receivedOn": on}},
            "admin",
            "BAD_USER_INPUT",
            "zh-CN",
        )
        for m, on in (("bitcoin", None), ("cash", tomorrow))
    ] + [await gql.error(PAYMENTS, {"f": backwards}, "rep1", "BAD_USER_INPUT", "zh-CN")]
    assert [(e["extensions"]["field"], e["message"]) for e in said] == [
        ("method", "字段“method”须为以下之一：bank_transfer, cash, cheque, card, alipay, wechat_pay, other"),
        ("receivedOn", "字段“receivedOn”不能晚于今天"),
        ("to", "字段“to”不能早于“from”"),
    ]
    assert (await _listed(gql, "admin", invoiceId=invoice["id"]))["totalCount"] == 0


async def test_a_payment_received_before_its_invoice_was_issued_is_refused_at_the_day(gql, clock):
    issued = clock.now().date()
    invoice = await _invoice(gql, "rep1", "1000.00")
    clock.advance(days=5)
    today = clock.now().date()

    for day in ("2000-01-01", (issued - dt.timedelta(days=1)).isoformat()):
        refused = await gql.error(
            PAY, {"i": {"invoiceId": invoice["id"], "amount": "10", "receivedOn": day}}, "admin", "BAD_USER_INPUT"
        )
        assert refused["extensions"]["field"] == "receivedOn", day
        assert refused["message"] == f"Field 'receivedOn' must be between {issued} and {today}", day
    assert (await _listed(gql, "admin", invoiceId=invoice["id"]))["totalCount"] == 0
    on_the_day = {"invoiceId": invoice["id"], "amount": "10", "receivedOn": issued.isoformat()}
    assert (await gql.ok(PAY, {"i": on_the_day}, "admin"))["recordPayment"]["payment"]["id"]


async def test_an_invoice_due_beyond_2100_is_refused_at_its_due_day(gql):
    order = await order_for(gql, "1000.00")
    issue = "mutation($o: ID!, $d: Date) { issueInvoice(orderId: $o, dueOn: $d) { id } }"

    refused = await gql.error(issue, {"o": order["id"], "d": "2101-01-01"}, "admin", "BAD_USER_INPUT", "zh-CN")

    assert refused["extensions"]["field"] == "dueOn"
    assert refused["message"] == "字段“dueOn”须在 2000-01-01 到 2100-12-31 之间"
    assert (await gql.ok("{ invoices { totalCount } }"))["invoices"]["totalCount"] == 0
