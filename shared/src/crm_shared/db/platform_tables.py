"""Steps of a service's migrations the platform provides: its tables created from their one definition, the SQLModel
table, and repeated names told apart before a unique index is put on them."""

from __future__ import annotations

from typing import Any

from alembic import op
from sqlalchemy import Column, inspect, text
from sqlmodel import SQLModel

from crm_shared.db.snapshots import table_of


def create_tables(*models: type[SQLModel]) -> None:
    """`op.create_table` for each model's table as the model defines it, with its indexes."""
    for model in models:
        table = table_of(model)
        op.create_table(table.name, *(_plain(column) for column in table.columns))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            op.create_index(
                str(index.name),
                table.name,
                [column.name for column in index.columns],
                unique=index.unique,
                **index.dialect_kwargs,
            )


def drop_tables(*models: type[SQLModel]) -> None:
    for model in reversed(models):
        op.drop_table(getattr(model, "__tablename__"))  # noqa: B009


def platform_tables() -> list[type[SQLModel]]:
    """The outbox, the inbox, parked events, reconciliation progress, the idempotency keys, their effects
    and their holders every service database holds."""
    from crm_shared.db.effects import IdempotencyEffect
    from crm_shared.events.outbox import InboxRecord, OutboxMessage, ParkedEvent
    from crm_shared.events.reconcile import ReconciliationRun
    from crm_shared.http.idempotency import IdempotencyHolder, IdempotencyRecord

    return [
        OutboxMessage,
        InboxRecord,
        IdempotencyRecord,
        IdempotencyEffect,
        IdempotencyHolder,
        ParkedEvent,
        ReconciliationRun,
    ]


def create_platform_tables() -> None:
    create_tables(*platform_tables())


def create_missing_platform_tables() -> None:
    """For a later migration of a service whose database predates a platform table."""
    existing = set(inspect(op.get_bind()).get_table_names())
    create_tables(*(model for model in platform_tables() if getattr(model, "__tablename__") not in existing))  # noqa: B009


def add_missing_platform_columns() -> None:
    """For a later migration of a service whose platform tables predate a (nullable) column of theirs."""
    inspector = inspect(op.get_bind())
    for model in platform_tables():
        table = table_of(model)
        existing = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in existing:
                op.add_column(table.name, _plain(column))


def drop_platform_tables() -> None:
    """The first migration's downgrade: a later migration's downgrade may have dropped a table already."""
    existing = set(inspect(op.get_bind()).get_table_names())
    drop_tables(*(model for model in platform_tables() if getattr(model, "__tablename__") in existing))  # noqa: B009


def number_repeated_names(table: str, column: str, order: str, where: str = "true") -> None:
    """Before a unique index on `column`: each row repeating an earlier row's value (by `order`) gets a number after
    it, "名称 (2)", cut to fit the column's 100 characters, so that no saved row is lost or refused."""
    op.execute(
        text(
            f"""
            UPDATE {table} AS t SET {column} = left(t.{column}, 90) || ' (' || r.n || ')'
            FROM (
                SELECT id, row_number() OVER (PARTITION BY {column} ORDER BY {order}, id) AS n
                FROM {table} WHERE {where}
            ) AS r
            WHERE t.id = r.id AND r.n > 1
            """
        )
    )


def _plain(column: Column[Any]) -> Column[Any]:
    """A copy without `index=True`: the table's indexes are created once, by name, below."""
    copy = column._copy()
    copy.index = None
    return copy
