"""sign-ins under way: a reserved attempt counts towards a lock only once it failed

Rows recorded before this counted as failures already; they keep doing so.

Revision ID: 20261220_0012
Revises: 20261219_0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261220_0012"
down_revision: str | Sequence[str] | None = "20261219_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("login_attempts", sa.Column("under_way", sa.Boolean(), nullable=False, server_default="false"))


def downgrade() -> None:
    op.drop_column("login_attempts", "under_way")
