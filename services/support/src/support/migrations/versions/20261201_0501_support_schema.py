"""support schema: tickets and their history, calendars, SLA policies and notices, teams, projections

Revision ID: 20261201_0501
Revises:
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.accounts import create_account_refs_table
from crm_shared.auth.directory import create_directory_table
from crm_shared.db.platform_tables import create_platform_tables, create_tables, drop_platform_tables, drop_tables

revision: str = "20261201_0501"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables() -> list[type]:
    from support import models

    return [
        models.OrgUnitRef,
        models.BusinessCalendar,
        models.SlaPolicy,
        models.Team,
        models.TeamMember,
        models.RoutingRule,
        models.Ticket,
        models.StatusChange,
        models.Entry,
        models.SlaNotice,
    ]


def upgrade() -> None:
    create_platform_tables()
    create_directory_table()
    create_account_refs_table()
    op.execute("CREATE SEQUENCE ticket_number_seq")
    create_tables(*_tables())


def downgrade() -> None:
    drop_tables(*_tables())
    op.execute("DROP SEQUENCE ticket_number_seq")
    op.execute("DROP TABLE account_refs")
    op.execute("DROP TABLE directory_users")
    drop_platform_tables()
