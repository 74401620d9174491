"""The pure sales rules, without a database or a broker: money, pricing, quote totals, funnel arithmetic,
lead scoring, reporting periods and each aggregate's transitions."""

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest

from crm_contracts.sales import LeadStatus, OrderStatus
from crm_shared.errors import BadInput, Conflict
from sales.contracts.lifecycle import BY_DATE, require_move
from sales.contracts.models import Contract, ContractStatus
from sales.leads.lifecycle import MOVES, conversion_failed, conversion_requested
from sales.leads.models import ConversionStatus, Lead, ScoringRule
from sales.leads.rules import score
from sales.money import Rates, cents, currency, parse, percent
from sales.orders.models import Invoice, InvoiceStatus, Order
from sales.performance.rollup import entry, exit_, funnel_state
from sales.periods import current, period
from sales.pricing import Book, line_total, unit_price
from sales.quotes.lifecycle import require_acceptable
from sales.quotes.models import Quote, QuoteLine, QuoteStatus
from sales.quotes.service import totals

D = Decimal


def test_cents_round_half_up() -> None:
    assert cents(D("0.005")) == D("0.01")
    assert cents(D("2.675")) == D("2.68")
    assert cents(D("-0.005")) == D("-0.01")
    assert cents(D("10")) == D("10.00")


def test_parse_takes_decimal_strings_only_within_bounds() -> None:
    assert parse("12,800.50", "amount") == D("12800.50")
    assert percent(None, "discountPercent") == D(0)
    assert percent("12.5", "discountPercent") == D("12.5")
    for bad in ("abc", "-1", "1.23456", "NaN", ""):
        with pytest.raises(BadInput):
            parse(bad, "amount")
    with pytest.raises(BadInput):
        percent("100.01", "discountPercent")


def test_currency_and_rates() -> None:
    assert currency(" usd ", "CNY") == "USD"
    assert currency(None, "CNY") == "CNY"
    with pytest.raises(BadInput):
        currency("US", "CNY")
    rates = Rates("CNY", {"USD": D("7.1")})
    assert rates.to_base(D("10.005"), "USD") == D("71.04")
    assert rates.to_base(D("3"), "CNY") == D("3.00")
    with pytest.raises(BadInput):
        rates.to_base(D(1), "EUR")


def test_unit_price_prefers_the_line_then_the_book_entry_then_the_book_discount() -> None:
    assert unit_price(D("100"), D("88.885"), Book(D("90"), D("5"))) == D("88.89")
    assert unit_price(D("100"), None, Book(D("90.004"), D("5"))) == D("90.00")
    assert unit_price(D("99.99"), None, Book(None, D("15"))) == D("84.99")  # 84.9915
    assert unit_price(D("99.99"), None, None) == D("99.99")


def test_line_total_applies_the_discount_and_rounds_each_line() -> None:
    assert line_total(D("3"), D("33.33"), D("0")) == D("99.99")
    assert line_total(D("1.5"), D("10.01"), D("10")) == D("13.51")  # 13.5135
    assert line_total(D("1"), D("0.05"), D("50")) == D("0.03")  # 0.025 half-up


def test_quote_totals_discount_then_tax_each_to_the_cent() -> None:
    quote = Quote(opportunity_id=uuid.uuid4(), account_id=uuid.uuid4(), owner_id=uuid.uuid4())
    quote.discount_percent, quote.tax_rate = D("10"), D("13")
    columns = ("position", "name", "quantity", "list_price", "unit_price", "total")
    rows = ((1, "a", D("2"), D("100"), D("90"), D("180.00")), (2, "b", D("1"), D("50.55"), D("50.55"), D("50.55")))
    lines = [
        QuoteLine(quote_id=quote.id, product_id=uuid.uuid4(), discount_percent=D(0), **dict(zip(columns, row)))
        for row in rows
    ]
    totals(quote, lines)
    assert quote.list_total == D("250.55")
    assert quote.subtotal == D("230.55")
    assert quote.discount_amount == D("23.06")  # 23.055
    assert quote.tax_amount == D("26.97")  # 207.49 * 0.13 = 26.9737
    assert quote.total == D("234.46")
    assert quote.effective_discount == D("17.19")  # 1 - 207.49 / 250.55


def test_quote_totals_without_lines_at_list_price_have_no_discount() -> None:
    quote = Quote(opportunity_id=uuid.uuid4(), account_id=uuid.uuid4(), owner_id=uuid.uuid4())
    totals(quote, [])
    assert (quote.subtotal, quote.total, quote.effective_discount) == (D(0), D(0), D(0))


def _opportunity(**changes: object) -> SimpleNamespace:
    fields = {
        "pipeline_id": uuid.uuid4(),
        "owner_id": uuid.uuid4(),
        "created_at": dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))),
        "source": None,
        "campaign_id": None,
        "max_position": 2,
        "status": "open",
        "amount_base": D("1200.50"),
        "closed_at": None,
    }
    return SimpleNamespace(**{**fields, **changes})


def test_funnel_state_counts_by_utc_month_and_cycle_time() -> None:
    o = _opportunity()
    key, amount, cycle = funnel_state(o)
    assert key == (o.pipeline_id, o.owner_id, dt.date(2026, 4, 1), "", None, 2, "open")
    assert (amount, cycle) == (D("1200.50"), 0.0)
    won = _opportunity(status="won", closed_at=o.created_at + dt.timedelta(days=2), amount_base=None)
    assert funnel_state(won)[1:] == (D(0), 172800.0)


