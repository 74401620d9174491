"""directory_users.authz_version: tokens issued before a user's grants changed are refused

Revision ID: 20261201_0110
Revises: 20261201_0109
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.auth.directory import add_authz_version

revision: str = "20261201_0110"
down_revision: str | None = "20261201_0109"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_authz_version()


def downgrade() -> None:
    op.drop_column("directory_users", "authz_version")
