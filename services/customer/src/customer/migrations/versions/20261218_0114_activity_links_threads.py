"""activities: a call's recording link and duration, a mail's thread

Revision ID: 20261218_0114
Revises: 20261215_0113
Create Date: 2026-12-18
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261218_0114"
down_revision: str | None = "20261215_0113"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activities", sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True))
    op.add_column("activities", sa.Column("thread_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column("activities", sa.Column("duration_seconds", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_activities_thread_id"), "activities", ["thread_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_activities_thread_id"), table_name="activities")
    op.drop_column("activities", "duration_seconds")
    op.drop_column("activities", "thread_id")
    op.drop_column("activities", "link")
