"""parked events: events kept until the one their aggregate needs first has arrived

Revision ID: 20261130_0203
Revises: 20261123_0202
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import create_missing_platform_tables

revision: str = "20261130_0203"
down_revision: str | None = "20261123_0202"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_missing_platform_tables()


def downgrade() -> None:
    op.drop_table("parked_events")
