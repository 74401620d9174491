"""Alembic environment for the sales database."""

import sales.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
