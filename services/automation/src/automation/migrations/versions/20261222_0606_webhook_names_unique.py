"""webhook subscription names unique, by index: two saves at once cannot both pass the check

Subscriptions saved with a name another already had (before the check) keep it with a number after it.

Revision ID: 20261222_0606
Revises: 20261221_0605
Create Date: 2026-12-22
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import number_repeated_names

revision: str = "20261222_0606"
down_revision: str | None = "20261221_0605"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    number_repeated_names("webhook_subscriptions", "name", "created_at")
    op.create_index("uq_webhook_subscriptions_name", "webhook_subscriptions", ["name"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_webhook_subscriptions_name", "webhook_subscriptions")
