"""Build a federation v2 subgraph schema and mount it on FastAPI."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import strawberry
from cross_web import HTTPException
from fastapi import Request
from graphql import BREAK, DocumentNode, FieldNode, GraphQLError, Visitor, visit
from strawberry.extensions import FieldExtension, ParserCache, SchemaExtension
from strawberry.fastapi import GraphQLRouter
from strawberry.schema.schema import validate_document
from strawberry.types.graphql import OperationType

from crm_shared import audit
from crm_shared.auth.request import authenticate
from crm_shared.errors import RETRY_AFTER_SECONDS, BadInput, DomainError, Forbidden
from crm_shared.events.faults import collided, describe, is_transient, scrubbed_traceback
from crm_shared.graphql.context import RequestContext
from crm_shared.graphql.demand import DemandControl, size_connections
from crm_shared.graphql.inputs import InputPolicy, guard_arguments
from crm_shared.i18n import translate
from crm_shared.validate import MAX_NESTING

log = logging.getLogger(__name__)

FEDERATION_VERSION = "2.9"  # the first with the cost directives (`@listSize`)

# who may read a subgraph's schema in production (administrators hold `*`; tooling is granted it)
SCHEMA_PERMISSION = "identity:schema:read"
SCHEMA_FIELDS = frozenset({"__schema", "__type", "_service"})
_SUGGESTION = re.compile(r"\s*Did you mean .*?\?", re.S)


def _asks_for_schema(document: DocumentNode) -> bool:
    found = False

    class Finder(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> Any:
            nonlocal found
            if node.name.value in SCHEMA_FIELDS:
                found = True
                return BREAK
            return None

    visit(document, Finder())
    return found


def _production(context: Any) -> bool:
    return isinstance(context, RequestContext) and bool(context.state.platform.production)


def _unsuggest(errors: list[GraphQLError] | None) -> None:
    """Field and value suggestions would spell out the schema production does not publish."""
    for error in errors or []:
        error.message = _SUGGESTION.sub("", error.message)


class HiddenSchema(SchemaExtension):
    """In production a subgraph answers introspection and `_service { sdl }` only to callers allowed to read
    the schema (the gateway composes from the committed supergraph and needs neither), and suggests no names.
    """

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        production = _production(execution.context)
        if production and execution.graphql_document and _asks_for_schema(execution.graphql_document):
            caller = execution.context.current
            if caller is None or not caller.can(SCHEMA_PERMISSION):
                refused = Forbidden(permission=SCHEMA_PERMISSION)
                execution.pre_execution_errors = [GraphQLError(refused.message(), extensions=refused.extensions())]
        yield
        if production:
            _unsuggest(execution.pre_execution_errors)


VALIDATED_KEPT = 256  # query texts whose validation is remembered per process


class CachedValidation(SchemaExtension):
    """A query text validated before (the console and the gateway send the same few operations again and again)
    is not validated again: validation walks the whole document once per rule. Only valid texts are kept, and only
    when nothing earlier (the hidden schema) already refused the request."""

    _valid: ClassVar[dict[tuple[int, str, tuple[Any, ...]], bool]] = {}

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document, query = execution.graphql_document, execution.query
        if execution.pre_execution_errors is None and document is not None and query is not None:
            rules = tuple(execution.validation_rules)
            key = (id(execution.schema), query, rules)
            if key in self._valid:
                execution.pre_execution_errors = []
            else:
                execution.pre_execution_errors = validate_document(execution.schema._schema, document, rules)
                if not execution.pre_execution_errors:
                    if len(self._valid) >= VALIDATED_KEPT:
                        self._valid.pop(next(iter(self._valid)))
                    self._valid[key] = True
        yield


class ReadOnlyQueries(SchemaExtension):
    """A query's resolvers read in units of work without BEGIN and COMMIT: under READ COMMITTED each statement
    takes its own snapshot either way, and the two round trips cost PostgreSQL a fifth of a query's work."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        if isinstance(execution.context, RequestContext):
            execution.context.reads_only = execution.operation_type is OperationType.QUERY
        yield


