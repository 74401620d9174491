"""an import job keeps why it failed as a message key with its parameters (`failure`), as its rows' errors now
are too, and each reader is told them in their own language; a message stored as text before is kept as
`{"message": ...}` and read as it was written

Revision ID: 20261230_0118
Revises: 20261227_0117
Create Date: 2026-12-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261230_0118"
down_revision: str | None = "20261227_0117"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_jobs", sa.Column("failure", postgresql.JSONB(), nullable=True))
    op.execute("UPDATE import_jobs SET failure = jsonb_build_object('message', message) WHERE message IS NOT NULL")
    op.drop_column("import_jobs", "message")


def downgrade() -> None:
    """A message kept by key goes back as its key: the words are the service's, not the database's."""
    op.add_column("import_jobs", sa.Column("message", sa.String(500), nullable=True))
    op.execute(
        "UPDATE import_jobs SET message = left(coalesce(failure ->> 'message', failure ->> 'key'), 500) "
        "WHERE failure IS NOT NULL"
    )
    op.drop_column("import_jobs", "failure")
