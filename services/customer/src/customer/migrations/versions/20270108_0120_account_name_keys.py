"""accounts' duplicate keys ignore what shows nothing (U+200B, U+00AD, U+FEFF, variation selectors) and fold case as
Unicode does (Straße = STRASSE): each account's key is written again, so a name stored before is found as one
written now

Revision ID: 20270108_0120
Revises: 20270101_0119
Create Date: 2027-01-08
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from customer.normalise import company_key

revision: str = "20270108_0120"
down_revision: str | None = "20270101_0119"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000
READ = sa.text("SELECT id, name, name_key FROM accounts WHERE id > :after ORDER BY id LIMIT :batch")
WRITE = sa.text("UPDATE accounts SET name_key = :key WHERE id = :id")


def upgrade() -> None:
    """In batches of ids, so a million accounts are read a slice at a time; only keys that change are written."""
    connection, after = op.get_bind(), uuid.UUID(int=0)
    while rows := connection.execute(READ, {"after": after, "batch": BATCH}).all():
        if changed := [{"id": row.id, "key": key} for row in rows if (key := company_key(row.name)) != row.name_key]:
            connection.execute(WRITE, changed)
        after = rows[-1].id


def downgrade() -> None:
    """The keys stay as written: the schema is as it was."""
