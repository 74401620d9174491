"""Many rows in one INSERT: each column bound as one array and unnested, whatever the number of rows.

A multi-row VALUES list binds a parameter per cell (60,000 for an import's batch of accounts), which the
driver splits into several statements and encodes cell by cell; an array per column is one parameter.
Columns PostgreSQL cannot unnest (an array column: unnest flattens arrays of arrays) or that asyncpg
sends only as text (tsvector) travel as text literals, cast row by row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, Table, TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession

DIALECT = postgresql.dialect()
LENGTH = re.compile(r"\(\d+\)")


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[Any]) -> None:
    """Insert `rows` in one statement, each an object with an attribute per column (a missing one is NULL)."""
    if rows:
        statement, encoders = _statement(table)
        values = {name: [encode(getattr(row, name, None)) for row in rows] for name, encode in encoders.items()}
        await session.execute(statement, values)


@cache
def _statement(table: Table) -> tuple[TextClause, dict[str, Any]]:
    names, arrays, selected, encoders = [], [], [], {}
    for column in table.columns:
        # without a length: an explicit cast to varchar(n) would cut a long value where the insert refuses it
        kind = LENGTH.sub("", column.type.compile(dialect=DIALECT))
        literal = isinstance(column.type, ARRAY | TSVECTOR)
        names.append(f'"{column.name}"')
        arrays.append(f"CAST(:{column.key} AS {'text' if literal else kind.split('[')[0]}[])")
        selected.append(f'CAST(u."{column.name}" AS {kind})' if literal else f'u."{column.name}"')
        encoders[column.key] = _encoder(column.type)
    statement = text(
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(selected)} "
        f"FROM unnest({', '.join(arrays)}) AS u({', '.join(names)})"
    )
    return statement, encoders


def _encoder(kind: Any) -> Any:
    if isinstance(kind, ARRAY):
        return lambda values: None if values is None else array_literal(values)
    if isinstance(kind, JSONB):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    return lambda value: value


def array_literal(values: Sequence[str]) -> str:
    """`{"a","b \\"c\\""}`: PostgreSQL's text form of an array of strings."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"
