"""journeys: definitions, published versions and their email contents, enrolments with their timers, step
runs, tags and hand-overs; campaign sends also carry a journey's mail

Revision ID: 20261216_0405
Revises: 20261216_0402
Create Date: 2026-12-16 04:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261216_0405"
down_revision: str | None = "20261216_0402"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "journeys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("draft", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("live_version", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_journeys_campaign_id_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journeys")),
    )
    op.create_index(op.f("ix_journeys_campaign_id"), "journeys", ["campaign_id"])
    op.create_table(
        "journey_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("journey_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=False),
        sa.Column("published_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["journey_id"], ["journeys.id"], name=op.f("fk_journey_versions_journey_id_journeys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_versions")),
        sa.UniqueConstraint("journey_id", "version", name="uq_journey_versions_version"),
    )
    op.create_table(
        "journey_contents",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("html", sa.String(length=100000), nullable=False),
        sa.Column("text", sa.String(length=50000), nullable=False),
        sa.Column("links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["journey_versions.id"], name=op.f("fk_journey_contents_version_id_journey_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "step", name=op.f("pk_journey_contents")),
    )
    op.create_table(
        "journey_enrolments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("journey_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("person_kind", sa.String(length=10), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("due_at", TS, nullable=True),
        sa.Column("event_seen", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("goal_at", TS, nullable=True),
        sa.Column("entered_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["journey_id"], ["journeys.id"], name=op.f("fk_journey_enrolments_journey_id_journeys")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["journey_versions.id"], name=op.f("fk_journey_enrolments_version_id_journey_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_enrolments")),
        sa.UniqueConstraint("journey_id", "person_id", name="uq_journey_enrolments_person"),
    )
    op.create_index(op.f("ix_journey_enrolments_person_id"), "journey_enrolments", ["person_id"])
    op.create_index(
        "ix_journey_enrolments_due",
        "journey_enrolments",
        ["due_at"],
        postgresql_where=sa.text("state IN ('active', 'waiting')"),
    )
    op.create_index("ix_journey_enrolments_position", "journey_enrolments", ["journey_id", "state", "step"])
    op.create_table(
        "journey_step_runs",
        sa.Column("enrolment_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("send_id", sa.Uuid(), nullable=True),
        sa.Column("due_at", TS, nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["journey_enrolments.id"],
            name=op.f("fk_journey_step_runs_enrolment_id_journey_enrolments"),
        ),
        sa.PrimaryKeyConstraint("enrolment_id", "seq", name=op.f("pk_journey_step_runs")),
    )
    op.create_table(
        "journey_contact_tags",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.Column("journey_id", sa.Uuid(), nullable=True),
        sa.Column("tagged_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "tag", name=op.f("pk_journey_contact_tags")),
    )
    op.create_table(
        "journey_handovers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrolment_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("remote_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["journey_enrolments.id"],
            name=op.f("fk_journey_handovers_enrolment_id_journey_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_handovers")),
        sa.UniqueConstraint("enrolment_id", "seq", name="uq_journey_handovers_run"),
    )
    op.add_column("campaign_sends", sa.Column("enrolment_id", sa.Uuid(), nullable=True))
    op.add_column("campaign_sends", sa.Column("journey_seq", sa.Integer(), nullable=True))
    op.drop_constraint("uq_campaign_sends_recipient", "campaign_sends", type_="unique")
    op.create_index(
        "uq_campaign_sends_recipient",
        "campaign_sends",
        ["campaign_id", "contact_id"],
        unique=True,
        postgresql_where=sa.text("enrolment_id IS NULL"),
    )
    op.create_index(
        "uq_campaign_sends_journey_step",
        "campaign_sends",
        ["enrolment_id", "journey_seq"],
        unique=True,
        postgresql_where=sa.text("enrolment_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_campaign_sends_journey_step", table_name="campaign_sends")
    op.drop_index("uq_campaign_sends_recipient", table_name="campaign_sends")
    op.execute("DELETE FROM campaign_sends WHERE enrolment_id IS NOT NULL")
    op.create_unique_constraint("uq_campaign_sends_recipient", "campaign_sends", ["campaign_id", "contact_id"])
    op.drop_column("campaign_sends", "journey_seq")
    op.drop_column("campaign_sends", "enrolment_id")
    for table in (
        "journey_handovers",
        "journey_contact_tags",
        "journey_step_runs",
        "journey_enrolments",
        "journey_contents",
        "journey_versions",
        "journeys",
    ):
        op.drop_table(table)
