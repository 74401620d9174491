"""mail on tickets (inbound threading, the outgoing mail outbox, attachments), canned responses and the
knowledge base; contacts' addresses projected as their hash and ciphertext

Revision ID: 20261210_0501
Revises: 20261201_0501
Create Date: 2026-12-01 04:44:58.545062
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261210_0501"
down_revision: str | None = "20261201_0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbound_messages")),
    )
    op.create_table(
        "kb_categories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_categories")),
    )
    op.create_table(
        "macros",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_macros")),
        sa.UniqueConstraint("name", name=op.f("uq_macros_name")),
    )
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_zh", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_en", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("helpful", sa.Integer(), nullable=False),
        sa.Column("not_helpful", sa.Integer(), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["kb_categories.id"], name=op.f("fk_kb_articles_category_id_kb_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
    )
    op.create_index(op.f("ix_kb_articles_category_id"), "kb_articles", ["category_id"], unique=False)
    op.create_index("ix_kb_articles_search", "kb_articles", ["search"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_kb_articles_status"), "kb_articles", ["status"], unique=False)
    op.create_index("ix_kb_articles_updated", "kb_articles", ["updated_at", "id"], unique=False)
    op.create_table(
        "kb_article_links",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("linked_by", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_articles.id"], name=op.f("fk_kb_article_links_article_id_kb_articles")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_kb_article_links_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("ticket_id", "article_id", name=op.f("pk_kb_article_links")),
    )
    op.create_index(op.f("ix_kb_article_links_article_id"), "kb_article_links", ["article_id"], unique=False)
    op.create_table(
        "kb_article_versions",
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_zh", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_en", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_articles.id"], name=op.f("fk_kb_article_versions_article_id_kb_articles")
        ),
        sa.PrimaryKeyConstraint("article_id", "version", name=op.f("pk_kb_article_versions")),
    )
    op.create_table(
        "kb_article_votes",
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_articles.id"], name=op.f("fk_kb_article_votes_article_id_kb_articles")
        ),
        sa.PrimaryKeyConstraint("article_id", "user_id", name=op.f("pk_kb_article_votes")),
    )
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("to_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("in_reply_to", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("references", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ticket_entries.id"], name=op.f("fk_outgoing_mail_entry_id_ticket_entries")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_outgoing_mail_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_outgoing_mail_entry_id")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outgoing_mail_message_id")),
    )
    op.create_index(
        "ix_outgoing_mail_due",
        "outgoing_mail",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(op.f("ix_outgoing_mail_ticket_id"), "outgoing_mail", ["ticket_id"], unique=False)
    op.create_table(
        "ticket_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ticket_entries.id"], name=op.f("fk_ticket_attachments_entry_id_ticket_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_attachments")),
    )
    op.create_index(op.f("ix_ticket_attachments_entry_id"), "ticket_attachments", ["entry_id"], unique=False)
    op.add_column("contact_refs", sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column("contact_refs", sa.Column("email_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column("contact_refs", sa.Column("email_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_index("ix_contact_refs_email_hash", "contact_refs", ["email_hash"], unique=False)
    op.add_column("ticket_entries", sa.Column("from_customer", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.alter_column("ticket_entries", "from_customer", server_default=None)
    op.add_column(
        "ticket_entries", sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
    )
    op.create_index(
        "ix_ticket_entries_message_id",
        "ticket_entries",
        ["message_id"],
        unique=True,
        postgresql_where=sa.text("message_id IS NOT NULL"),
    )
    op.add_column("tickets", sa.Column("unknown_sender", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.alter_column("tickets", "unknown_sender", server_default=None)
    op.add_column("tickets", sa.Column("requester_email_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.alter_column("tickets", "account_id", existing_type=sa.UUID(), nullable=True)


def downgrade() -> None:
    op.alter_column("tickets", "account_id", existing_type=sa.UUID(), nullable=False)
    op.drop_column("tickets", "requester_email_enc")
    op.drop_column("tickets", "unknown_sender")
    op.drop_index(
        "ix_ticket_entries_message_id", table_name="ticket_entries", postgresql_where=sa.text("message_id IS NOT NULL")
    )
    op.drop_column("ticket_entries", "message_id")
    op.drop_column("ticket_entries", "from_customer")
    op.drop_index("ix_contact_refs_email_hash", table_name="contact_refs")
    op.drop_column("contact_refs", "email_enc")
    op.drop_column("contact_refs", "email_hash")
    op.drop_column("contact_refs", "name")
    op.drop_index(op.f("ix_ticket_attachments_entry_id"), table_name="ticket_attachments")
    op.drop_table("ticket_attachments")
    op.drop_index(op.f("ix_outgoing_mail_ticket_id"), table_name="outgoing_mail")
    op.drop_index("ix_outgoing_mail_due", table_name="outgoing_mail", postgresql_where=sa.text("status = 'pending'"))
    op.drop_table("outgoing_mail")
    op.drop_table("kb_article_votes")
    op.drop_table("kb_article_versions")
    op.drop_index(op.f("ix_kb_article_links_article_id"), table_name="kb_article_links")
    op.drop_table("kb_article_links")
    op.drop_index("ix_kb_articles_updated", table_name="kb_articles")
    op.drop_index(op.f("ix_kb_articles_status"), table_name="kb_articles")
    op.drop_index("ix_kb_articles_search", table_name="kb_articles", postgresql_using="gin")
    op.drop_index(op.f("ix_kb_articles_category_id"), table_name="kb_articles")
    op.drop_table("kb_articles")
    op.drop_table("macros")
    op.drop_table("kb_categories")
    op.drop_table("inbound_messages")
