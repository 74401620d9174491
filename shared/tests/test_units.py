"""Pure rules of the platform library: data scopes, cursors, languages, errors."""

import uuid

import pytest

from crm_shared.auth import DataScope, Principal
from crm_shared.db.pages import decode_cursor, encode_cursor
from crm_shared.errors import BadInput, NotFound
from crm_shared.i18n import negotiate

ME, OTHER = uuid.uuid4(), uuid.uuid4()
TEAM, CHILD, ELSEWHERE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def principal(scope: DataScope, perms=("customer:*",)) -> Principal:
    return Principal(
        user_id=ME,
        permissions=frozenset(perms),
        scopes={"customer:account": scope},
        unit_id=TEAM,
        subtree_unit_ids=frozenset({CHILD}),
    )


@pytest.mark.parametrize(
    ("scope", "owner", "unit", "allowed"),
    [
        (DataScope.OWN, ME, ELSEWHERE, True),
        (DataScope.OWN, OTHER, TEAM, False),
        (DataScope.UNIT, OTHER, TEAM, True),
        (DataScope.UNIT, OTHER, CHILD, False),
        (DataScope.SUBTREE, OTHER, CHILD, True),
        (DataScope.SUBTREE, OTHER, ELSEWHERE, False),
        (DataScope.ALL, OTHER, ELSEWHERE, True),
    ],
)
def test_data_scope_decides_which_records_a_caller_reaches(scope, owner, unit, allowed):
    p = principal(scope)
    assert p.may_access("customer:account", owner, unit) is allowed
    if not allowed:
        with pytest.raises(NotFound):
            p.check_access("customer:account", owner, unit, entity="Account")


def test_permission_wildcards():
    p = principal(DataScope.OWN, perms=("customer:*", "sales:lead:read"))
    assert p.can("customer:account:delete")
    assert p.can("sales:lead:read")
    assert not p.can("sales:lead:delete")
    assert not p.can("identity:user:create")


def test_cursor_round_trip_and_bad_cursor_names_the_field():
    values = ["2026-11-22T10:00:00+00:00", str(ME)]
    assert decode_cursor(encode_cursor("notes", values), "notes", 2) == values
    with pytest.raises(BadInput) as err:
        decode_cursor("not-a-cursor!", "notes", 2)
    assert err.value.field == "after"
    assert "after" in err.value.message("zh-CN") and "after" in err.value.message("en")


@pytest.mark.parametrize(
    ("header", "locale"),
    [("zh-CN,zh;q=0.9", "zh-CN"), ("en-US", "en"), ("zh-TW", "zh-CN"), (None, "en"), ("fr", "en")],
)
def test_language_negotiation(header, locale):
    assert negotiate(header) == locale
