"""Alembic environment for the support database."""

import support.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
