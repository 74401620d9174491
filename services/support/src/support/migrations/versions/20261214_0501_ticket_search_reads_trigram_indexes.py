"""ticket search by part of a number or subject reads trigram indexes

Revision ID: 20261214_0501
Revises: 20261213_0502
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261214_0501"
down_revision: str | None = "20261213_0502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm is a trusted extension: the database's owner may create it
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("number", "subject"):
        op.create_index(
            f"ix_tickets_{column}_trgm",
            "tickets",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    for column in ("number", "subject"):
        op.drop_index(f"ix_tickets_{column}_trgm", table_name="tickets")
