"""The input policy on every GraphQL argument of every subgraph, so that no resolver can forget it.

Values that do not coerce (2026-02-30 as a Date, "abc" as a Decimal), in variables or written in the
query, answer BAD_USER_INPUT naming the argument or input field they fill (never the variable) instead of
an internal or a bare validation error; then every argument a resolver receives, inline or from
variables, is walked once: no control characters in any text, every `ID` naming a row (`id`,
`accountId`, an entity representation's `id`) a UUID, every decimal finite and within numeric(18, 2),
every DateTime with its time-zone offset, every list at most `MAX_ITEMS` long (or the maximum its input field
declares, `strawberry.field(metadata={MAX_ITEMS_KEY: 100})`), every free-form JSON value at most `MAX_NESTING`
levels deep.
Rules only a service knows (a name's length, a phone) stay in its service layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

from graphql import (
    BREAK,
    ArgumentNode,
    ExecutionResult,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLError,
    GraphQLFieldResolver,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    ListValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    default_field_resolver,
    get_named_type,
    get_nullable_type,
    is_input_type,
    is_leaf_type,
    is_non_null_type,
    is_required_input_field,
    visit,
)
from graphql.pyutils import Undefined
from graphql.utilities import (
    get_operation_ast,
    type_from_ast,
    validate_input_value,
    value_from_ast,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from crm_shared.errors import BadInput
from crm_shared.validate import (
    MAX_ITEMS,
    aware,
    field_name,
    fits,
    items,
    largest,
    no_controls,
    on_the_calendar,
    shallow,
    uuid_of,
)

Path = list[str | int]


# arguments whose input object's fields the services name on their own (`name`, not `input.name`); any other
# argument's are named under it (`rules.groups[1]`)
WRAPPERS = ("input", "filter")
MAX_ITEMS_KEY = "max_items"  # an input field's metadata: its lists' own maximum, said when a longer one is refused


def _named(path: Path, top: str) -> str:
    """The field a path names; the argument or variable itself when it holds an input object."""
    return field_name(path) or top


def _type_at(type_: Any, path: Path) -> GraphQLNamedType | None:
    """The named type at `path`; list positions are no step (a value given alone fills a list of one)."""
    current = get_named_type(type_)
    for part in path:
        if isinstance(part, str):
            fields = current.fields if isinstance(current, GraphQLInputObjectType) else {}
            if part not in fields:
                return None
            current = get_named_type(fields[part].type)
    return current


def _value_at(value: Any, path: Path) -> Any:
    """The part of a variable's value at `path` (where validation found it refused)."""
    for part in path:
        value = value[part] if isinstance(part, int) else value.get(part, Undefined)
    return value


def _refused(error: GraphQLError, type_: Any, path: Path, top: str, value: Any = Undefined) -> BadInput:
    """A value refused by its type at `path` under the argument `top`, named as `_named` names fields: null where a
    value is required, a required field left out or an unknown one, a name its enum does not have, else a value its
    type does not take (`value`, when known, tells which; the gateway answers the same)."""
    wrapper = isinstance(get_nullable_type(type_), GraphQLInputObjectType) and top in WRAPPERS

    def named(at: Path) -> str:
        return _named(at, top) if wrapper else field_name([top, *at])

    if value is None:
        return BadInput("required_field", field=named(path))
    leaf = _type_at(type_, path)
    if isinstance(leaf, GraphQLInputObjectType) and isinstance(value, dict):
        missing = next((n for n, f in leaf.fields.items() if is_required_input_field(f) and n not in value), None)
        if missing is not None:
            return BadInput("required_field", field=named([*path, missing]))
        unknown = next((key for key in value if key not in leaf.fields), None)
        if unknown is not None:
            return BadInput("unknown_field", field=named([*path, unknown]))
    if isinstance(leaf, GraphQLEnumType):
        return BadInput("one_of", field=named(path), choices=", ".join(leaf.values))
    if isinstance(leaf, GraphQLScalarType) or (isinstance(leaf, GraphQLInputObjectType) and value is not Undefined):
        return BadInput("expected_type", field=named(path), type=leaf.name)
    return BadInput(field=named(path), reason=error.message)


