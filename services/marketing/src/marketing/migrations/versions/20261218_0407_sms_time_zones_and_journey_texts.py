"""contacts' time zones for SMS quiet hours (their account's place) and journeys' texts (the template each
send row carries)

Revision ID: 20261218_0407
Revises: 20261216_0403
Create Date: 2026-12-18 04:07:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261218_0407"
down_revision: str | None = "20261216_0403"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "segment_accounts", sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    op.add_column("sms_sends", sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column("sms_sends", "content")
    op.drop_column("segment_accounts", "time_zone")
