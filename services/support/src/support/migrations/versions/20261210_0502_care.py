"""support care: satisfaction surveys and their follow-ups, the installed base, tickets' figures for
analytics, agents' shifts; a ticket's product and routing by product

Revision ID: 20261210_0502
Revises: 20261210_0501
Create Date: 2026-12-10 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261210_0502"
down_revision: str | None = "20261210_0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("tickets", sa.Column("product_id", sa.Uuid(), nullable=True))
    op.create_index(
        "ix_tickets_product_created",
        "tickets",
        ["product_id", "created_at"],
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_resolved", "tickets", ["resolved_at"], postgresql_where=sa.text("resolved_at IS NOT NULL")
    )
    op.add_column(
        "routing_rules",
        sa.Column("products", postgresql.ARRAY(sa.String(length=36)), nullable=False, server_default="{}"),
    )
    op.alter_column("routing_rules", "products", server_default=None)
    op.create_table(
        "surveys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", Time, nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("sent_at", Time, nullable=False),
        sa.Column("expires_at", Time, nullable=False),
        sa.Column("answered_at", Time, nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("comment", String(length=2000), nullable=True),
        sa.Column("follow_up", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_surveys_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
        sa.UniqueConstraint("ticket_id", "resolved_at", name="uq_surveys_ticket_resolution"),
    )
    op.create_index("ix_surveys_account_kind_answered", "surveys", ["account_id", "kind", "answered_at"])
    op.create_index("ix_surveys_contact_kind_sent", "surveys", ["contact_id", "kind", "sent_at"])
    op.create_index(
        "ix_surveys_answered", "surveys", ["answered_at"], postgresql_where=sa.text("answered_at IS NOT NULL")
    )
    op.create_table(
        "survey_follow_ups",
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=False),
        sa.Column("title", String(length=200), nullable=False),
        sa.Column("notes", String(length=5000), nullable=False),
        sa.Column("due_at", Time, nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], name=op.f("fk_survey_follow_ups_survey_id_surveys")),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_survey_follow_ups")),
    )
    op.create_index(
        "ix_survey_follow_ups_pending",
        "survey_follow_ups",
        ["created_at"],
        postgresql_where=sa.text("task_id IS NULL"),
    )
    op.create_table(
        "installed_products",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("order_number", String(length=30), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("product_code", String(length=50), nullable=True),
        sa.Column("name", String(length=200), nullable=False),
        sa.Column("quantity", sa.Numeric(14, 4), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("warranty_until", sa.Date(), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("order_id", "line", name=op.f("pk_installed_products")),
    )
    op.create_index("ix_installed_products_account_delivered", "installed_products", ["account_id", "delivered_on"])
    op.create_index("ix_installed_products_product", "installed_products", ["product_id"])
    op.create_table(
        "ticket_figures",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("first_response_seconds", sa.Integer(), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=True),
        sa.Column("first_response_met", sa.Boolean(), nullable=True),
        sa.Column("resolution_met", sa.Boolean(), nullable=True),
        sa.Column("resolved_at", Time, nullable=True),
        sa.Column("updated_at", Time, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_figures_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_figures")),
    )
    op.create_index("ix_ticket_figures_resolved", "ticket_figures", ["resolved_at"])
    op.create_table(
        "agent_shifts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", String(length=64), nullable=False),
        sa.Column("weekly", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("exceptions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_agent_shifts")),
    )


def downgrade() -> None:
    op.drop_table("agent_shifts")
    op.drop_index("ix_ticket_figures_resolved", table_name="ticket_figures")
    op.drop_table("ticket_figures")
    op.drop_index("ix_installed_products_product", table_name="installed_products")
    op.drop_index("ix_installed_products_account_delivered", table_name="installed_products")
    op.drop_table("installed_products")
    op.drop_index("ix_survey_follow_ups_pending", table_name="survey_follow_ups")
    op.drop_table("survey_follow_ups")
    op.drop_index("ix_surveys_answered", table_name="surveys")
    op.drop_index("ix_surveys_contact_kind_sent", table_name="surveys")
    op.drop_index("ix_surveys_account_kind_answered", table_name="surveys")
    op.drop_table("surveys")
    op.drop_column("routing_rules", "products")
    op.drop_index("ix_tickets_resolved", table_name="tickets")
    op.drop_index("ix_tickets_product_created", table_name="tickets")
    op.drop_column("tickets", "product_id")
