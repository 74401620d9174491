"""erp_documents: the ERP's payments, deliveries and stock counts applied, by document number

Revision ID: 20261218_0208
Revises: 20261212_0207
Create Date: 2026-12-18
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261218_0208"
down_revision: str | None = "20261212_0207"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erp_documents",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "number", name=op.f("pk_erp_documents")),
    )


def downgrade() -> None:
    op.drop_table("erp_documents")
