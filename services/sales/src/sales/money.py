"""Exact decimal money: amounts arrive as decimal strings and are kept to the cent."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crm_shared.errors import BadInput

CENT = Decimal("0.01")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse(
    value: str | Decimal | int | None, field: str, minimum: Decimal = Decimal(0), maximum: Decimal | None = None
) -> Decimal:
    """A decimal string such as "12800.50"; never a float, never negative unless allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadInput("required_field", field=field)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise BadInput(field=field, reason="a decimal number such as 12800.50") from exc
    if not number.is_finite() or number < minimum or (maximum is not None and number > maximum):
        bounds = f"from {minimum}" + (f" to {maximum}" if maximum is not None else "")
        raise BadInput(field=field, reason=bounds)
    exponent = number.as_tuple().exponent  # an int once the number is finite
    if isinstance(exponent, int) and exponent < -4:
        raise BadInput(field=field, reason="at most 4 decimal places")
    return number


def currency(value: str | None, default: str, field: str = "currency") -> str:
    code = (value or default).strip().upper()
    if not CURRENCY.match(code):
        raise BadInput(field=field, reason="a three-letter ISO 4217 code such as CNY")
    return code


def percent(value: str | Decimal | None, field: str) -> Decimal:
    return Decimal(0) if value is None or value == "" else parse(value, field, Decimal(0), Decimal(100))


class Rates:
    """Converts into the base currency with the configured rates; an unknown currency is bad input."""

    def __init__(self, base: str, rates: dict[str, Decimal]) -> None:
        self.base = base
        self.rates = {**rates, base: Decimal(1)}

    def check(self, code: str, field: str = "currency") -> str:
        if code not in self.rates:
            raise BadInput(field=field, reason=f"one of {', '.join(sorted(self.rates))}")
        return code

    def to_base(self, amount: Decimal, code: str) -> Decimal:
        return cents(amount * self.rates[self.check(code)])
