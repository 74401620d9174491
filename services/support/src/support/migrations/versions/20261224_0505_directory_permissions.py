"""the user directory keeps what each user's roles permit, from identity's user events: whoever is made an
owner, assignee or member must be able to read what they are given

Revision ID: 20261224_0505
Revises: 20261222_0504
Create Date: 2026-12-24
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.auth.directory import add_permissions

revision: str = "20261224_0505"
down_revision: str | None = "20261222_0504"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_permissions()


def downgrade() -> None:
    op.drop_column("directory_users", "permissions")
