"""Values their GraphQL types refuse, in variables or written in the query: BAD_USER_INPUT naming the innermost field,
in the caller's language, worded as the gateway words the same refusal (`refusal` in gateway/gateway.config.ts)."""

from typing import Any

from graphql import build_schema, parse, validate

from crm_shared.graphql.inputs import literal_error, variable_error

SCHEMA = build_schema(
    """
    enum TicketType { INQUIRY FAULT }
    input Line { quantity: Int! price: Int! note: String }
    input CreateTicketInput { subject: String! type: TicketType! = INQUIRY lines: [Line!] tags: [String!] }
    type Query { tickets(first: Int, type: TicketType): Int }
    type Mutation { createTicket(input: CreateTicketInput!): Int }
    """
)
CREATE = "mutation($i: CreateTicketInput!) { createTicket(input: $i) }"


def refused(query: str, variables: dict[str, Any] | None = None, locale: str = "zh-CN") -> tuple[str, dict[str, Any]]:
    document = parse(query)
    errors = validate(SCHEMA, document)
    error = literal_error(SCHEMA, document, errors[0]) if errors else variable_error(SCHEMA, document, None, variables)
    assert error is not None, query
    return error.message(locale), error.extensions()


def test_a_value_its_type_refuses_names_the_innermost_field_in_the_callers_language():
    lines = [{"quantity": 1, "price": 1}, {"quantity": "two", "price": 1}]

    assert refused(CREATE, {"i": {"subject": "s", "lines": lines}}) == (
        "字段“lines[1].quantity”的值无效：应为 Int 类型",
        {"code": "BAD_USER_INPUT", "field": "lines[1].quantity", "type": "Int"},
    )
    assert refused(CREATE, {"i": {"subject": "s", "lines": lines}}, "en")[0] == (
        "Invalid value for field 'lines[1].quantity': expected Int"
    )
    assert refused("query($n: Int) { tickets(first: $n) }", {"n": "x"})[1]["field"] == "first"
    assert refused(CREATE, {"i": "s"})[1] == {"code": "BAD_USER_INPUT", "field": "input", "type": "CreateTicketInput"}


def test_a_required_field_left_out_or_null_is_required_at_its_own_name():
    assert refused(CREATE, {"i": {"tags": ["a"]}}) == (
        "字段“subject”为必填项",
        {"code": "BAD_USER_INPUT", "field": "subject"},
    )
    assert refused(CREATE, {"i": {"subject": None}})[1]["field"] == "subject"
    assert refused(CREATE, {"i": {"subject": "s", "lines": [{"price": 1}]}})[1]["field"] == "lines[0].quantity"
    assert refused(CREATE, {"i": {"subject": "s", "tags": [None]}}) == (
        "字段“tags[0]”为必填项",
        {"code": "BAD_USER_INPUT", "field": "tags[0]"},
    )


def test_a_variable_left_out_or_null_is_required_at_the_argument_it_fills():
    assert refused(CREATE, {}) == ("字段“input”为必填项", {"code": "BAD_USER_INPUT", "field": "input"})
    assert refused(CREATE, {"i": None}) == ("字段“input”为必填项", {"code": "BAD_USER_INPUT", "field": "input"})


def test_an_unknown_field_is_named_by_itself():
    assert refused(CREATE, {"i": {"subject": "s", "bogus": 1}}, "en") == (
        "Field 'bogus' is not one this request takes",
        {"code": "BAD_USER_INPUT", "field": "bogus"},
    )


def test_a_name_its_enum_does_not_have_is_answered_with_the_names_it_has():
    expected = {"code": "BAD_USER_INPUT", "field": "type", "choices": "INQUIRY, FAULT"}

    assert refused(CREATE, {"i": {"subject": "s", "type": "NOPE"}}) == (
        "字段“type”须为以下之一：INQUIRY, FAULT",
        expected,
    )
    assert refused("{ tickets(type: NOPE) }") == ("字段“type”须为以下之一：INQUIRY, FAULT", expected)


def test_values_written_in_the_query_are_named_as_in_variables():
    assert refused('mutation { createTicket(input: {subject: "s", lines: [{quantity: "2", price: 1}]}) }')[1] == {
        "code": "BAD_USER_INPUT",
        "field": "lines[0].quantity",
        "type": "Int",
    }
    assert refused("mutation { createTicket(input: {tags: []}) }")[1]["field"] == "subject"
    assert refused("mutation { createTicket(input: {subject: null}) }")[1] == {
        "code": "BAD_USER_INPUT",
        "field": "subject",
    }
    # a field given by a variable is not left out
    given = refused('mutation($q: Int!) { createTicket(input: {subject: "s", lines: [{quantity: $q}]}) }')
    assert given[1]["field"] == "lines[0].price"
