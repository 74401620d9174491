"""marketing attribution and ROI (campaign counters, touches, sales' opportunities, attributed revenue), market
intelligence (competitors, intelligence entries) and marketing materials (inventory, issues to campaigns)

Revision ID: 20261216_0404
Revises: 20261216_0406
Create Date: 2026-12-16 04:04:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261216_0404"
down_revision: str | None = "20261216_0406"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_stats",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("clicked", sa.Integer(), nullable=False),
        sa.Column("unsubscribed", sa.Integer(), nullable=False),
        sa.Column("bounced", sa.Integer(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("opportunities", sa.Integer(), nullable=False),
        sa.Column("won", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaign_stats")),
    )
    op.create_table(
        "campaign_touches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_touches")),
        sa.UniqueConstraint("campaign_id", "kind", "source_id", name="uq_campaign_touches_source"),
    )
    op.create_index("ix_campaign_touches_account", "campaign_touches", ["account_id", "at"], unique=False)
    op.create_index(op.f("ix_campaign_touches_campaign_id"), "campaign_touches", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_campaign_touches_lead_id"), "campaign_touches", ["lead_id"], unique=False)
    op.create_table(
        "sales_opportunities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("competitor_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_opportunities")),
    )
    op.create_index(op.f("ix_sales_opportunities_account_id"), "sales_opportunities", ["account_id"], unique=False)
    op.create_index(op.f("ix_sales_opportunities_campaign_id"), "sales_opportunities", ["campaign_id"], unique=False)
    op.create_index(
        op.f("ix_sales_opportunities_competitor_key"), "sales_opportunities", ["competitor_key"], unique=False
    )
    op.create_table(
        "campaign_attributions",
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("opportunity_id", "campaign_id", "model", name=op.f("pk_campaign_attributions")),
    )
    op.create_index(
        op.f("ix_campaign_attributions_campaign_id"), "campaign_attributions", ["campaign_id"], unique=False
    )
    op.create_table(
        "campaign_revenue",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "model", name=op.f("pk_campaign_revenue")),
    )
    op.create_table(
        "competitors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("keys", postgresql.ARRAY(sa.String(length=200)), nullable=False),
        sa.Column("aliases", postgresql.ARRAY(sa.String(length=200)), nullable=False),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("strengths", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("weaknesses", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("search", postgresql.TSVECTOR(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitors")),
        sa.UniqueConstraint("name", name=op.f("uq_competitors_name")),
    )
    op.create_index(op.f("ix_competitors_account_id"), "competitors", ["account_id"], unique=False)
    op.create_index("ix_competitors_search", "competitors", ["search"], unique=False, postgresql_using="gin")
    op.create_table(
        "intelligence_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("links", postgresql.ARRAY(sa.String(length=1000)), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("competitor_id", sa.Uuid(), nullable=True),
        sa.Column("search", postgresql.TSVECTOR(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competitor_id"], ["competitors.id"], name=op.f("fk_intelligence_entries_competitor_id_competitors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intelligence_entries")),
    )
    op.create_index(
        op.f("ix_intelligence_entries_competitor_id"), "intelligence_entries", ["competitor_id"], unique=False
    )
    op.create_index(op.f("ix_intelligence_entries_kind"), "intelligence_entries", ["kind"], unique=False)
    op.create_index("ix_intelligence_entries_latest", "intelligence_entries", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_intelligence_entries_search", "intelligence_entries", ["search"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "materials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_materials_stock_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint("name", name=op.f("uq_materials_name")),
    )
    op.create_table(
        "material_issues",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("material_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("cost_id", sa.Uuid(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_material_issues_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["cost_id"], ["campaign_costs.id"], name=op.f("fk_material_issues_cost_id_campaign_costs")
        ),
        sa.ForeignKeyConstraint(
            ["material_id"], ["materials.id"], name=op.f("fk_material_issues_material_id_materials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material_issues")),
    )
    op.create_index(op.f("ix_material_issues_campaign_id"), "material_issues", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_material_issues_material_id"), "material_issues", ["material_id"], unique=False)


def downgrade() -> None:
    op.drop_table("material_issues")
    op.drop_table("materials")
    op.drop_table("intelligence_entries")
    op.drop_table("competitors")
    op.drop_table("campaign_revenue")
    op.drop_table("campaign_attributions")
    op.drop_table("sales_opportunities")
    op.drop_table("campaign_touches")
    op.drop_table("campaign_stats")
