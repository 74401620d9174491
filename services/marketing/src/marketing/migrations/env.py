"""Alembic environment for the marketing database."""

import marketing.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
