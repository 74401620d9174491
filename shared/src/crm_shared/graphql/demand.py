"""Demand control in every subgraph: tokens, depth, aliases and cost are limited before anything runs.

The subgraphs are reachable without the gateway, so they check what the gateway checks. The cost is
the gateway's (`operationCost` in `gateway/gateway.config.ts`, after the IBM/Apollo cost directives): every
field returning an object costs 1, times the sizes of the lists around it. A connection's `edges` hold
`first` items (the platform also marks each connection field `@listSize(slicingArguments: ["first"],
sizedFields: ["edges"])` in the SDL, for the tools that read it), `_entities` holds as many as it was
given, and any other list `CRM_GRAPHQL_ASSUMED_LIST_SIZE`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    get_named_type,
    is_composite_type,
    value_from_ast_untyped,
)
from graphql.language import Lexer
from strawberry.extensions import SchemaExtension
from strawberry.federation.schema_directives import ListSize
from strawberry.types.field import StrawberryField
from strawberry.types.unset import UNSET

from crm_shared.config import PlatformSettings
from crm_shared.i18n import register, translate

SIZE = "first"  # the argument that sizes a connection
SIZED = "edges"  # the connection's list
CONNECTION_SIZE = ListSize(
    assumed_size=UNSET, slicing_arguments=[SIZE], sized_fields=[SIZED], require_one_slicing_argument=UNSET
)

register(
    {
        "limit_tokens": {
            "en": "The query is too long: more than {max} tokens",
            "zh-CN": "查询过长：超过 {max} 个词法单元",
        },
        "limit_depth": {
            "en": "The query is too deep: {found} levels, at most {max}",
            "zh-CN": "查询嵌套过深：{found} 层，最多 {max} 层",
        },
        "limit_aliases": {
            "en": "Too many aliases: {found}, at most {max}",
            "zh-CN": "别名过多：{found} 个，最多 {max} 个",
        },
        "limit_cost": {
            "en": "The query would cost {found}, more than the limit of {max}: ask for smaller pages or fewer fields",
            "zh-CN": "查询成本 {found} 超过上限 {max}：请减小分页大小或减少字段",
        },
    }
)


def limit_error(limit: str, found: int, maximum: int) -> GraphQLError:
    """What a caller gets for an operation over a limit: the limit, the maximum and what was asked."""
    code = "COST_LIMIT_EXCEEDED" if limit == "cost" else "BAD_USER_INPUT"
    message = translate(f"limit_{limit}", found=found, max=maximum)
    return GraphQLError(message, extensions={"code": code, "limit": limit, "max": maximum, "found": found})


class DemandControl(SchemaExtension):
    """Refuses an operation over the limits of `PlatformSettings` before it is validated or run."""

    def _limits(self) -> PlatformSettings:
        context = self.execution_context.context
        state = getattr(context, "state", None)
        return getattr(state, "platform", None) or PlatformSettings()

    def on_parse(self) -> Iterator[None]:
        limit = self._limits().graphql_max_tokens
        if self.execution_context.query and _tokens(self.execution_context.query, limit) > limit:
            raise limit_error("tokens", limit + 1, limit)
        yield

    def on_validate(self) -> Iterator[None]:
        """Before validation: its rules are themselves costly on a document built to be heavy."""
        limits = self._limits()
        context = self.execution_context
        document = context.graphql_document
        operation = _operation(document, context.operation_name) if document else None
        if operation is not None and document is not None and context.query is not None:
            asked = _Asked(
                context.query,
                context.operation_name,
                _sizes(context.variables or {}),
                limits.graphql_assumed_list_size,
                context.schema._schema.get_root_type(operation.operation),
                document,
                operation,
            )
            for limit, found, maximum in zip(
                ("aliases", "depth", "cost"),
                _measured(asked),
                (limits.graphql_max_aliases, limits.graphql_max_depth, limits.graphql_max_cost),
                strict=True,
            ):
                if found > maximum:
                    raise limit_error(limit, found, maximum)
        yield


@dataclasses.dataclass(frozen=True)
class _Asked:
    """An operation as its measure depends on it: its text, and of its variables only the numbers and the lengths of
    lists (a page's `first`, the representations `_entities` is given), never their contents (an upload's text is not
    kept); the parsed document rides along unkeyed."""

    query: str
    operation_name: str | None
    sizes: tuple[tuple[str, int, bool], ...]  # (variable, number or length, whether a list)
    assumed: int
    root: Any
    document: Any = dataclasses.field(compare=False)
    operation: OperationDefinitionNode = dataclasses.field(compare=False)


def _sizes(variables: Mapping[str, Any]) -> tuple[tuple[str, int, bool], ...]:
    return tuple(
        (name, len(value) if isinstance(value, list) else value, isinstance(value, list))
        for name, value in sorted(variables.items())
        if isinstance(value, int | list)
    )


@functools.lru_cache(maxsize=256)
def _measured(asked: _Asked) -> tuple[int, int, int]:
    """Aliases, depth and cost of an operation, remembered for the last ones asked: the console sends the same few
    documents again and again, and walking one took a twentieth of a subgraph's processor time a request."""
    fragments = {d.name.value: d for d in asked.document.definitions if isinstance(d, FragmentDefinitionNode)}
    variables = {name: [None] * size if listed else size for name, size, listed in asked.sizes}
    measure = Measure(fragments, variables, asked.assumed)
    selections = asked.operation.selection_set
    return measure.aliases(selections), measure.depth(selections), measure.cost(selections, asked.root)


