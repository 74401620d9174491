"""import jobs know whether they bring accounts or contacts

Revision ID: 20261122_0104
Revises: 20261122_0103
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_0104"
down_revision: str | None = "20261122_0103"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_jobs", sa.Column("entity", sa.String(10), nullable=False, server_default="account"))


def downgrade() -> None:
    op.drop_column("import_jobs", "entity")
