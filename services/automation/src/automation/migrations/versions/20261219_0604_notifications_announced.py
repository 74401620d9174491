"""notifications announced by the database: each inserted row is told to the live streams (`automation_notifications`)
in its transaction, so a batch of them costs no statement each

Revision ID: 20261219_0604
Revises: 20261218_0602
Create Date: 2026-12-19 06:04:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261219_0604"
down_revision: str | None = "20261218_0602"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION notification_announced() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('automation_notifications', NEW.user_id::text || ':' || NEW.id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER notification_announced AFTER INSERT ON notifications
            FOR EACH ROW EXECUTE FUNCTION notification_announced()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER notification_announced ON notifications")
    op.execute("DROP FUNCTION notification_announced()")
