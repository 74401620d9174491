"""knowledge-base category names unique in each language, by index: two saves at once cannot both pass the check

Categories saved with a name another already had (before the check) keep it with a number after it.

Revision ID: 20261222_0504
Revises: 20261221_0503
Create Date: 2026-12-22
"""

from collections.abc import Sequence

from alembic import op

from crm_shared.db.platform_tables import number_repeated_names

revision: str = "20261222_0504"
down_revision: str | None = "20261221_0503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    number_repeated_names("kb_categories", "name_zh", "created_at")
    number_repeated_names("kb_categories", "name_en", "created_at", "name_en <> ''")
    op.create_index("uq_kb_categories_name_zh", "kb_categories", ["name_zh"], unique=True)
    op.create_index(
        "uq_kb_categories_name_en", "kb_categories", ["name_en"], unique=True, postgresql_where="name_en <> ''"
    )


def downgrade() -> None:
    op.drop_index("uq_kb_categories_name_en", "kb_categories")
    op.drop_index("uq_kb_categories_name_zh", "kb_categories")
