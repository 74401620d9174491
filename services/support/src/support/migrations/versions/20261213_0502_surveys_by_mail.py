"""surveys leave through the mail outbox too

Revision ID: 20261213_0502
Revises: 20261213_0501
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261213_0502"
down_revision: str | None = "20261213_0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outgoing_mail", sa.Column("survey_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f("fk_outgoing_mail_survey_id_surveys"), "outgoing_mail", "surveys", ["survey_id"], ["id"])
    op.create_unique_constraint(op.f("uq_outgoing_mail_survey_id"), "outgoing_mail", ["survey_id"])
    op.alter_column("outgoing_mail", "entry_id", existing_type=sa.Uuid(), nullable=True)
    op.alter_column("outgoing_mail", "ticket_id", existing_type=sa.Uuid(), nullable=True)
    op.create_check_constraint(
        op.f("ck_outgoing_mail_reply_or_survey"), "outgoing_mail", "(entry_id IS NULL) <> (survey_id IS NULL)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM outgoing_mail WHERE survey_id IS NOT NULL")
    op.drop_constraint(op.f("ck_outgoing_mail_reply_or_survey"), "outgoing_mail", type_="check")
    op.alter_column("outgoing_mail", "ticket_id", existing_type=sa.Uuid(), nullable=False)
    op.alter_column("outgoing_mail", "entry_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_constraint(op.f("uq_outgoing_mail_survey_id"), "outgoing_mail", type_="unique")
    op.drop_constraint(op.f("fk_outgoing_mail_survey_id_surveys"), "outgoing_mail", type_="foreignkey")
    op.drop_column("outgoing_mail", "survey_id")
