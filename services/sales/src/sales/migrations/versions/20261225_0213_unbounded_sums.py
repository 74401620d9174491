"""what many amounts add up to is numeric without a fixed precision: the funnel's running totals and the
forecast snapshots overflowed numeric(18, 2) once two opportunities of the largest amount shared a bucket,
and a quote priced far above its list price overflowed its effective discount, a numeric(5, 2)

Revision ID: 20261225_0213
Revises: 20261224_0212
Create Date: 2026-12-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261225_0213"
down_revision: str | None = "20261224_0212"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# widening numeric(p, s) to numeric rewrites no table; narrowing it back checks every row
COLUMNS = (
    ("funnel_totals", "amount", sa.Numeric(18, 2)),
    ("forecast_snapshots", "weighted", sa.Numeric(18, 2)),
    ("forecast_snapshots", "commit", sa.Numeric(18, 2)),
    ("forecast_snapshots", "best_case", sa.Numeric(18, 2)),
    ("quotes", "effective_discount", sa.Numeric(5, 2)),
)


def upgrade() -> None:
    for table, column, bounded in COLUMNS:
        op.alter_column(table, column, type_=sa.Numeric(), existing_type=bounded, existing_nullable=False)


def downgrade() -> None:
    for table, column, bounded in COLUMNS:
        op.alter_column(table, column, type_=bounded, existing_type=sa.Numeric(), existing_nullable=False)
