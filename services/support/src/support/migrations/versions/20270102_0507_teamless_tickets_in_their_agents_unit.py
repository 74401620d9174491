"""a ticket given straight to an agent, outside any team, lies in the agent's unit: its managers and peers reach it

Revision ID: 20270102_0507
Revises: 20270101_0506
Create Date: 2027-01-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20270102_0507"
down_revision: str | None = "20270101_0506"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE tickets t SET unit_id = d.unit_id FROM directory_users d "
        "WHERE t.team_id IS NULL AND t.unit_id IS NULL AND t.assignee_id = d.user_id"
    )


def downgrade() -> None:
    """The units stay: a ticket is reached by more people with them, and none is lost without them."""
