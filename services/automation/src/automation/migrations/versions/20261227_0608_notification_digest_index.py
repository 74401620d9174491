"""notifications waiting for a daily digest read through an index of their own: after the digest hour the
mailer looks every few seconds, and no longer reads the whole inbox table to find them

Revision ID: 20261227_0608
Revises: 20261224_0607
Create Date: 2026-12-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261227_0608"
down_revision: str | None = "20261224_0607"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_notifications_digest",
        "notifications",
        ["user_id", "created_at"],
        postgresql_where=sa.text("in_digest IS true AND read_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_digest", table_name="notifications")
