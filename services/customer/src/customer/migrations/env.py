"""Alembic environment for the customer database."""

import customer.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
