"""customer schema: accounts, contacts, activities, tasks, links, history

Revision ID: 20261122_0101
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_shared.auth.directory import create_directory_table
from crm_shared.db.platform_tables import create_platform_tables, drop_platform_tables

revision: str = "20261122_0101"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables()
    create_directory_table()
    op.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("industry", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("size", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("lifecycle_stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("in_pool", sa.Boolean(), nullable=False),
        sa.Column("pool_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_followup_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_order_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("email_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("email_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("custom", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=True),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index("ix_accounts_email_hash", "accounts", ["email_hash"], unique=False)
    op.create_index("ix_accounts_followup", "accounts", ["last_followup_at"], unique=False)
    op.create_index(op.f("ix_accounts_industry"), "accounts", ["industry"], unique=False)
    op.create_index(op.f("ix_accounts_level"), "accounts", ["level"], unique=False)
    op.create_index(op.f("ix_accounts_lifecycle_stage"), "accounts", ["lifecycle_stage"], unique=False)
    op.create_index("ix_accounts_name_key", "accounts", ["name_key"], unique=False)
    op.create_index("ix_accounts_owner_updated", "accounts", ["owner_id", "updated_at", "id"], unique=False)
    op.create_index("ix_accounts_phone_hash", "accounts", ["phone_hash"], unique=False)
    op.create_index(
        "ix_accounts_pool",
        "accounts",
        ["in_pool", "pool_since"],
        unique=False,
        postgresql_where=sa.text("in_pool"),
    )
    op.create_index(op.f("ix_accounts_province"), "accounts", ["province"], unique=False)
    op.create_index("ix_accounts_search", "accounts", ["search"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_accounts_source"), "accounts", ["source"], unique=False)
    op.create_index("ix_accounts_tags", "accounts", ["tags"], unique=False, postgresql_using="gin")
    op.create_index("ix_accounts_updated", "accounts", ["updated_at", "id"], unique=False)
    op.create_table(
        "account_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("from_id", sa.Uuid(), nullable=False),
        sa.Column("to_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["from_id"], ["accounts.id"], name=op.f("fk_account_links_from_id_accounts")),
        sa.ForeignKeyConstraint(["to_id"], ["accounts.id"], name=op.f("fk_account_links_to_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
    )
    op.create_index(op.f("ix_account_links_from_id"), "account_links", ["from_id"], unique=False)
    op.create_index("ix_account_links_pair", "account_links", ["from_id", "to_id", "kind"], unique=True)
    op.create_index(op.f("ix_account_links_to_id"), "account_links", ["to_id"], unique=False)
    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("phone_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("email_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("email_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("id_number_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("custom", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_contacts_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index("ix_contacts_account", "contacts", ["account_id", "name"], unique=False)
    op.create_index("ix_contacts_email_hash", "contacts", ["email_hash"], unique=False)
    op.create_index("ix_contacts_phone_hash", "contacts", ["phone_hash"], unique=False)
    op.create_index("ix_contacts_search", "contacts", ["search"], unique=False, postgresql_using="gin")
    op.create_table(
        "lifecycle_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("from_stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("to_stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_lifecycle_changes_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifecycle_changes")),
    )
    op.create_index(op.f("ix_lifecycle_changes_account_id"), "lifecycle_changes", ["account_id"], unique=False)
    op.create_table(
        "ownership_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("from_owner_id", sa.Uuid(), nullable=True),
        sa.Column("to_owner_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_ownership_changes_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_changes")),
    )
    op.create_index(op.f("ix_ownership_changes_account_id"), "ownership_changes", ["account_id"], unique=False)
    op.create_table(
        "activities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("participants", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_activities_account_id_accounts")),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_activities_contact_id_contacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index("ix_activities_account_time", "activities", ["account_id", "occurred_at", "id"], unique=False)
    op.create_index("ix_activities_contact_time", "activities", ["contact_id", "occurred_at"], unique=False)
    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_tasks_account_id_accounts")),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_tasks_contact_id_contacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index(op.f("ix_tasks_account_id"), "tasks", ["account_id"], unique=False)
    op.create_index("ix_tasks_assignee_due", "tasks", ["assignee_id", "status", "due_at"], unique=False)
    op.create_index(
        "ix_tasks_reminder_pending",
        "tasks",
        ["remind_at"],
        unique=False,
        postgresql_where=sa.text("reminder_sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_reminder_pending", table_name="tasks", postgresql_where=sa.text("reminder_sent_at IS NULL"))
    op.drop_index("ix_tasks_assignee_due", table_name="tasks")
    op.drop_index(op.f("ix_tasks_account_id"), table_name="tasks")
    op.drop_table("tasks")
    op.drop_index("ix_activities_contact_time", table_name="activities")
    op.drop_index("ix_activities_account_time", table_name="activities")
    op.drop_table("activities")
    op.drop_index(op.f("ix_ownership_changes_account_id"), table_name="ownership_changes")
    op.drop_table("ownership_changes")
    op.drop_index(op.f("ix_lifecycle_changes_account_id"), table_name="lifecycle_changes")
    op.drop_table("lifecycle_changes")
    op.drop_index("ix_contacts_search", table_name="contacts", postgresql_using="gin")
    op.drop_index("ix_contacts_phone_hash", table_name="contacts")
    op.drop_index("ix_contacts_email_hash", table_name="contacts")
    op.drop_index("ix_contacts_account", table_name="contacts")
    op.drop_table("contacts")
    op.drop_index(op.f("ix_account_links_to_id"), table_name="account_links")
    op.drop_index("ix_account_links_pair", table_name="account_links")
    op.drop_index(op.f("ix_account_links_from_id"), table_name="account_links")
    op.drop_table("account_links")
    op.drop_index("ix_accounts_updated", table_name="accounts")
    op.drop_index("ix_accounts_tags", table_name="accounts", postgresql_using="gin")
    op.drop_index(op.f("ix_accounts_source"), table_name="accounts")
    op.drop_index("ix_accounts_search", table_name="accounts", postgresql_using="gin")
    op.drop_index(op.f("ix_accounts_province"), table_name="accounts")
    op.drop_index("ix_accounts_pool", table_name="accounts", postgresql_where=sa.text("in_pool"))
    op.drop_index("ix_accounts_phone_hash", table_name="accounts")
    op.drop_index("ix_accounts_owner_updated", table_name="accounts")
    op.drop_index("ix_accounts_name_key", table_name="accounts")
    op.drop_index(op.f("ix_accounts_lifecycle_stage"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_level"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_industry"), table_name="accounts")
    op.drop_index("ix_accounts_followup", table_name="accounts")
    op.drop_index("ix_accounts_email_hash", table_name="accounts")
    op.drop_table("accounts")
    op.drop_table("directory_users")
    drop_platform_tables()
