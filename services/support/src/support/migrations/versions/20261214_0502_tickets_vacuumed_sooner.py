"""the open queue's count reads its index alone: tickets are vacuumed sooner

Revision ID: 20261214_0502
Revises: 20261214_0501
Create Date: 2026-12-01 12:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261214_0502"
down_revision: str | None = "20261214_0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# a count over the open tickets' partial index skips the table only for pages the visibility map
# marks all-visible; the default (a vacuum once a fifth of the table changed) lets most pages go
# unmarked between vacuums at a million tickets
SOONER = "autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01"


def upgrade() -> None:
    op.execute(f"ALTER TABLE tickets SET ({SOONER})")


def downgrade() -> None:
    op.execute("ALTER TABLE tickets RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor)")
