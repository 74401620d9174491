"""contacts with roles at further accounts

Revision ID: 20261122_0105
Revises: 20261122_0104
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_0105"
down_revision: str | None = "20261122_0104"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_account_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name="fk_contact_account_links_contact_id_contacts"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_contact_account_links_account_id_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_contact_account_links"),
    )
    op.create_index("ix_contact_account_links_pair", "contact_account_links", ["contact_id", "account_id"], unique=True)
    op.create_index("ix_contact_account_links_account_id", "contact_account_links", ["account_id"])


def downgrade() -> None:
    op.drop_table("contact_account_links")
