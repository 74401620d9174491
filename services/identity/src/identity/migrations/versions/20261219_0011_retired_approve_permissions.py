"""retired approve permissions: quotes, contracts and campaign budgets are decided in automation's approval chains

Roles saved before that still list `sales:quote:approve`, `sales:contract:approve` or
`marketing:campaign:approve`; the catalogue no longer has them, so the role editor would refuse to save
such a role until they are gone.

Revision ID: 20261219_0011
Revises: 20261212_0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261219_0011"
down_revision: str | Sequence[str] | None = "20261212_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRED = ("sales:quote:approve", "sales:contract:approve", "marketing:campaign:approve")


def upgrade() -> None:
    for permission in RETIRED:
        op.execute(f"UPDATE roles SET permissions = array_remove(permissions, '{permission}')")


def downgrade() -> None:
    """Nothing to put back: the permissions granted nothing once approvals moved to automation."""
