"""connectors: inputs taken once (calls' events, ERP documents, mail), the call log, logging addresses, logged mail

Revision ID: 20261218_0603
Revises: 20261217_0601
Create Date: 2026-12-18 06:03:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261218_0603"
down_revision: str | None = "20261217_0601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "connector_inputs",
        sa.Column("id", sa.Uuid(), nullable=False),
        _text("connector", 20),
        _text("key", 300),
        _text("kind", 50),
        _text("outcome", 20),
        _text("error", 2000, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("received_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connector_inputs")),
        sa.UniqueConstraint("connector", "key", name=op.f("uq_connector_inputs_connector")),
    )
    op.create_index("ix_connector_inputs_outcome", "connector_inputs", ["connector", "outcome"])
    op.create_table(
        "calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        _text("call_id", 100),
        _text("direction", 10),
        sa.Column("number_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        _text("number_hash", 64, nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        _text("status", 20),
        _time("started_at"),
        _time("answered_at", nullable=True),
        _time("ended_at", nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        _text("recording_url", 2000, nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("task_id", sa.Uuid(), nullable=True),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint("call_id", name=op.f("uq_calls_call_id")),
    )
    op.create_index("ix_calls_started", "calls", ["started_at", "id"])
    op.create_index(op.f("ix_calls_number_hash"), "calls", ["number_hash"])
    op.create_index(op.f("ix_calls_agent_id"), "calls", ["agent_id"])
    op.create_table(
        "mail_logging_addresses",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _text("token", 40),
        _time("created_at"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_logging_addresses")),
        sa.UniqueConstraint("token", name=op.f("uq_mail_logging_addresses_token")),
    )
    op.create_table(
        "logged_mails",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _text("message_id", 500),
        _text("thread_id", 500),
        _text("subject", 200),
        sa.Column("addresses_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        _time("sent_at"),
        sa.Column("matched", sa.Integer(), nullable=False),
        _time("received_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logged_mails")),
        sa.UniqueConstraint("user_id", "message_id", name=op.f("uq_logged_mails_user_id")),
    )
    op.create_index("ix_logged_mails_user_time", "logged_mails", ["user_id", "received_at", "id"])
    op.create_index(op.f("ix_logged_mails_thread_id"), "logged_mails", ["thread_id"])


def downgrade() -> None:
    op.drop_table("logged_mails")
    op.drop_table("mail_logging_addresses")
    op.drop_table("calls")
    op.drop_table("connector_inputs")