class CachedParse(ParserCache):
    """A query text parsed before is not parsed again (the same few operations come again and again); it comes
    after `DemandControl`, so an oversized text is refused before any parsing."""

    def __init__(self) -> None:
        super().__init__(maxsize=VALIDATED_KEPT)


class DomainErrors(SchemaExtension):
    """Turns domain errors into localised messages with `extensions.code`; masks the unexpected."""

    async def on_execute(self) -> Any:  # type: ignore[override]
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            await self._audit_denials(result.errors)
            result.errors = [_convert(error) for error in result.errors]
            if _production(self.execution_context.context):
                _unsuggest(result.errors)

    async def _audit_denials(self, errors: list[GraphQLError]) -> None:
        context = self.execution_context.context
        for error in errors:
            if isinstance(error.original_error, Forbidden) and isinstance(context, RequestContext):
                detail = {**error.original_error.params, "path": ".".join(str(p) for p in error.path or [])}
                await audit.denied(context.state.db, context.current, detail)


def _convert(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, DomainError):
        return GraphQLError(original.message(), nodes=error.nodes, path=error.path, extensions=original.extensions())
    if original is None:
        return error
    if is_transient(original):
        log.warning("unavailable at %s: %s", error.path, describe(original))
        return GraphQLError(
            translate("unavailable"),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "SERVICE_UNAVAILABLE", "retryAfterSeconds": RETRY_AFTER_SECONDS},
        )
    if collided(original):
        log.warning("conflict at %s: %s", error.path, describe(original))
        return GraphQLError(translate("collided"), nodes=error.nodes, path=error.path, extensions={"code": "CONFLICT"})
    return GraphQLError(
        translate("internal"),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


class ReturnsSecret(FieldExtension):
    """For a mutation answering tokens or secrets: the response is marked `no-store`, so never replayed.

    `@strawberry.mutation(extensions=[ReturnsSecret()])`; see `crm_shared.http.idempotency`.
    """

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        info.context.response.headers["Cache-Control"] = "no-store"
        return await next_(source, info, **kwargs)


class SubgraphSchema(strawberry.federation.Schema):
    """Logs only unexpected errors, and those without the values they carry (see `describe`)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, DomainError) or is_transient(original) or collided(original):
                continue
            log.error("unexpected error in resolver at %s: %s", error.path, scrubbed_traceback(original))


def federated_schema(
    query: type, mutation: type | None = None, types: Iterable[type] = ()
) -> strawberry.federation.Schema:
    """The subgraph schema with the platform's extensions; connection fields are sized for demand control."""

    def build() -> strawberry.federation.Schema:
        return SubgraphSchema(
            query=query,
            mutation=mutation,
            types=list(types),
            extensions=[
                HiddenSchema,
                DemandControl,
                CachedParse,
                CachedValidation,
                InputPolicy,
                ReadOnlyQueries,
                DomainErrors,
            ],
            federation_version=FEDERATION_VERSION,  # type: ignore[arg-type]
        )

    schema = build()
    if size_connections(schema):
        schema = build()
    guard_arguments(schema._schema)
    return schema


async def _context(request: Request) -> RequestContext:
    principal, error = await authenticate(request)
    return RequestContext(request, principal, error)


class _Router(GraphQLRouter[Any, Any]):
    def decode_json(self, data: str | bytes) -> object:
        """A body nested deeper than the decoder follows (thousands of levels) is refused, never an internal error;
        shallower ones reach the input policy, which names the field (`MAX_NESTING`)."""
        try:
            return super().decode_json(data)
        except RecursionError as exc:
            raise HTTPException(400, BadInput("too_deep", field="body", maximum=MAX_NESTING).message()) from exc


def graphql_router(schema: strawberry.federation.Schema, graphiql: bool = True) -> GraphQLRouter[Any, Any]:
    return _Router(
        schema,
        context_getter=_context,
        graphql_ide="graphiql" if graphiql else None,
    )
