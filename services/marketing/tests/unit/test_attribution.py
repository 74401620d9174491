"""The attribution models as pure rules: who gets what of a won deal's revenue, to the cent."""

import uuid
from decimal import Decimal

from marketing.performance.attribution import Model, attribute, roi

A, B, C, D = (uuid.uuid4() for _ in range(4))


def test_one_touch_takes_everything_under_every_model():
    for model in Model:
        assert attribute(model, [A], Decimal("1000.00")) == {A: Decimal("1000.00")}


def test_first_and_last_touch_give_all_to_one_end():
    assert attribute(Model.FIRST_TOUCH, [A, B, C], Decimal("900")) == {A: Decimal("900.00")}
    assert attribute(Model.LAST_TOUCH, [A, B, C], Decimal("900")) == {C: Decimal("900.00")}


def test_linear_shares_equally_per_touch_and_adds_up_to_the_cent():
    assert attribute(Model.LINEAR, [A, B, C], Decimal("100.00")) == {
        A: Decimal("33.34"),
        B: Decimal("33.33"),
        C: Decimal("33.33"),
    }
    assert attribute(Model.LINEAR, [A, B, A, C], Decimal("1000")) == {
        A: Decimal("500.00"),
        B: Decimal("250.00"),
        C: Decimal("250.00"),
    }


def test_u_shaped_gives_forty_to_each_end_and_twenty_to_the_middle():
    assert attribute(Model.U_SHAPED, [A, B, C, D], Decimal("1000")) == {
        A: Decimal("400.00"),
        B: Decimal("100.00"),
        C: Decimal("100.00"),
        D: Decimal("400.00"),
    }
    assert attribute(Model.U_SHAPED, [A, B], Decimal("1000")) == {A: Decimal("500.00"), B: Decimal("500.00")}
    assert attribute(Model.U_SHAPED, [A, B, A], Decimal("1000")) == {A: Decimal("800.00"), B: Decimal("200.00")}


def test_shares_always_add_up_to_the_revenue():
    touches = [A, B, C, D, B, C, A]
    for model in Model:
        assert sum(attribute(model, touches, Decimal("99999.99")).values()) == Decimal("99999.99")


def test_no_touches_attribute_nothing():
    assert attribute(Model.LINEAR, [], Decimal("1000")) == {}


def test_roi_is_none_without_cost():
    assert roi(Decimal("150000"), Decimal("50000")) == Decimal("2.0000")
    assert roi(Decimal("0"), Decimal("1000")) == Decimal("-1.0000")
    assert roi(Decimal("150000"), Decimal("0")) is None
