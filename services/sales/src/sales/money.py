"""Exact decimal money: amounts arrive as decimal strings and are kept to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from crm_shared.errors import BadInput
from crm_shared.validate import AMOUNT_PLACES, currency_code, exact_decimal, fits, largest

CENT = Decimal("0.01")
MAX_AMOUNT = largest(18, 2)  # money columns are numeric(18, 2)
MAX_QUANTITY = largest(14, 4)  # quantities and stock are numeric(14, 4)
QUANTITY_PLACES = 4


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse(
    value: str | Decimal | int | None,
    field: str,
    minimum: Decimal = Decimal(0),
    maximum: Decimal = MAX_AMOUNT,
    places: int = AMOUNT_PLACES,
) -> Decimal:
    """A decimal string such as "12,800.50" (`exact_decimal`, the suite's one rule), never negative unless
    allowed, never more than a column holds (10^17 is refused here, not overflowed in the database), and
    with no more places than it keeps: cents for amounts and percentages (every currency sales converts has
    two), four for quantities."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadInput("required_field", field=field)
    number = exact_decimal(value, field, places)
    if number < minimum or number > maximum:
        raise BadInput("not_between", field=field, minimum=str(minimum), maximum=str(maximum))
    return number


def currency(value: str | None, default: str, field: str = "currency") -> str:
    return currency_code(value, field, default)


def percent(value: str | Decimal | None, field: str) -> Decimal:
    return Decimal(0) if value is None or value == "" else parse(value, field, Decimal(0), Decimal(100))


class Rates:
    """Converts into the base currency with the configured rates; an unknown currency is bad input."""

    def __init__(self, base: str, rates: dict[str, Decimal]) -> None:
        self.base = base
        self.rates = {**rates, base: Decimal(1)}

    def check(self, code: str, field: str = "currency") -> str:
        if code not in self.rates:
            raise BadInput("one_of", field=field, choices=", ".join(sorted(self.rates)))
        return code

    def to_base(self, amount: Decimal, code: str, field: str = "amount") -> Decimal:
        """The amount in the base currency, to be stored: one that would not fit a money column is refused, by
        field."""
        converted = self.in_base(amount, code)
        if not fits(converted):
            raise BadInput("out_of_range", field=field, maximum=str(MAX_AMOUNT))
        return converted

    def in_base(self, amount: Decimal, code: str) -> Decimal:
        """Any amount in the base currency, to the cent: a sum of many (receivables) need fit no column."""
        return cents(amount * self.rates[self.check(code)])

    def convert(self, amount: Decimal, source: str, target: str, field: str) -> Decimal:
        """An amount in another currency, through the base, to the cent: a product listed in one currency on a deal
        in another. One that would not fit a money column is refused, by field."""
        if source == target:
            return amount
        converted = cents(amount * self.rates[self.check(source, field)] / self.rates[self.check(target, field)])
        if not fits(converted):
            raise BadInput("out_of_range", field=field, maximum=str(MAX_AMOUNT))
        return converted
