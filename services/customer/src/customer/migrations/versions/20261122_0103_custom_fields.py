"""custom field definitions; containment index on custom values

Revision ID: 20261122_0103
Revises: 20261122_0102
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261122_0103"
down_revision: str | None = "20261122_0102"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_field_definitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(10), nullable=False),
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("label_zh", sa.String(100), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("options", postgresql.ARRAY(sa.String(100)), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_custom_field_definitions"),
    )
    op.create_index(
        "ix_custom_field_definitions_entity_key", "custom_field_definitions", ["entity", "key"], unique=True
    )
    op.create_index(
        "ix_accounts_custom",
        "accounts",
        ["custom"],
        postgresql_using="gin",
        postgresql_ops={"custom": "jsonb_path_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_accounts_custom", table_name="accounts")
    op.drop_table("custom_field_definitions")
