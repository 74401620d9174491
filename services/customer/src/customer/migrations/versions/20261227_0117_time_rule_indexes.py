"""the time rules read what is due through the key: the pool's idle accounts by their last follow-up (or
creation), and each lifecycle stage by its last touch, instead of a scan of every account every few seconds;
they replace the plain last follow-up and stage indexes, whose leading columns they share

Revision ID: 20261227_0117
Revises: 20261224_0116
Create Date: 2026-12-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261227_0117"
down_revision: str | None = "20261224_0116"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_accounts_followup", table_name="accounts")
    op.drop_index("ix_accounts_lifecycle_stage", table_name="accounts")
    op.create_index(
        "ix_accounts_idle_since", "accounts", ["in_pool", sa.text("coalesce(last_followup_at, created_at)")]
    )
    op.create_index(
        "ix_accounts_stage_last_touch",
        "accounts",
        ["lifecycle_stage", sa.text("greatest(last_followup_at, last_order_at, created_at)")],
    )


def downgrade() -> None:
    op.drop_index("ix_accounts_stage_last_touch", table_name="accounts")
    op.drop_index("ix_accounts_idle_since", table_name="accounts")
    op.create_index("ix_accounts_lifecycle_stage", "accounts", ["lifecycle_stage"])
    op.create_index("ix_accounts_followup", "accounts", ["last_followup_at"])
