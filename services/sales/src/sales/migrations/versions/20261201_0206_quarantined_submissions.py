"""quarantined submissions: web-form spam kept 30 days for review

Revision ID: 20261201_0206
Revises: 20261201_0205
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0206"
down_revision: str | None = "20261201_0205"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quarantined_submissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=50), nullable=False),
        sa.Column("submission_enc", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quarantined_submissions_received", "quarantined_submissions", ["received_at", "id"])


def downgrade() -> None:
    op.drop_table("quarantined_submissions")
