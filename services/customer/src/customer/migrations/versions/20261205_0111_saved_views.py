"""saved views of the console's lists, per person

Revision ID: 20261205_0111
Revises: 20261201_0110
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261205_0111"
down_revision: str | None = "20261201_0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("list_key", sa.String(30), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("filter", postgresql.JSONB(), nullable=False),
        sa.Column("order_by", sa.String(30), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_views"),
    )
    op.create_index("ix_saved_views_owner_list_name", "saved_views", ["owner_id", "list_key", "name"], unique=True)
    op.create_index("ix_saved_views_unit_list", "saved_views", ["unit_id", "list_key"])


def downgrade() -> None:
    op.drop_table("saved_views")
