"""the open queue filtered by type and priority reads an index

Revision ID: 20261213_0501
Revises: 20261212_0502
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261213_0501"
down_revision: str | None = "20261212_0502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_tickets_open_type_priority",
        "tickets",
        ["type", "priority", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("status IN ('new', 'open', 'pending_customer', 'on_hold')"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_tickets_open_type_priority",
        table_name="tickets",
        postgresql_where=sa.text("status IN ('new', 'open', 'pending_customer', 'on_hold')"),
    )
