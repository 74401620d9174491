"""campaign projection: a lead or an opportunity names a campaign marketing has announced

Revision ID: 20261223_0211
Revises: 20261222_0210
Create Date: 2026-12-23
"""

from collections.abc import Sequence

from crm_shared.db.platform_tables import create_tables, drop_tables
from sales.campaigns import CampaignRef

revision: str = "20261223_0211"
down_revision: str | None = "20261222_0210"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(CampaignRef)


def downgrade() -> None:
    drop_tables(CampaignRef)
