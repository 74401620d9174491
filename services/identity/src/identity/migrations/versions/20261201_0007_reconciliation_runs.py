"""reconciliation runs: how far the consumer is with each run, so it prunes its projections once

Revision ID: 20261201_0007
Revises: 20261201_0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import create_missing_platform_tables

revision: str = "20261201_0007"
down_revision: str | None = "20261201_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_missing_platform_tables()


def downgrade() -> None:
    op.drop_table("reconciliation_runs")
