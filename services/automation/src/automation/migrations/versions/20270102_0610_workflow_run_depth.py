"""workflow runs know how deep in a chain of runs they are (each started by an event the run before caused), so
that a rule that triggers itself is stopped as a loop

Revision ID: 20270102_0610
Revises: 20270101_0609
Create Date: 2027-01-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20270102_0610"
down_revision: str | None = "20270101_0609"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workflow_runs", sa.Column("depth", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    op.drop_column("workflow_runs", "depth")
