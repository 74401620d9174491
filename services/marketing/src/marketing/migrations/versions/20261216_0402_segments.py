"""segments: the profile rules read (account, sales and engagement facts per contact), segments and members

Revision ID: 20261216_0402
Revises: 20261216_0404
Create Date: 2026-12-16 04:02:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261216_0402"
down_revision: str | None = "20261216_0404"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _texts(name: str) -> sa.Column:
    return sa.Column(name, postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False)


def _json(name: str) -> sa.Column:
    return sa.Column(name, postgresql.JSONB(), server_default="{}", nullable=False)


def _facts() -> list[sa.Column]:
    return [
        sa.Column("level", sa.String(length=1), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=50), nullable=True),
        sa.Column("lifecycle_stage", sa.String(length=20), nullable=True),
        _texts("tags"),
        _json("custom"),
        sa.Column("open_opportunity", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_order_at", TZ, nullable=True),
        _texts("lost_to"),
    ]


def upgrade() -> None:
    op.create_table(
        "segment_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_facts(),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("lifecycle_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_accounts")),
    )
    op.create_table(
        "segment_opportunities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("competitor", sa.String(length=200), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_opportunities")),
    )
    op.create_index(op.f("ix_segment_opportunities_account_id"), "segment_opportunities", ["account_id"])
    op.create_table(
        "segment_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("ordered_at", TZ, nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_orders")),
    )
    op.create_index(op.f("ix_segment_orders_account_id"), "segment_orders", ["account_id"])
    op.create_table(
        "segment_profiles",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_facts(),
        sa.Column("opened_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_opened_at", TZ, nullable=True),
        sa.Column("clicked_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_clicked_at", TZ, nullable=True),
        sa.Column("responded_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_responded_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_segment_profiles")),
    )
    op.create_index("ix_segment_profiles_account", "segment_profiles", ["account_id"])
    # the relative-time re-check reads a band of each time column
    for column in ("last_order_at", "last_opened_at", "last_clicked_at", "last_responded_at"):
        op.create_index(f"ix_segment_profiles_{column}", "segment_profiles", [column])
    op.create_table(
        "segments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rules", postgresql.JSONB(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("checked_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segments")),
    )
    op.create_index(op.f("ix_segments_owner_id"), "segments", ["owner_id"])
    op.create_table(
        "segment_members",
        sa.Column("segment_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["segment_id"], ["segments.id"], name=op.f("fk_segment_members_segment_id_segments")),
        sa.PrimaryKeyConstraint("segment_id", "contact_id", name=op.f("pk_segment_members")),
    )
    op.create_index("ix_segment_members_contact", "segment_members", ["contact_id"])
    # what the projections already hold: accounts' level and province, and a profile per known contact
    op.execute(
        "INSERT INTO segment_accounts (id, level, province, deleted, open_opportunity, updated_at, lifecycle_at) "
        "SELECT id, level, province, deleted, false, 'epoch', 'epoch' FROM account_refs"
    )
    op.execute(
        "INSERT INTO segment_profiles (contact_id, account_id, active, level, province, open_opportunity, "
        "opened_count, clicked_count, responded_count) "
        "SELECT c.id, c.account_id, NOT c.deleted AND NOT coalesce(a.deleted, false), a.level, a.province, false, "
        "0, 0, 0 FROM audience_contacts c LEFT JOIN segment_accounts a ON a.id = c.account_id"
    )


def downgrade() -> None:
    op.drop_table("segment_members")
    op.drop_table("segments")
    op.drop_table("segment_profiles")
    op.drop_table("segment_orders")
    op.drop_table("segment_opportunities")
    op.drop_table("segment_accounts")
