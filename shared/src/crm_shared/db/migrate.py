"""Apply a service's Alembic migrations: `python -m crm_shared.db.migrate <service>`."""

from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path

from alembic import command
from alembic.config import Config

from crm_shared.db.engine import sqlalchemy_url


def alembic_config(service: str, url: str) -> Config:
    package = importlib.import_module(service)
    assert package.__file__ is not None
    config = Config()
    config.set_main_option("script_location", str(Path(package.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url))
    return config


def upgrade(service: str, url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(service, url), revision)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service")
    parser.add_argument("--url", help="database URL (default: <SERVICE>_DATABASE_URL)")
    parser.add_argument("--revision", default="heads")
    args = parser.parse_args()
    url = args.url or os.environ[f"{args.service.upper()}_DATABASE_URL"]
    upgrade(args.service, url, args.revision)


if __name__ == "__main__":
    main()
