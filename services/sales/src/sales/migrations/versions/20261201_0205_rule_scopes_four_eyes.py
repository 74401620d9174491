"""rule scopes, four eyes and revocation: pipelines.unit_id; who created and submitted quotes and
contracts; directory_users.authz_version

Revision ID: 20261201_0205
Revises: 20261201_0204
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_shared.auth.directory import add_authz_version

revision: str = "20261201_0205"
down_revision: str | None = "20261201_0204"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTIES = ("created_by", "submitted_by")


def upgrade() -> None:
    add_authz_version()
    op.add_column("pipelines", sa.Column("unit_id", sa.Uuid(), nullable=True))
    for table in ("quotes", "contracts"):
        for column in PARTIES:
            op.add_column(table, sa.Column(column, sa.Uuid(), nullable=True))


def downgrade() -> None:
    for table in ("quotes", "contracts"):
        for column in PARTIES:
            op.drop_column(table, column)
    op.drop_column("pipelines", "unit_id")
    op.drop_column("directory_users", "authz_version")
