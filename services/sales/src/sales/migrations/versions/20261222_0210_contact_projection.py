"""contact projection: which contacts belong to which accounts, so an opportunity names one of its own account's

Revision ID: 20261222_0210
Revises: 20261221_0209
Create Date: 2026-12-22
"""

from collections.abc import Sequence

from crm_shared.contacts import ContactLink, ContactRef
from crm_shared.db.platform_tables import create_tables, drop_tables

revision: str = "20261222_0210"
down_revision: str | None = "20261221_0209"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(ContactLink, ContactRef)


def downgrade() -> None:
    drop_tables(ContactLink, ContactRef)
