"""Alembic environment for the identity database."""

import identity.models  # noqa: F401  (registers the tables)
from crm_shared.db.alembic_env import run

run()
