"""a changed policy or calendar is rechecked in batches, its progress kept in a row

Revision ID: 20261215_0501
Revises: 20261214_0502
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261215_0501"
down_revision: str | None = "20261214_0502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('new', 'open', 'pending_customer', 'on_hold')")


def upgrade() -> None:
    op.create_table(
        "sla_rechecks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("calendar_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("after_id", sa.Uuid(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_rechecks")),
    )
    # a recheck walks the open tickets in id order, a batch at a time
    op.create_index("ix_tickets_open_id", "tickets", ["id"], unique=False, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_tickets_open_id", table_name="tickets", postgresql_where=OPEN)
    op.drop_table("sla_rechecks")