def test_stage_stays_enter_and_leave_balance() -> None:
    stage = uuid.uuid4()
    entered = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    left = entered + dt.timedelta(hours=5)
    assert entry(stage, entered) == (stage, {"open_visits": 1, "open_entered_sum": entered.timestamp()})
    stage_id, deltas = exit_(stage, entered, left)
    assert stage_id == stage
    assert deltas == {
        "open_visits": -1,
        "open_entered_sum": -entered.timestamp(),
        "closed_visits": 1,
        "closed_seconds": 18000.0,
    }


def test_lead_score_adds_matching_rules_within_0_to_100() -> None:
    lead = Lead(
        company="华为", contact_name="张三", title="IT Director", industry="制造", phone_enc="x", activity_count=3
    )
    rules = [
        ScoringRule(field="industry", value="制造", points=30),
        ScoringRule(field="title", value="director", points=20),
        ScoringRule(field="phone", value="", points=10),
        ScoringRule(field="email", value="", points=10),
        ScoringRule(field="activities", value="3", points=15),
        ScoringRule(field="province", value="北京", points=40),
    ]
    assert score(lead, rules) == 75
    assert score(lead, [*rules, ScoringRule(field="industry", value="制造", points=50)]) == 100
    assert score(lead, [ScoringRule(field="industry", value="制造", points=-20)]) == 0


def test_periods_parse_contain_and_shift() -> None:
    q4 = period("2026-Q4")
    assert (q4.start, q4.end, q4.kind) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1), "quarter")
    assert q4.contains(dt.date(2026, 12, 31)) and not q4.contains(dt.date(2027, 1, 1))
    assert q4.shift(1).key == "2027-Q1"
    assert period("2026-01").shift(-1).key == "2025-12"
    assert period("2026").shift(-2).key == "2024"
    assert period("2026-11").end_time() == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert current("quarter", dt.date(2026, 5, 15)).key == "2026-Q2"
    assert current("month", dt.date(2026, 5, 15)).key == "2026-05"
    for bad in ("2026-13", "2026-Q5", "26", "1800"):
        with pytest.raises(BadInput):
            period(bad)


def test_lead_conversion_moves_from_none_or_failed_to_pending_once() -> None:
    lead = Lead(company="华为", contact_name="张三", owner_id=uuid.uuid4())
    assert conversion_requested(lead) and lead.conversion_status == ConversionStatus.PENDING
    assert not conversion_requested(lead)  # asking again while pending changes nothing
    assert conversion_failed(lead, "客户名称无效") and lead.conversion_status == ConversionStatus.FAILED
    assert not conversion_failed(lead, "again")  # a redelivered answer changes nothing
    assert conversion_requested(lead) and lead.conversion_error is None
    unassigned = Lead(company="华为", contact_name="张三")
    with pytest.raises(Conflict):
        conversion_requested(unassigned)
    disqualified = Lead(company="华为", contact_name="张三", owner_id=uuid.uuid4(), status=LeadStatus.DISQUALIFIED)
    with pytest.raises(Conflict):
        conversion_requested(disqualified)


def test_lead_statuses_move_by_hand_but_never_out_of_converted() -> None:
    assert LeadStatus.DISQUALIFIED in MOVES[LeadStatus.NEW] and LeadStatus.NEW in MOVES[LeadStatus.DISQUALIFIED]
    assert MOVES[LeadStatus.CONVERTED] == frozenset()


def test_contracts_move_by_hand_through_approval_and_by_date_into_force() -> None:
    contract = Contract(
        number="CT-1",
        title="t",
        account_id=uuid.uuid4(),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 1, 1),
        owner_id=uuid.uuid4(),
    )
    require_move(contract, ContractStatus.PENDING_APPROVAL)
    for to in (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.APPROVED):
        with pytest.raises(Conflict):
            require_move(contract, to)
    assert BY_DATE == {ContractStatus.SIGNED: ContractStatus.ACTIVE, ContractStatus.ACTIVE: ContractStatus.EXPIRED}


def test_orders_are_fulfilled_or_cancelled_from_confirmed_only() -> None:
    order = Order(number="SO-1", account_id=uuid.uuid4(), owner_id=uuid.uuid4())
    order.move(OrderStatus.FULFILLED)
    with pytest.raises(Conflict) as refused:
        order.move(OrderStatus.FULFILLED)
    assert refused.value.key == "order_not_confirmed"
    order.move(OrderStatus.CANCELLED)  # delivered but not invoiced
    with pytest.raises(Conflict) as refused:
        order.move(OrderStatus.CANCELLED)
    assert refused.value.key == "order_cancelled"


def test_an_invoice_is_partly_then_fully_paid_and_then_settled() -> None:
    invoice = Invoice(
        number="INV-1",
        order_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        amount=D("100.00"),
        paid=D("0.00"),
        issued_on=dt.date(2026, 11, 1),
        due_on=dt.date(2026, 12, 1),
        owner_id=uuid.uuid4(),
    )
    invoice.pay(D("40.00"))
    assert (invoice.status, invoice.paid) == (InvoiceStatus.PARTIALLY_PAID, D("40.00"))
    invoice.pay(D("60.00"))
    assert invoice.status == InvoiceStatus.PAID and invoice.settled
    with pytest.raises(Conflict):
        invoice.pay(D("1.00"))


def test_a_quote_is_accepted_only_when_approved_and_still_valid(clock) -> None:
    quote = Quote(opportunity_id=uuid.uuid4(), account_id=uuid.uuid4(), owner_id=uuid.uuid4())
    with pytest.raises(Conflict) as refused:
        require_acceptable(quote)
    assert refused.value.key == "quote_not_approved"
    quote.status, quote.valid_until = QuoteStatus.APPROVED, clock.now().date()
    require_acceptable(quote)
    clock.advance(days=1)
    with pytest.raises(Conflict) as refused:
        require_acceptable(quote)
    assert refused.value.key == "quote_expired"
