"""service accounts: a grants version their tokens carry, raised by every key revoked (services refuse the tokens
issued before, as a user's), and names unique, by index

Accounts created with a name another already had keep it with a number after it.

Revision ID: 20270101_0015
Revises: 20261231_0014
Create Date: 2027-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_shared.db.platform_tables import number_repeated_names

revision: str = "20270101_0015"
down_revision: str | None = "20261231_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("service_accounts", sa.Column("authz_version", sa.Integer(), server_default="0", nullable=False))
    number_repeated_names("service_accounts", "name", "created_at")
    op.create_index("uq_service_accounts_name", "service_accounts", ["name"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_service_accounts_name", "service_accounts")
    op.drop_column("service_accounts", "authz_version")
