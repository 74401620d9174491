"""a campaign's attributed revenue is numeric without a fixed precision: it adds up the won deals of sales, each
within numeric(18, 2), and overflowed once two of the largest amount were shared with one campaign (the consumer
then failed on the win); what people enter (budget lines, costs) stays within numeric(18, 2), and so do their totals

Revision ID: 20270109_0411
Revises: 20270101_0410
Create Date: 2027-01-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20270109_0411"
down_revision: str | None = "20270101_0410"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# widening numeric(p, s) to numeric rewrites no table; narrowing it back checks every row
def upgrade() -> None:
    op.alter_column(
        "campaign_revenue", "revenue", type_=sa.Numeric(), existing_type=sa.Numeric(18, 2), existing_nullable=False
    )


def downgrade() -> None:
    op.alter_column(
        "campaign_revenue", "revenue", type_=sa.Numeric(18, 2), existing_type=sa.Numeric(), existing_nullable=False
    )