def _filling(document: Any, variable: str) -> str:
    """The argument or input field a variable is given to (its own name when it is given to none)."""
    named: list[str] = []

    class Uses(Visitor):
        def enter_variable(self, node: VariableNode, _key: Any, parent: Any, *_: Any) -> Any:
            if node.name.value == variable and isinstance(parent, ArgumentNode | ObjectFieldNode):
                named.append(parent.name.value)
                return BREAK
            return None

    visit(document, Uses())
    return named[0] if named else variable


def variable_error(
    schema: Any, document: Any, operation_name: str | None, variables: dict[str, Any]
) -> BadInput | None:
    """The first variable that does not coerce to its declared type, as BAD_USER_INPUT naming its field."""
    operation = get_operation_ast(document, operation_name) if document is not None else None
    for definition in (operation.variable_definitions or ()) if operation else ():
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if not is_input_type(type_):
            continue
        if name not in variables:
            if is_non_null_type(type_) and definition.default_value is None:
                return BadInput("required_field", field=_filling(document, name))
            continue
        found: list[tuple[GraphQLError, Path]] = []

        def collect(error: GraphQLError, path: Path, into: list[tuple[GraphQLError, Path]] = found) -> None:
            into.append((error, path))

        validate_input_value(variables[name], type_, collect, True)
        if found:
            error, path = found[0]
            return _refused(error, type_, path, _filling(document, name), _value_at(variables[name], path))
    return None


def _within(value: ValueNode, target: Any, path: Path) -> Path | None:
    """Where in a value written in the query `target` is: its path of input fields and list positions."""
    if value is target:
        return path
    if isinstance(value, ObjectValueNode):
        for field in value.fields:
            found = _within(field.value, target, [*path, field.name.value])
            if found is not None:
                return found
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            found = _within(item, target, [*path, index])
            if found is not None:
                return found
    return None


def _unparsed(value: ValueNode, type_: Any, path: Path) -> Path | None:
    """Where in a value written in the query a scalar or enum is one its type does not parse (a scalar's parser
    reports such a value without naming its node)."""
    kind = get_nullable_type(type_)
    if isinstance(value, VariableNode):
        return None
    if isinstance(kind, GraphQLList):
        values = value.values if isinstance(value, ListValueNode) else (value,)
        for index, item in enumerate(values):
            found = _unparsed(item, kind.of_type, [*path, index] if isinstance(value, ListValueNode) else path)
            if found is not None:
                return found
    elif isinstance(kind, GraphQLInputObjectType) and isinstance(value, ObjectValueNode):
        for field in value.fields:
            if field.name.value in kind.fields:
                found = _unparsed(field.value, kind.fields[field.name.value].type, [*path, field.name.value])
                if found is not None:
                    return found
    elif is_leaf_type(kind) and value_from_ast(value, kind) is Undefined:
        return path
    return None


def literal_error(schema: GraphQLSchema, document: Any, error: GraphQLError) -> BadInput | None:
    """A validation error on a value written in the query (its type refuses it), as BAD_USER_INPUT naming the
    argument or input field; None for any other validation error."""
    target = error.nodes[0] if error.nodes else None
    if isinstance(target, VariableNode) or (target is not None and not isinstance(target, ValueNode)):
        return None
    type_info = TypeInfo(schema)
    found: list[BadInput] = []

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
            argument = type_info.get_argument()
            if argument is None:
                return None
            path = _within(node.value, target, []) if target else _unparsed(node.value, argument.type, [])
            if path is None:
                return None
            value = value_from_ast_untyped(target) if isinstance(target, ValueNode) else Undefined
            found.append(_refused(error, argument.type, path, node.name.value, value))
            return BREAK

    visit(document, TypeInfoVisitor(type_info, Arguments()))
    return found[0] if found else None


