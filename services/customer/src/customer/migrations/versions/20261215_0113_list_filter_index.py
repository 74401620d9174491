"""accounts list: one index answers the level and industry filters in update order, and their count alone

Revision ID: 20261215_0113
Revises: 20261212_0112
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261215_0113"
down_revision: str | None = "20261212_0112"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_accounts_live_level_industry",
        "accounts",
        ["level", "industry", "updated_at", "id"],
        postgresql_include=["owner_id", "in_pool"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_accounts_live_level_industry", table_name="accounts")
