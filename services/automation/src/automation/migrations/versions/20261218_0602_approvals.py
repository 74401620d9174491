"""approvals: chains, approvals with their history, delegations, users' roles, and the org tree they walk

Revision ID: 20261218_0602
Revises: 20261217_0601
Create Date: 2026-12-18 06:02:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261218_0602"
down_revision: str | None = "20261218_0603"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONB = postgresql.JSONB(astext_type=sa.Text())


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "org_unit_refs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit_refs")),
    )
    op.create_table(
        "approval_chains",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", _text(100), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("conditions", JSONB, nullable=False),
        sa.Column("levels", JSONB, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_chains")),
        sa.UniqueConstraint("name", name=op.f("uq_approval_chains_name")),
    )
    op.create_index("ix_approval_chains_kind", "approval_chains", ["subject_kind", "position"], unique=False)
    op.create_table(
        "approvals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("chain_id", sa.Uuid(), nullable=True),
        sa.Column("chain_name", _text(100), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("title", _text(200), nullable=False),
        sa.Column("amount", _text(40), nullable=True),
        sa.Column("currency", _text(3), nullable=True),
        sa.Column("discount", _text(20), nullable=True),
        sa.Column("requester_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("creator_id", sa.Uuid(), nullable=True),
        sa.Column("subject_data", JSONB, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("levels", JSONB, nullable=False),
        sa.Column("current_approvers", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
        sa.Column("level_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("final_approver_id", sa.Uuid(), nullable=True),
        sa.Column("comment", _text(1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
        sa.UniqueConstraint("seq", name=op.f("uq_approvals_seq")),
    )
    op.create_index(
        "uq_approvals_pending_subject",
        "approvals",
        ["subject_kind", "subject_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_approvals_subject", "approvals", ["subject_kind", "subject_id", "seq"], unique=False)
    op.create_index("ix_approvals_approvers", "approvals", ["current_approvers"], postgresql_using="gin")
    op.create_table(
        "approval_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("on_behalf_of", sa.Uuid(), nullable=True),
        sa.Column("comment", _text(1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"], ["approvals.id"], name=op.f("fk_approval_history_approval_id_approvals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_history")),
    )
    op.create_index(op.f("ix_approval_history_approval_id"), "approval_history", ["approval_id"], unique=False)
    op.create_table(
        "approval_delegations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("delegate_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_delegations")),
    )
    op.create_index(op.f("ix_approval_delegations_user_id"), "approval_delegations", ["user_id"], unique=False)
    op.create_index(
        "ix_approval_delegations_delegate", "approval_delegations", ["delegate_id", "ends_at"], unique=False
    )
    op.create_table(
        "approval_user_roles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("roles", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_approval_user_roles")),
    )


def downgrade() -> None:
    op.drop_table("approval_user_roles")
    op.drop_table("approval_delegations")
    op.drop_table("approval_history")
    op.drop_table("approvals")
    op.drop_table("approval_chains")
    op.drop_table("org_unit_refs")
