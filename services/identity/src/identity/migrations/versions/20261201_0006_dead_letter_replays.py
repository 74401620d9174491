"""dead letter replays: which dead letters were sent back, when, and by whom

Revision ID: 20261201_0006
Revises: 20261130_0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0006"
down_revision: str | None = "20261130_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letter_replays",
        sa.Column("dlq_topic", sa.String(255), nullable=False),
        sa.Column("dlq_partition", sa.Integer(), nullable=False),
        sa.Column("dlq_offset", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("dlq_topic", "dlq_partition", "dlq_offset", name="pk_dead_letter_replays"),
    )


def downgrade() -> None:
    op.drop_table("dead_letter_replays")
