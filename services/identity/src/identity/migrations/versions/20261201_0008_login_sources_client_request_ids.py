"""familiar sign-in addresses; the client's own request id in the audit log, apart from the service's

Revision ID: 20261201_0008
Revises: 20261201_0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0008"
down_revision: str | None = "20261201_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_sources",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_login_sources"),
    )
    op.create_index("ix_login_sources_last_seen_at", "login_sources", ["last_seen_at"])
    op.add_column("audit_log", sa.Column("client_request_id", sa.String(64), nullable=True))
    # sign-in failures are counted per account and address now; the old per-account counts would lock everyone
    op.execute("DELETE FROM login_throttles WHERE key LIKE 'account:%'")


def downgrade() -> None:
    op.drop_column("audit_log", "client_request_id")
    op.drop_index("ix_login_sources_last_seen_at", table_name="login_sources")
    op.drop_table("login_sources")
