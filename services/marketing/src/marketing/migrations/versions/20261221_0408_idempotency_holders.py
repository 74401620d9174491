"""idempotency holders: a claimed key names the process running its request, whose heartbeat says it lives

Revision ID: 20261221_0408
Revises: 20261218_0407
Create Date: 2026-12-21
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import add_missing_platform_columns, create_missing_platform_tables

revision: str = "20261221_0408"
down_revision: str | None = "20261218_0407"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_missing_platform_tables()
    add_missing_platform_columns()


def downgrade() -> None:
    op.drop_column("idempotency_keys", "holder")
    op.drop_table("idempotency_holders")
