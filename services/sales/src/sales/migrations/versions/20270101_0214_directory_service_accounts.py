"""the directory keeps the service accounts whose tokens stopped counting, from identity's events: a deactivated
account's tokens, and those issued before a key of it was revoked, are refused within seconds as a user's are

Revision ID: 20270101_0214
Revises: 20261225_0213
Create Date: 2027-01-01
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.auth.directory import create_service_account_table

revision: str = "20270101_0214"
down_revision: str | None = "20261225_0213"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_service_account_table()


def downgrade() -> None:
    op.drop_table("directory_service_accounts")
