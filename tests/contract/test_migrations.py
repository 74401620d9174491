"""Every service's migrations go down to nothing and up again: an operator rolling back a release, then
forward, ends with the schema the release made, not a failed upgrade on a table a downgrade left behind."""

import asyncio

import pytest
from alembic import command
from sqlalchemy import inspect

from crm_shared.db import Database
from crm_shared.db.migrate import alembic_config
from crm_shared.testing import migrated_database

SERVICES = ["identity", "customer", "sales", "marketing", "support", "automation"]


async def tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_schema_goes_down_to_nothing_and_up_again(postgres, service):
    database = await migrated_database(postgres, service)
    config = alembic_config(service, database.url)
    made = await tables(database)

    await asyncio.to_thread(command.downgrade, config, "base")
    emptied = await tables(database)
    await asyncio.to_thread(command.upgrade, config, "heads")

    assert emptied == {"alembic_version"}
    assert await tables(database) == made
    await database.dispose()
