"""knowledge-base versions keep the tags and category they were published with

Revision ID: 20261211_0501
Revises: 20261210_0502
Create Date: 2026-12-01 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261211_0501"
down_revision: str | None = "20261210_0502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "kb_article_versions",
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), server_default="{}", nullable=False),
    )
    op.add_column("kb_article_versions", sa.Column("category_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_kb_article_versions_category_id_kb_categories"),
        "kb_article_versions",
        "kb_categories",
        ["category_id"],
        ["id"],
    )
    # versions published before kept none: the article's current ones are the best record there is
    op.execute(
        "UPDATE kb_article_versions v SET tags = a.tags, category_id = a.category_id "
        "FROM kb_articles a WHERE a.id = v.article_id"
    )
    op.alter_column("kb_article_versions", "tags", server_default=None)


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_kb_article_versions_category_id_kb_categories"), "kb_article_versions", type_="foreignkey"
    )
    op.drop_column("kb_article_versions", "category_id")
    op.drop_column("kb_article_versions", "tags")
