"""a published breach keeps the target it passed, and a ticket the priority a person gave it before escalation

Revision ID: 20270109_0508
Revises: 20270102_0507
Create Date: 2027-01-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20270109_0508"
down_revision: str | None = "20270102_0507"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable, no default: added without rewriting either table
    op.add_column("sla_notices", sa.Column("target_minutes", sa.Integer(), nullable=True))
    op.add_column("tickets", sa.Column("escalated_from", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("tickets", "escalated_from")
    op.drop_column("sla_notices", "target_minutes")
