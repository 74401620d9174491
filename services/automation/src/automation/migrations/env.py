"""Alembic environment for the automation database."""

import automation.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
