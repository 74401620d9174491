"""marketing SMS: templates, a campaign's text as sent, one send row per recipient and step; contacts' mobile
numbers (encrypted, with their lookup hash) and an SMS campaign's template

Revision ID: 20261216_0403
Revises: 20261216_0405
Create Date: 2026-12-16 04:03:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261216_0403"
down_revision: str | None = "20261216_0405"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("provider_code", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_sms_templates_name")),
    )
    op.add_column("campaigns", sa.Column("sms_template_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_campaigns_sms_template_id_sms_templates"), "campaigns", "sms_templates", ["sms_template_id"], ["id"]
    )
    op.add_column(
        "audience_contacts", sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    op.add_column("audience_contacts", sa.Column("phone_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_index(op.f("ix_audience_contacts_phone_hash"), "audience_contacts", ["phone_hash"], unique=False)
    op.create_table(
        "sms_contents",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("provider_code", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_sms_contents_campaign_id_campaigns")),
        sa.ForeignKeyConstraint(
            ["template_id"], ["sms_templates.id"], name=op.f("fk_sms_contents_template_id_sms_templates")
        ),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_sms_contents")),
    )
    op.create_table(
        "sms_sends",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("phone_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_sms_sends_campaign_id_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_sends")),
        sa.UniqueConstraint("campaign_id", "contact_id", "step", name="uq_sms_sends_recipient"),
    )
    op.create_index(op.f("ix_sms_sends_campaign_id"), "sms_sends", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_sms_sends_provider_id"), "sms_sends", ["provider_id"], unique=False)
    op.create_index("ix_sms_sends_contact", "sms_sends", ["contact_id", "sent_at"], unique=False)
    op.create_index(
        "ix_sms_sends_due",
        "sms_sends",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'queued'"),
    )


def downgrade() -> None:
    op.drop_index("ix_sms_sends_due", table_name="sms_sends", postgresql_where=sa.text("status = 'queued'"))
    op.drop_index("ix_sms_sends_contact", table_name="sms_sends")
    op.drop_index(op.f("ix_sms_sends_provider_id"), table_name="sms_sends")
    op.drop_index(op.f("ix_sms_sends_campaign_id"), table_name="sms_sends")
    op.drop_table("sms_sends")
    op.drop_table("sms_contents")
    op.drop_index(op.f("ix_audience_contacts_phone_hash"), table_name="audience_contacts")
    op.drop_column("audience_contacts", "phone_enc")
    op.drop_column("audience_contacts", "phone_hash")
    op.drop_constraint(op.f("fk_campaigns_sms_template_id_sms_templates"), "campaigns", type_="foreignkey")
    op.drop_column("campaigns", "sms_template_id")
    op.drop_table("sms_templates")
