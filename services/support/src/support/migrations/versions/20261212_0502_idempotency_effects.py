"""idempotency effects: what each create made under a request's Idempotency-Key, kept with the create

Revision ID: 20261212_0502
Revises: 20261211_0501
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import create_missing_platform_tables

revision: str = "20261212_0502"
down_revision: str | None = "20261211_0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_missing_platform_tables()


def downgrade() -> None:
    op.drop_table("idempotency_effects")
