"""Attribution models without I/O: how a won opportunity's revenue is shared among the campaigns that touched
its account before the win.

Touches are weighed one by one, oldest first, and a campaign's share is the sum of its touches' weights:
- first touch: all to the first; last touch: all to the last;
- linear: the same to every touch;
- U-shaped: 40 % to the first, 40 % to the last, 20 % shared by those between (two touches: half each).
Amounts are cut to the cent and the cents left over go to the largest remainders, so the shares add up to
the revenue exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

CENT = Decimal("0.01")


class Model(StrEnum):
    FIRST_TOUCH = "first_touch"
    LAST_TOUCH = "last_touch"
    LINEAR = "linear"
    U_SHAPED = "u_shaped"


def weights(model: Model, touches: int) -> list[Fraction]:
    """Each touch's part of the revenue, oldest first; they add up to 1 (or nothing without touches)."""
    if touches == 0:
        return []
    if touches == 1:
        return [Fraction(1)]
    if model is Model.FIRST_TOUCH:
        return [Fraction(1)] + [Fraction(0)] * (touches - 1)
    if model is Model.LAST_TOUCH:
        return [Fraction(0)] * (touches - 1) + [Fraction(1)]
    if model is Model.LINEAR:
        return [Fraction(1, touches)] * touches
    if touches == 2:
        return [Fraction(1, 2)] * 2
    middle = Fraction(1, 5) / (touches - 2)
    return [Fraction(2, 5)] + [middle] * (touches - 2) + [Fraction(2, 5)]


def attribute(model: Model, campaigns: Sequence[uuid.UUID], revenue: Decimal) -> dict[uuid.UUID, Decimal]:
    """`revenue` shared among the campaigns of the touches (`campaigns`, oldest first), to the cent."""
    exact: dict[uuid.UUID, Fraction] = {}
    for campaign, weight in zip(campaigns, weights(model, len(campaigns)), strict=True):
        exact[campaign] = exact.get(campaign, Fraction(0)) + weight * Fraction(revenue)
    cents = {c: (Decimal(v.numerator) / Decimal(v.denominator)).quantize(CENT, ROUND_DOWN) for c, v in exact.items()}
    left = int((revenue.quantize(CENT, ROUND_DOWN) - sum(cents.values(), Decimal(0))) / CENT)
    by_remainder = sorted(exact, key=lambda c: (-(exact[c] - Fraction(cents[c])), campaigns.index(c)))
    for campaign in by_remainder[:left]:
        cents[campaign] += CENT
    return {c: v for c, v in cents.items() if v or len(exact) == 1}


def roi(revenue: Decimal, cost: Decimal) -> Decimal | None:
    """(attributed revenue − cost) / cost, to four places; none when nothing was spent."""
    if cost == 0:
        return None
    return ((revenue - cost) / cost).quantize(Decimal("0.0001"))
