"""Keyset pagination, the one cursor format of the suite, and pages that count only when asked.

A cursor is the sort key of the last row seen (its order columns, then its id), so the next page
is one indexed range scan however deep the client has paged; OFFSET would read every skipped row.
It names its order first (a short digest of the columns and direction), so a cursor of another list or
order is refused instead of read as a place in this one, and each value must be its column's type.

A count is exact up to EXACT_UP_TO matches and the planner's estimate above: counting a million
matches exactly costs as much as reading them, and nobody pages through them to check.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import (
    ClauseElement,
    Date,
    DateTime,
    Executable,
    Integer,
    Numeric,
    Select,
    String,
    TypeDecorator,
    Uuid,
    func,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeEngine

from crm_shared.errors import BadInput
from crm_shared.validate import CONTROL, fits, whole

if TYPE_CHECKING:
    from crm_shared.db.engine import UnitOfWork

T = TypeVar("T")
U = TypeVar("U")
MAX_PAGE = 200
MAX_CURSOR = 2000  # characters; a real cursor is a few sort values
EXACT_UP_TO = 10_000  # matches counted one by one; above, the planner's estimate is given


@dataclass(frozen=True)
class Count:
    """How many rows match: `value` is exact when `exact`, else an estimate above EXACT_UP_TO."""

    value: int
    exact: bool = True


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, each row's cursor, and a count of all matches paid for only when awaited."""

    items: list[T]
    cursors: list[str]
    has_next: bool
    count: Callable[[], Awaitable[Count]]

    @property
    def next_cursor(self) -> str | None:
        return self.cursors[-1] if self.has_next and self.cursors else None

    def map(self, f: Callable[[T], U]) -> Page[U]:
        """The same page with every row passed through `f` (a view of each row, say)."""
        return Page([f(item) for item in self.items], self.cursors, self.has_next, self.count)


@dataclass(frozen=True)
class Order:
    """A sort order over columns of one model, ending with its unique id so that the order is total."""

    columns: tuple[Any, ...]
    descending: bool = False

    @classmethod
    def by(cls, *columns: Any, descending: bool = False) -> Order:
        return cls(tuple(columns), descending)

    def sort(self) -> list[Any]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    @cached_property
    def name(self) -> str:
        """What its cursors say they belong to: `accounts.name,accounts.id` ascending, in four characters."""
        columns = ",".join(str(getattr(c, "expression", c)) for c in self.columns)
        digest = hashlib.blake2b(f"{columns} {self.descending}".encode(), digest_size=3).digest()
        return base64.urlsafe_b64encode(digest).decode()

    def cursor(self, row: Any) -> str:
        return encode_cursor(self.name, [getattr(row, column.key) for column in self.columns])

    def after(self, cursor: str, field: str = "after") -> Any:
        """Rows strictly past the cursor: one row-value comparison the (columns..., id) index answers."""
        values = decode_cursor(cursor, self.name, len(self.columns), field)
        key = tuple_(*self.columns)
        typed = tuple_(*[_typed(column, value, field) for column, value in zip(self.columns, values, strict=True)])
        return key < typed if self.descending else key > typed


def encode_cursor(of: str, values: Sequence[Any]) -> str:
    """A cursor of the list or order named `of`, at the sort key `values`."""
    plain = [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps([of, *plain], default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, of: str, size: int, field: str = "after") -> list[Any]:
    """The sort key a cursor of `of` carries; anything this list did not hand out is BAD_USER_INPUT."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError as exc:  # binascii, JSON and UTF-8 errors are all ValueErrors
        raise BadInput("malformed_cursor", field=field) from exc
    if not isinstance(values, list) or len(values) != size + 1 or values[0] != of:
        raise BadInput("malformed_cursor", field=field)
    return values[1:]


def check_page_size(first: int, maximum: int = MAX_PAGE, field: str = "first") -> int:
    return whole(first, field, 1, maximum)


async def page(
    uow: UnitOfWork, query: Select[Any], order: Order, first: int, after: str | None, field: str = "after"
) -> Page[Any]:
    """The rows of `query` after the cursor in `order`, at most `first` of them."""
    check_page_size(first)
    matches = query.order_by(None)
    if after:
        query = query.where(order.after(after, field))
    rows = list((await uow.session.scalars(query.order_by(*order.sort()).limit(first + 1))).all())
    shown, has_next = rows[:first], len(rows) > first
    db = uow.db

    async def count() -> Count:
        if not after and not has_next:  # the first page holds every match
            return Count(len(shown))
        async with db.read() as session:
            return await count_matches(session, matches)

    return Page(shown, [order.cursor(r) for r in shown], has_next, once(count))


async def count_matches(session: AsyncSession, query: Select[Any]) -> Count:
    """The rows of `query`: counted up to EXACT_UP_TO, else estimated by the planner for the same WHERE."""
    counted = int(await session.scalar(select(func.count()).select_from(query.limit(EXACT_UP_TO + 1).subquery())) or 0)
    if counted <= EXACT_UP_TO:
        return Count(counted)
    plan = (await session.execute(Explain(query))).scalar_one()
    estimate = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
    return Count(max(int(estimate), counted), exact=False)


class Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement, sent with the statement's own parameters; compiled once per shape of
    the statement, as the statement itself is (compiled anew, it took an eighth of a list request's processor time).
    Its one column, the plan, is read by position."""

    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]
    _all_selected_columns: tuple[Any, ...] = ()

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(Explain)
def _explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def once(count: Callable[[], Awaitable[Count]]) -> Callable[[], Awaitable[Count]]:
    """`count` run at most once, however many fields (totalCount, totalCountIsExact) await it at the same time."""
    task: asyncio.Future[Count] | None = None

    async def counted() -> Count:
        nonlocal task
        if task is None:
            task = asyncio.ensure_future(count())
        return await task

    return counted


def _number(value: Any) -> decimal.Decimal:
    number = decimal.Decimal(str(value))
    if not fits(number):
        raise ValueError(value)
    return number


def _integer(value: Any) -> int:
    if not isinstance(value, int) or not -(2**63) <= value < 2**63:
        raise ValueError(value)
    return value


def _text(value: Any) -> str:
    """Text as the input policy allows any: no control characters, no lone surrogates (PostgreSQL stores neither)."""
    if not isinstance(value, str) or CONTROL.search(value):
        raise ValueError(value)
    return value


def _scalar(value: Any) -> Any:
    """A value of a column type the table below does not know: a JSON scalar, its text within the policy."""
    if isinstance(value, bool | int | float):
        return value
    return _text(value)


# how a cursor's JSON value becomes its column's value again, by the column's SQL type (what `encode_cursor` wrote)
PARSERS: tuple[tuple[type[TypeEngine[Any]], Callable[[Any], Any]], ...] = (
    (DateTime, lambda v: dt.datetime.fromisoformat(_text(v))),
    (Date, lambda v: dt.date.fromisoformat(_text(v))),
    (Uuid, lambda v: uuid.UUID(_text(v))),
    (Numeric, _number),
    (Integer, _integer),
    (String, _text),
)


def _typed(column: Any, value: Any, field: str = "after") -> Any:
    """A cursor value back in its column's Python type, or BAD_USER_INPUT for a forged one; null only where the
    column holds nulls (the id never does)."""
    kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type  # str is AutoString
    parse = next((p for sql, p in PARSERS if isinstance(kind, sql)), _scalar)
    try:
        if value is None and getattr(getattr(column, "expression", column), "nullable", True):
            return None
        return parse(value)
    except (ValueError, TypeError, OverflowError, decimal.InvalidOperation) as exc:
        raise BadInput("malformed_cursor", field=field) from exc
