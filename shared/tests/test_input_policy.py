"""The input policy's rules, one by one, without I/O: each refusal is BAD_USER_INPUT naming the field."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLID,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLString,
)
from sqlalchemy import Column, Integer, MetaData, Numeric, String, Table, Uuid
from sqlmodel.sql.sqltypes import AutoString

from crm_shared.db.pages import Order, check_page_size, decode_cursor, encode_cursor
from crm_shared.errors import BadInput, NotFound
from crm_shared.graphql.inputs import _checked, check_value
from crm_shared.http.inputs import check_body, check_query
from crm_shared.i18n import MESSAGES, register, translate
from crm_shared.validate import (
    choice,
    currency_code,
    date_of,
    decimal_of,
    field_name,
    fits,
    items,
    like_pattern,
    no_controls,
    note,
    optional_text,
    phone,
    required_text,
    resident_id,
    uuid_of,
    web_link,
    website,
)


def refused(call, *args, **kwargs) -> BadInput:
    with pytest.raises(BadInput) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("text", ["a\x00b", "\x07", "x\x1b[31m", "\x7f", "\x85", "\ud800"])
def test_control_characters_are_refused_naming_the_field(text):
    error = refused(no_controls, text, "name")

    assert (error.key, error.field) == ("control_characters", "name")
    assert error.message("zh-CN") == "字段“name”包含控制字符（如 U+0000）或不允许的换行"


def test_tab_and_line_breaks_are_text_only_where_several_lines_are_allowed():
    assert note("第一行\n\t第二行", "notes", 100) == "第一行\n\t第二行"
    assert refused(required_text, "华为\n技术", "name", 200).key == "control_characters"


@pytest.mark.parametrize("name", ["\u202egnp.exe", "华为\u202d技术", "a\u2066b\u2069", "\u202a华为"])
def test_a_name_that_would_show_other_than_written_is_refused_while_a_note_keeps_its_direction_marks(name):
    error = refused(required_text, name, "name", 200)
    assert (error.key, error.field) == ("direction_controls", "name")
    assert error.message("zh-CN") == "字段“name”包含改变文字显示方向的控制字符（U+202A–U+202E、U+2066–U+2069）"
    assert note(f"مرحبا {name}", "notes", 100) == f"مرحبا {name}"


@pytest.mark.parametrize(
    "name", ["星辰\u200b科技", "星辰\u00ad科技", "星\u2060辰", "\ufeff星辰", "星\u034f辰", "星辰\U000e0041", "a\u2063b"]
)
def test_a_name_hiding_a_character_that_shows_nothing_is_refused_while_a_note_keeps_it(name):
    error = refused(required_text, name, "name", 200)

    assert (error.key, error.field) == ("format_characters", "name")
    assert error.message("zh-CN") == "字段“name”包含不显示的格式字符（如 U+200B 零宽空格、U+00AD 软连字符）"
    assert error.message("en") == (
        "Field 'name' contains characters that show nothing (such as U+200B zero width space or U+00AD soft hyphen)"
    )
    assert refused(optional_text, name, "city", 50).key == "format_characters"
    assert note(name, "notes", 100) == name


@pytest.mark.parametrize(
    "name", ["👩\u200d💻 团队", "می\u200cخواهم", "ABC\u200e (中国)", "شركة\u061c 2", "❤\ufe0f 花店"]
)
def test_joiners_direction_marks_and_variation_selectors_stay_in_a_name(name):
    assert required_text(name, "name", 200) == name


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3164", "\u2800 \u2800", "\u00a0\u3000", "\u200d\ufeff"])
def test_a_name_of_only_invisible_characters_is_refused(name):
    assert refused(required_text, name, "name", 200).key in ("invisible_text", "required_field")


def test_over_long_text_is_refused_not_cut():
    error = refused(required_text, "长" * 201, "name", 200)

    assert (error.key, error.params) == ("too_long", {"maximum": 200})
    assert required_text("  华为技术有限公司 ", "name", 200) == "华为技术有限公司"
    assert optional_text("   ", "city", 50) is None
    assert refused(note, "x" * 501, "reason", 500).key == "too_long"


def test_full_width_phone_digits_are_the_same_phone():
    assert phone("１３８ ００１３ ８０００") == "13800138000"
    assert phone("+86 138-0013-8000") == "13800138000"
    assert refused(phone, "١٣٨٠٠١٣٨٠٠٠").key == "invalid_phone"  # digits, but not ones a phone network dials
    assert refused(phone, "123").key == "invalid_phone"


def test_the_international_prefix_00_is_read_as_plus():
    assert phone("0086 139 0000 4321") == phone("+86 139 0000 4321") == "13900004321"
    assert phone("00 1 415 555 0100") == phone("+1 415 555 0100") == "14155550100"
    assert phone("010-1234 5678") == "01012345678"  # a trunk 0 and an area code: no international prefix


def test_resident_id_numbers_carry_their_gb_11643_check_digit():
    assert resident_id("11010519491231002x") == "11010519491231002X"
    assert resident_id("110101199003074477") == "110101199003074477"
    assert resident_id("  ") is None
    for wrong in ("110101199003074478", "11010119900307447", "110101199002304477", "11010519491231002Y"):
        error = refused(resident_id, wrong)
        assert (error.key, error.field) == ("invalid_id_number", "idNumber"), wrong


@pytest.mark.parametrize(
    "link",
    [
        "http://",
        "https:// example.com",
        "https://exa mple.com/a",
        "javascript:x",
        "ftp://a.b",
        "http://[abc",
        "http://a.cn:99999",
    ],
)
def test_a_link_is_an_http_address_with_a_host_and_no_spaces(link):
    assert refused(web_link, link, "link").key == "invalid_link"


@pytest.mark.parametrize("site", ["www.dji.com", "https://www.dji.com/cn", "http://dji.com:8080/a?b=1", "大疆.中国"])
def test_a_website_is_kept_as_people_write_it(site):
    assert website(site) == site


@pytest.mark.parametrize(
    "site",
    [
        "javascript:alert(1)",
        "JavaScript://x.com/%0aalert(1)",
        "data:text/html,x",
        "ftp://dji.com",
        "dji",
        "a b.com",
        "[abc",
    ],
)
def test_a_website_that_is_no_web_address_is_refused_naming_the_field(site):
    error = refused(website, site, "website")
    assert (error.key, error.field) == ("invalid_link", "website")


def test_ids_are_uuids():
    value = uuid.uuid4()
    assert uuid_of(str(value), "accountId") == value
    assert uuid_of(value.hex, "kid") == value
    for wrong in ("abc", "", "1" * 1000, None, 12.5):
        assert (refused(uuid_of, wrong, "accountId").key, refused(uuid_of, wrong, "accountId").field) == (
            "malformed_id",
            "accountId",
        )


def test_impossible_dates_are_refused():
    assert date_of("2028-02-29", "closeDate") == dt.date(2028, 2, 29)
    assert refused(date_of, "2026-02-30", "closeDate").key == "invalid_date"
    assert refused(date_of, "tomorrow", "closeDate").field == "closeDate"


def test_amounts_must_fit_numeric_18_2():
    assert decimal_of("9999999999999999.99", "amount") == Decimal("9999999999999999.99")
    for wrong in ("100000000000000000", "-10,000,000,000,000,000", Decimal("1E+17")):
        assert refused(decimal_of, wrong, "amount").key == "out_of_range", wrong
    assert not fits(Decimal("9999999999999999.995"))


def test_a_decimal_is_written_plainly_or_with_commas_between_thousands():
    for written, read in (
        ("12800.50", "12800.50"),
        ("12,800.50", "12800.50"),
        (" -1,000,000 ", "-1000000"),
        ("007", "7"),
        (Decimal("2.5"), "2.5"),
        (12, "12"),
    ):
        assert decimal_of(written, "amount") == Decimal(read), written
    for wrong in (
        "1,,,,",
        "1,000.5,5",
        "1,00",
        "12,80x",
        "0,100",
        ",100",
        "1.000,50",
        "1e17",
        "1E-2",
        "NaN",
        "Infinity",
        "+5",
        ".5",
        "5.",
        "１２",
        "",
        "twelve",
        Decimal("NaN"),
        1e17,
    ):
        error = refused(decimal_of, wrong, "amount")
        assert (error.key, error.field, error.message("zh-CN")) == (
            "not_a_number",
            "amount",
            "字段“amount”不是有效的数字（如 12800.50）",
        ), wrong


def test_more_decimals_than_a_column_keeps_are_refused_never_rounded():
    assert decimal_of("12.340", "amount") == Decimal("12.34")  # trailing zeros lose nothing
    assert decimal_of("2.1234", "quantity", 14, 4) == Decimal("2.1234")
    for wrong in ("0.001", "12.345", "1,000.505", Decimal("0.001")):
        error = refused(decimal_of, wrong, "amount")
        assert (error.key, error.field, error.params, error.message("en"), error.message("zh-CN")) == (
            "decimal_places",
            "amount",
            {"places": 2},
            "Field 'amount' allows at most 2 decimal places",
            "字段“amount”最多保留 2 位小数",
        ), wrong
    assert refused(decimal_of, "2.12345", "quantity", 14, 4).params == {"places": 4}


def test_lists_have_a_limit():
    assert items(["a"] * 50, "tags", 50) == ["a"] * 50
    error = refused(items, ["a"] * 51, "tags", 50)
    assert (error.key, error.field, error.params) == ("too_many_items", "tags", {"maximum": 50})


def test_like_wildcards_are_escaped():
    assert like_pattern("100%") == "%100\\%%"
    assert like_pattern("a_b\\c") == "%a\\_b\\\\c%"


def test_a_forged_cursor_is_refused_naming_the_field():
    for forged in (
        "not base64!",
        "bm90LWpzb24",
        encode_cursor("notes", [1, 2]),
        encode_cursor("tasks", [1]),
        "x" * 5000,
    ):
        error = refused(decode_cursor, forged, "notes", 1, "after")
        assert (error.key, error.field) == ("malformed_cursor", "after"), forged


TABLE = Table(
    "t",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("n", Numeric(18, 2)),
    Column("s", String),
    Column("i", Integer),
    Column("name", AutoString, nullable=False),
)


def test_cursor_values_are_checked_against_their_columns():
    order = Order.by(TABLE.c.n, TABLE.c.s, TABLE.c.i, TABLE.c.id)
    good = [str(Decimal("1.50")), "text", 3, str(uuid.uuid4())]
    order.after(encode_cursor(order.name, good), "cursor")
    order.after(encode_cursor(order.name, [None, None, None, good[3]]), "cursor")  # nullable columns' nulls
    for forged in (
        ["1e999", "a", 1, good[3]],
        ["1", "a\x00", 1, good[3]],
        ["1", "a", 2**70, good[3]],
        ["1", "a", 1, "x"],
        ["1", "a", 1, None],
        ["1", "a", 1, 7],
    ):
        assert refused(order.after, encode_cursor(order.name, forged), "cursor").field == "cursor", forged


@pytest.mark.parametrize("name", ["a\x00", "\ud800", "\x1b[31m", None, 12, ["a"]])
def test_a_cursor_naming_a_sqlmodel_text_that_no_input_could_hold_is_refused(name):
    """A model's `str` field is SQLModel's AutoString, a type decorator over String: held to the same text policy."""
    order = Order.by(TABLE.c.name, TABLE.c.id)
    order.after(encode_cursor(order.name, ["华为", str(uuid.uuid4())]))

    error = refused(order.after, encode_cursor(order.name, [name, str(uuid.uuid4())]))
    assert (error.key, error.field) == ("malformed_cursor", "after")


def test_a_cursor_belongs_to_its_list_and_its_order():
    by_name, by_n = Order.by(TABLE.c.name, TABLE.c.id), Order.by(TABLE.c.n, TABLE.c.id)
    backwards = Order.by(TABLE.c.name, TABLE.c.id, descending=True)
    elsewhere = Table("u", MetaData(), Column("id", Uuid, primary_key=True), Column("name", AutoString))
    key = ["华为", str(uuid.uuid4())]

    assert len({by_name.name, by_n.name, backwards.name, Order.by(elsewhere.c.name, elsewhere.c.id).name}) == 4
    assert by_name.name == Order.by(TABLE.c.name, TABLE.c.id).name  # the same order in another process too
    for other in (backwards, Order.by(elsewhere.c.name, elsewhere.c.id)):
        assert refused(by_name.after, encode_cursor(other.name, key), "after").key == "malformed_cursor"
    assert refused(by_n.after, encode_cursor(by_n.name, key), "after").key == "malformed_cursor"


ACCOUNT_INPUT = GraphQLInputObjectType(
    "AccountInput",
    {
        "name": GraphQLInputField(GraphQLString),
        "ownerId": GraphQLInputField(GraphQLID),
        "tags": GraphQLInputField(GraphQLList(GraphQLNonNull(GraphQLString))),
    },
)


def test_every_graphql_argument_is_walked_by_its_type():
    check_value({"name": "华为", "ownerId": str(uuid.uuid4()), "tags": ["a"]}, ACCOUNT_INPUT, [], "input")

    assert refused(check_value, {"name": "a\x00"}, ACCOUNT_INPUT, [], "input").field == "name"
    assert refused(check_value, {"ownerId": "x"}, ACCOUNT_INPUT, [], "input").field == "ownerId"
    assert refused(check_value, {"tags": ["ok", "b\x00"]}, ACCOUNT_INPUT, [], "input").field == "tags[1]"
    assert refused(check_value, {"tags": ["t"] * 1001}, ACCOUNT_INPUT, [], "input").key == "too_many_items"
    assert refused(check_value, Decimal("1e17"), None, ["amount"], "amount").key == "out_of_range"
    assert refused(check_value, "abc", GraphQLNonNull(GraphQLID), ["id"], "id").key == "malformed_id"
    check_value("sales_rep", GraphQLNonNull(GraphQLID), ["key"], "key")  # a role's key is an ID, not a row's
    rules = GraphQLInputObjectType("Rules", {"groups": GraphQLInputField(GraphQLList(ACCOUNT_INPUT))})
    resolver = _checked({"rules": GraphQLArgument(rules), "input": GraphQLArgument(ACCOUNT_INPUT)}, lambda *_, **__: 1)
    inside = refused(resolver, None, None, rules={"groups": [{}, {"name": "a\x07"}]})
    assert inside.field == "rules.groups[1].name"  # only `input` and `filter` leave their own name out
    assert refused(resolver, None, None, input={"name": "a\x07"}).field == "name"
    naive = refused(check_value, dt.datetime(2026, 12, 20, 9), None, ["until"], "until")
    assert (naive.key, naive.field, naive.message("zh-CN")) == (
        "needs_time_zone",
        "until",
        "字段“until”须带时区偏移，如 2026-12-20T09:00:00+08:00",
    )
    check_value(dt.datetime(2026, 12, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), None, ["until"], "until")


def test_every_rest_body_and_query_is_walked():
    check_body(b'{"name": "\\u534e\\u4e3a", "lines": [{"quantity": "2"}], "notes": "a\\nb"}')
    check_query(b"search=%E5%8D%8E%E4%B8%BA&limit=20")

    assert refused(check_body, b'{"lines": [{"note": "a\\u0000"}]}').field == "lines[0].note"
    huge = refused(check_body, b'{"input": {"score": 1e30}}')
    assert (huge.key, huge.field, huge.message("zh-CN")) == (
        "number_too_large",
        "input.score",
        "字段“input.score”：数值过大",
    )
    assert refused(check_body, b'{"amount": NaN}').field == "body"
    assert refused(check_body, b"\xff\xfe").field == "body"
    assert refused(check_query, b"search=a%00b").field == "search"


def nested(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def test_a_free_form_json_value_nested_too_deeply_is_refused_naming_its_field():
    definition = GraphQLInputObjectType("WorkflowInput", {"definition": GraphQLInputField(GraphQLScalarType("JSON"))})
    check_value({"definition": nested(32)}, definition, [], "input")
    check_body(json.dumps({"definition": nested(32)}).encode())

    error = refused(check_value, {"definition": nested(33)}, definition, [], "input")
    assert (error.key, error.field, error.params) == ("too_deep", "definition", {"maximum": 32})
    assert error.message("zh-CN") == "字段“definition”嵌套过深：最多 32 层"
    assert refused(check_value, nested(5000), GraphQLScalarType("JSON"), ["sampleEvent"], "sampleEvent").field == (
        "sampleEvent"
    )
    assert refused(check_body, json.dumps({"filters": [nested(800)]}).encode()).field == "filters"
    assert refused(check_body, json.dumps([nested(40)]).encode()).field == "body"


def test_field_names_follow_the_services_convention():
    assert field_name(["lines", 0, "quantity"]) == "lines[0].quantity"
    assert field_name([]) == ""


def test_every_policy_message_exists_in_both_languages():
    for key in (
        "control_characters",
        "format_characters",
        "invisible_text",
        "too_long",
        "too_many_items",
        "invalid_phone",
    ):
        assert translate(key, "en", field="f", maximum=1) != translate(key, "zh-CN", field="f", maximum=1)
    for key in ("invalid_id_number", "malformed_id", "malformed_cursor", "invalid_date", "not_a_number"):
        assert translate(key, "en", field="f") != translate(key, "zh-CN", field="f")


@pytest.mark.parametrize(
    ("key", "params", "en", "zh"),
    [
        (
            "only_from",
            {"choices": "name, phone"},
            "Field 'f' may only hold values from: name, phone",
            "字段“f”只能包含以下值：name, phone",
        ),
        ("not_before", {"other": "dueFrom"}, "Field 'f' must not be before 'dueFrom'", "字段“f”不能早于“dueFrom”"),
        ("later_than", {"other": "startDate"}, "Field 'f' must be after 'startDate'", "字段“f”须晚于“startDate”"),
        ("date_in_past", {}, "Field 'f' cannot be a date in the past", "字段“f”不能早于今天"),
        ("date_in_future", {}, "Field 'f' cannot be a date in the future", "字段“f”不能晚于今天"),
        (
            "identifier",
            {},
            "Field 'f' must start with a lowercase letter and hold only lowercase letters, digits and _",
            "字段“f”须以小写字母开头，且只能包含小写字母、数字和下划线",
        ),
        (
            "currency_code",
            {},
            "Field 'f' must be a three-letter ISO 4217 currency code such as CNY",
            "字段“f”须为三位 ISO 4217 货币代码，如 CNY",
        ),
        ("json_object", {}, "Field 'f' must be a JSON object", "字段“f”须为 JSON 对象"),
    ],
)
def test_each_shared_refusal_reads_in_both_languages_with_its_params(key, params, en, zh):
    error = BadInput(key, field="f", **params)
    said = (error.message("en"), error.message("zh-CN"))
    assert said == (en, zh)
    assert "{" not in "".join(said)


def test_a_value_outside_its_choices_or_a_page_size_past_its_bound_is_refused_in_the_callers_language():
    level = refused(choice, "E", "level", ("A", "B"))
    assert (level.field, level.message("en"), level.message("zh-CN")) == (
        "level",
        "Field 'level' must be one of: A, B",
        "字段“level”须为以下之一：A, B",
    )
    first = refused(check_page_size, 51, 50)
    assert (first.field, first.message("en"), first.message("zh-CN")) == (
        "first",
        "Field 'first' must be between 1 and 50",
        "字段“first”须在 1 到 50 之间",
    )


def test_a_record_not_found_is_named_as_people_call_it():
    missing = NotFound(entity="WebhookSubscription")
    assert (missing.message("zh-CN"), missing.message("en")) == ("未找到Webhook 订阅", "Webhook subscription not found")
    assert missing.extensions() == {"code": "NOT_FOUND", "entity": "WebhookSubscription"}
    assert NotFound(entity="Gadget").message("zh-CN") == "未找到Gadget"  # a record the table does not name


def test_a_service_cannot_reword_another_catalogues_message():
    with pytest.raises(ValueError, match="required_field"):
        register({"required_field": {"en": "Fill in '{field}'", "zh-CN": "请填写“{field}”"}})
    assert translate("required_field", "en", field="name") == "Field 'name' is required"
    register({"required_field": MESSAGES["required_field"]})  # the same wording again is harmless


def test_a_currency_is_an_active_iso_4217_code_whatever_its_case():
    assert (currency_code(" usd "), currency_code(None), currency_code("xcg"), currency_code("", default="HKD")) == (
        "USD",
        "CNY",
        "XCG",
        "HKD",
    )
    for code in ("QQQ", "ZZZ", "XXX", "1$", "US", "DEM"):
        wrong = refused(currency_code, code, "budgetCurrency")
        assert (wrong.field, wrong.message("en"), wrong.message("zh-CN")) == (
            "budgetCurrency",
            "Field 'budgetCurrency' must be a three-letter ISO 4217 currency code such as CNY",
            "字段“budgetCurrency”须为三位 ISO 4217 货币代码，如 CNY",
        )