class Measure:
    """Aliases, depth and cost of one operation; fragments are followed, cycles are left to validation."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], variables: Mapping[str, Any], assumed: int):
        self.fragments, self.variables, self.assumed = fragments, dict(variables), assumed

    def fields(self, selections: SelectionSetNode | None, seen: frozenset[str] = frozenset()) -> Iterator[FieldNode]:
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self.fields(selection.selection_set, seen)
            elif (
                isinstance(selection, FragmentSpreadNode)
                and selection.name.value not in seen
                and (fragment := self.fragments.get(selection.name.value))
            ):
                yield from self.fields(fragment.selection_set, seen | {selection.name.value})

    def aliases(self, selections: SelectionSetNode | None) -> int:
        return sum(bool(f.alias) + self.aliases(f.selection_set) for f in self.fields(selections))

    def depth(self, selections: SelectionSetNode | None) -> int:
        found = [1 + self.depth(f.selection_set) for f in self.fields(selections) if f.name.value != "__schema"]
        return max(found, default=0)

    def cost(self, selections: SelectionSetNode | None, parent: Any, factor: int = 1, sized: int | None = None) -> int:
        total = 0
        for node in self.fields(selections):
            field = parent.fields.get(node.name.value) if isinstance(parent, GraphQLObjectType) else None
            if field is None or node.name.value.startswith("__"):
                continue  # unknown fields are validation's to refuse; introspection is bounded by the schema
            size = sized if node.name.value == SIZED and sized is not None else self._list_size(node, field)
            named = get_named_type(field.type)
            here = factor * size
            total += here * (1 if is_composite_type(named) else 0)
            total += self.cost(node.selection_set, named, here, self._slice(node, field))
        return total

    def _list_size(self, node: FieldNode, field: GraphQLField) -> int:
        if node.name.value == "_entities":
            representations = self._argument(node, field, "representations")
            return len(representations) if isinstance(representations, list) else self.assumed
        return self.assumed * depth if (depth := _list_depth(field.type)) else 1

    def _slice(self, node: FieldNode, field: GraphQLField) -> int | None:
        """The size of a connection's page: its `first`, given or by default."""
        if SIZE not in field.args:
            return None
        value = self._argument(node, field, SIZE)
        return value if isinstance(value, int) and value > 0 else self.assumed

    def _argument(self, node: FieldNode, field: GraphQLField, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables)
        default = field.args[name].default_value
        return None if default is None or type(default).__name__ == "UndefinedType" else default


def _list_depth(kind: GraphQLOutputType) -> int:
    depth = 0
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        depth += isinstance(kind, GraphQLList)
        kind = kind.of_type
    return depth


@functools.lru_cache(maxsize=256)
def _tokens(query: str, limit: int) -> int:
    """Tokens of `query`, counted up to one past `limit`; what does not lex is left to the parser. Remembered for
    the last texts seen: lexing a list's query took as long as running it."""
    lexer, count = Lexer(Source(query)), 0
    try:
        while count <= limit and lexer.advance().kind is not TokenKind.EOF:
            count += 1
    except GraphQLError:
        pass
    return count


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if name is None or (o.name is not None and o.name.value == name)]
    return chosen[0] if len(chosen) == 1 else None


def size_connections(schema: strawberry.federation.Schema) -> bool:
    """Mark each field returning a connection sized by `first`; True when a field was newly marked.

    The schema must then be built again for the SDL to print the directive and import it.
    """
    changed = False
    for kind in schema._schema.type_map.values():
        if not isinstance(kind, GraphQLObjectType) or kind.name.startswith("__"):
            continue
        for field in kind.fields.values():
            named = get_named_type(field.type)
            definition = field.extensions.get("strawberry-definition")
            if (
                SIZE in field.args
                and isinstance(named, GraphQLObjectType)
                and SIZED in named.fields
                and isinstance(definition, StrawberryField)
                and not any(isinstance(d, ListSize) for d in definition.directives)
            ):
                definition.directives = [*definition.directives, CONNECTION_SIZE]
                changed = True
    return changed