def check_value(value: Any, type_: Any, path: Path, top: str, maximum: int = MAX_ITEMS) -> None:
    """Walk one argument's coerced value along its GraphQL type, refusing what the policy forbids."""
    if value is None:
        return
    kind = get_nullable_type(type_) if type_ is not None else None
    if isinstance(kind, GraphQLScalarType) and isinstance(value, list | tuple | dict):
        shallow(value, _named(path, top))  # a free-form JSON value: walked below, level by level
    if isinstance(value, list | tuple):
        items(value, _named(path, top), maximum)
        inner = kind.of_type if isinstance(kind, GraphQLList) else None
        for index, item in enumerate(value):
            check_value(item, inner, [*path, index], top)
    elif isinstance(value, dict):
        fields = kind.fields if isinstance(kind, GraphQLInputObjectType) else {}
        if isinstance(kind, GraphQLScalarType) and kind.name == "_Any" and "id" in value:
            uuid_of(value["id"], _named([*path, "id"], top))
        for key, item in value.items():
            no_controls(str(key), _named(path, top))
            field = fields.get(key)
            check_value(item, field.type if field else None, [*path, key], top, _most(field))
    else:
        _check_leaf(value, kind, _named(path, top))


def _most(field: GraphQLInputField | None) -> int:
    """The most entries a list in the input field may have: its own maximum (a service's tighter limit, which a
    list longer than `MAX_ITEMS` should hear of too), else `MAX_ITEMS`."""
    definition = field.extensions.get("strawberry-definition") if field is not None else None
    return int((getattr(definition, "metadata", None) or {}).get(MAX_ITEMS_KEY, MAX_ITEMS))


def is_row_id(field: str) -> bool:
    """`id`, `ids[0]`, `accountId`, `memberIds[0]`: ids of rows, which are UUIDs; a role's `key` or a key's
    `kid` are not."""
    name = field.rsplit(".", 1)[-1].split("[", 1)[0]
    return name in ("id", "ids") or name.endswith(("Id", "Ids"))


def _check_leaf(value: Any, kind: Any, field: str) -> None:
    if isinstance(value, str):
        no_controls(value, field)
        if isinstance(kind, GraphQLScalarType) and kind.name == "ID" and is_row_id(field):
            uuid_of(value, field)
    elif isinstance(value, Decimal) and not fits(value):
        raise BadInput("out_of_range", field=field, maximum=str(largest()))
    elif isinstance(value, dt.datetime):
        aware(value, field)
        try:
            value.astimezone(dt.UTC)
        except OverflowError as exc:
            raise BadInput("expected_type", field=field, type="DateTime") from exc
        on_the_calendar(value, field)
    elif isinstance(value, dt.date):
        on_the_calendar(value, field)


class InputPolicy(SchemaExtension):
    """Applies the input policy to variables before execution (`guard_arguments` to each field's arguments), and
    names the field of a value written in the query that validation refused."""

    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        errors = context.pre_execution_errors or []
        for index, error in enumerate(errors):
            problem = literal_error(context.schema._schema, context.graphql_document, error)
            if problem is not None:  # in place: the answer already holds this list
                errors[index] = GraphQLError(problem.message(), nodes=error.nodes, extensions=problem.extensions())

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context = self.execution_context
        schema = context.schema._schema
        problem = variable_error(schema, context.graphql_document, context.operation_name, context.variables or {})
        if problem is not None:
            context.result = ExecutionResult(None, [GraphQLError(problem.message(), original_error=problem)])
        yield


def guard_arguments(schema: GraphQLSchema) -> None:
    """Each field that takes arguments checks them before its resolver runs. The others keep their resolvers as
    they are: a hook around every field (each `id` and `name` of a page) cost a page of twenty accounts 3% of
    the service's processor time. Introspection's `__type(name:)` is no field of a type: the schema checks its
    one argument."""
    for kind in schema.type_map.values():
        if isinstance(kind, GraphQLObjectType) and not kind.name.startswith("__"):
            for field in kind.fields.values():
                if field.args:
                    field.resolve = _checked(field.args, field.resolve or default_field_resolver)


def _checked(arguments: dict[str, GraphQLArgument], resolve: GraphQLFieldResolver) -> GraphQLFieldResolver:
    def checked(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            argument = arguments.get(name)
            kind = argument.type if argument is not None else None
            wrapper = isinstance(get_nullable_type(kind), GraphQLInputObjectType) and name in WRAPPERS
            top: Path = [] if wrapper else [name]
            check_value(value, kind, top, name)
        return resolve(root, info, **kwargs)

    return checked


__all__ = [
    "MAX_ITEMS",
    "MAX_ITEMS_KEY",
    "InputPolicy",
    "check_value",
    "field_name",
    "guard_arguments",
    "variable_error",
]
