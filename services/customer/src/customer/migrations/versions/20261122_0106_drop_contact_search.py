"""contact names are searched through their account's vector; the contact's own vector goes

Revision ID: 20261122_0106
Revises: 20261122_0105
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261122_0106"
down_revision: str | None = "20261122_0105"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_contacts_search", table_name="contacts")
    op.drop_column("contacts", "search")


def downgrade() -> None:
    op.add_column("contacts", sa.Column("search", postgresql.TSVECTOR(), nullable=True))
    op.create_index("ix_contacts_search", "contacts", ["search"], postgresql_using="gin")
