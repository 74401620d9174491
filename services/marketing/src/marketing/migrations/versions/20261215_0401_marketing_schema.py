"""marketing schema: campaigns with budgets, costs and members, consent records and the do-not-contact list,
email templates, campaign sends, and the account, contact, lead, user and org-unit projections

Revision ID: 20261215_0401
Revises:
Create Date: 2026-12-15 04:01:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_shared.accounts import create_account_refs_table
from crm_shared.auth.directory import create_directory_table
from crm_shared.db.platform_tables import create_platform_tables, drop_platform_tables

revision: str = "20261215_0401"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables()
    create_directory_table()
    create_account_refs_table()
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    op.create_index(
        "ix_consent_records_latest", "consent_records", ["contact_id", "channel", "recorded_at"], unique=False
    )
    op.create_table(
        "audience_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("email_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("email_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_contacts")),
    )
    op.create_index(op.f("ix_audience_contacts_account_id"), "audience_contacts", ["account_id"], unique=False)
    op.create_table(
        "do_not_contact",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_do_not_contact")),
    )
    op.create_table(
        "email_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("subject_zh", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("html_zh", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("text_zh", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("subject_en", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("html_en", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=True),
        sa.Column("text_en", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_email_templates_name")),
    )
    op.create_table(
        "audience_leads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_leads")),
    )
    op.create_table(
        "org_tree",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_tree")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("goal_leads", sa.Integer(), nullable=True),
        sa.Column("goal_opportunities", sa.Integer(), nullable=True),
        sa.Column("goal_revenue", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("budget_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("budget_submitted_by", sa.Uuid(), nullable=True),
        sa.Column("budget_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("budget_decided_by", sa.Uuid(), nullable=True),
        sa.Column("budget_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("budget_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("send_queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"], ["email_templates.id"], name=op.f("fk_campaigns_template_id_email_templates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_budget_status"), "campaigns", ["budget_status"], unique=False)
    op.create_index(op.f("ix_campaigns_owner_id"), "campaigns", ["owner_id"], unique=False)
    op.create_index(op.f("ix_campaigns_status"), "campaigns", ["status"], unique=False)
    op.create_table(
        "campaign_budget_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_budget_lines_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_budget_lines")),
    )
    op.create_index(
        op.f("ix_campaign_budget_lines_campaign_id"), "campaign_budget_lines", ["campaign_id"], unique=False
    )
    op.create_table(
        "campaign_contents",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("html", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_contents_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaign_contents")),
    )
    op.create_table(
        "campaign_costs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_costs_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_costs")),
    )
    op.create_index(op.f("ix_campaign_costs_campaign_id"), "campaign_costs", ["campaign_id"], unique=False)
    op.create_table(
        "campaign_members",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_members_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_members")),
        sa.UniqueConstraint("campaign_id", "contact_id", name="uq_campaign_members_contact"),
        sa.UniqueConstraint("campaign_id", "lead_id", name="uq_campaign_members_lead"),
    )
    op.create_index("ix_campaign_members_account", "campaign_members", ["account_id"], unique=False)
    op.create_index(op.f("ix_campaign_members_campaign_id"), "campaign_members", ["campaign_id"], unique=False)
    op.create_index("ix_campaign_members_contact", "campaign_members", ["contact_id"], unique=False)
    op.create_table(
        "campaign_sends",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("to_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clicked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_sends_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_sends")),
        sa.UniqueConstraint("campaign_id", "contact_id", name="uq_campaign_sends_recipient"),
        sa.UniqueConstraint("message_id", name=op.f("uq_campaign_sends_message_id")),
    )
    op.create_index(op.f("ix_campaign_sends_campaign_id"), "campaign_sends", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_campaign_sends_contact_id"), "campaign_sends", ["contact_id"], unique=False)
    op.create_index(
        "ix_campaign_sends_due",
        "campaign_sends",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'queued'"),
    )


def downgrade() -> None:
    op.drop_index("ix_campaign_sends_due", table_name="campaign_sends", postgresql_where=sa.text("status = 'queued'"))
    op.drop_index(op.f("ix_campaign_sends_contact_id"), table_name="campaign_sends")
    op.drop_index(op.f("ix_campaign_sends_campaign_id"), table_name="campaign_sends")
    op.drop_table("campaign_sends")
    op.drop_index("ix_campaign_members_contact", table_name="campaign_members")
    op.drop_index(op.f("ix_campaign_members_campaign_id"), table_name="campaign_members")
    op.drop_index("ix_campaign_members_account", table_name="campaign_members")
    op.drop_table("campaign_members")
    op.drop_index(op.f("ix_campaign_costs_campaign_id"), table_name="campaign_costs")
    op.drop_table("campaign_costs")
    op.drop_table("campaign_contents")
    op.drop_index(op.f("ix_campaign_budget_lines_campaign_id"), table_name="campaign_budget_lines")
    op.drop_table("campaign_budget_lines")
    op.drop_index(op.f("ix_campaigns_status"), table_name="campaigns")
    op.drop_index(op.f("ix_campaigns_owner_id"), table_name="campaigns")
    op.drop_index(op.f("ix_campaigns_budget_status"), table_name="campaigns")
    op.drop_table("campaigns")
    op.drop_table("org_tree")
    op.drop_table("audience_leads")
    op.drop_table("email_templates")
    op.drop_table("do_not_contact")
    op.drop_index(op.f("ix_audience_contacts_account_id"), table_name="audience_contacts")
    op.drop_table("audience_contacts")
    op.drop_index("ix_consent_records_latest", table_name="consent_records")
    op.drop_table("consent_records")
    op.drop_table("account_refs")
    op.drop_table("directory_users")
    drop_platform_tables()
