"""the organisation tree's copy takes the platform's table name, shared with support

Revision ID: 20261216_0406
Revises: 20261215_0401
Create Date: 2026-12-16 04:06:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261216_0406"
down_revision: str | None = "20261215_0401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.rename_table("org_tree", "org_unit_refs")
    op.execute("ALTER TABLE org_unit_refs RENAME CONSTRAINT pk_org_tree TO pk_org_unit_refs")


def downgrade() -> None:
    op.execute("ALTER TABLE org_unit_refs RENAME CONSTRAINT pk_org_unit_refs TO pk_org_tree")
    op.rename_table("org_unit_refs", "org_tree")
