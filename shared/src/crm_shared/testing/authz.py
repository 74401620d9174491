"""The authorization matrix: for every operation of a subgraph and every caller, the expected outcome.

A service lists each root field of its schema with the outcome per caller (`"ok"`, `"FORBIDDEN"`,
`"NOT_FOUND"`, `"UNAUTHENTICATED"`, ...). `check_complete` fails when the schema has an operation
the matrix lacks, so a new operation cannot ship without deciding who may call it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Variables = Mapping[str, Any] | Callable[[str], Awaitable[Mapping[str, Any]]] | None
Execute = Callable[[str, Mapping[str, Any], str | None], Awaitable[dict[str, Any]]]
FEDERATION_FIELDS = {"_entities", "_service"}


@dataclass
class Entry:
    """One operation: its document, its variables (or a factory per caller) and who gets what."""

    query: str
    expect: Mapping[str, str]
    variables: Variables = None
    covers: tuple[str, ...] = field(default_factory=tuple)  # further root fields this entry exercises


def root_fields(schema: Any) -> set[str]:
    """Every Query and Mutation field of a strawberry schema except the federation internals."""
    graphql_schema = schema._schema
    names: set[str] = set()
    for root in (graphql_schema.query_type, graphql_schema.mutation_type):
        if root is not None:
            names.update(root.fields)
    return names - FEDERATION_FIELDS


def check_complete(schema: Any, entries: Mapping[str, Entry]) -> None:
    covered = set(entries) | {name for entry in entries.values() for name in entry.covers}
    missing = sorted(root_fields(schema) - covered)
    assert not missing, f"operations without an authorization-matrix entry: {', '.join(missing)}"


def outcome(body: dict[str, Any]) -> str:
    errors = body.get("errors") or []
    if not errors:
        return "ok"
    return str(errors[0].get("extensions", {}).get("code", "ERROR"))


async def check_matrix(entries: Mapping[str, Entry], tokens: Mapping[str, str | None], execute: Execute) -> None:
    """Run every entry as every caller it names; report every mismatch at once."""
    mismatches = []
    for name, entry in entries.items():
        for caller, expected in entry.expect.items():
            variables = entry.variables
            if callable(variables):
                variables = await variables(caller)
            body = await execute(entry.query, variables or {}, tokens[caller])
            got = outcome(body)
            if got != expected:
                detail = (body.get("errors") or [{}])[0].get("message", "")
                mismatches.append(f"{name} as {caller}: expected {expected}, got {got} {detail}")
    assert not mismatches, "authorization matrix mismatches:\n" + "\n".join(mismatches)
