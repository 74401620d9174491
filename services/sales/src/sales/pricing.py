"""One pricing rule for quote and opportunity lines: the price an account pays, less the line discount, to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sales.money import cents


@dataclass(frozen=True)
class Book:
    """What a price book says about one product: its own entry, else a discount off the list price."""

    entry: Decimal | None
    discount_percent: Decimal


def unit_price(list_price: Decimal, given: Decimal | None, book: Book | None) -> Decimal:
    """The line's own price; else the account's price book; else the list price. Always in cents, half-up."""
    if given is not None:
        return cents(given)
    if book is None:
        return cents(list_price)
    if book.entry is not None:
        return cents(book.entry)
    return cents(list_price * (1 - book.discount_percent / 100))


def line_total(quantity: Decimal, price: Decimal, discount_percent: Decimal) -> Decimal:
    """Quantity at the unit price less the line discount, rounded half-up to the cent per line."""
    return cents(quantity * price * (1 - discount_percent / 100))
