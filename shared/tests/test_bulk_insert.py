"""Many rows in one INSERT: every kind of column arrives as it was given, and too long a value is refused."""

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import ARRAY, Column, MetaData, String, Table, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.exc import DBAPIError

from crm_shared.db.bulk import insert_rows

metadata = MetaData()
THINGS = Table(
    "things",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("name", String(5), nullable=False),
    Column("tags", ARRAY(String(10)), nullable=False),
    Column("custom", JSONB, nullable=False),
    Column("search", TSVECTOR),
    Column("note", String),
)


@pytest.fixture
async def things(db):
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return db


async def test_each_column_arrives_as_given_and_a_missing_one_is_null(things):
    first, second = uuid.uuid4(), uuid.uuid4()
    rows = [
        SimpleNamespace(id=first, name="华为", tags=['a "b"', "c\\d", "e,f"], custom={"级别": 1}, search="'华为' 'hw'"),
        SimpleNamespace(id=second, name="x", tags=[], custom={}, search=None, note="n"),
    ]
    async with things.unit_of_work() as uow:
        await insert_rows(uow.session, THINGS, rows)
    async with things.unit_of_work() as uow:
        stored = (await uow.session.execute(text("SELECT * FROM things ORDER BY note NULLS LAST"))).all()
    assert [tuple(r) for r in stored] == [
        (second, "x", [], {}, None, "n"),
        (first, "华为", ['a "b"', "c\\d", "e,f"], {"级别": 1}, "'hw' '华为'", None),
    ]


async def test_too_long_a_value_is_refused_not_cut(things):
    for row in (
        SimpleNamespace(id=uuid.uuid4(), name="sixsix", tags=[], custom={}),
        SimpleNamespace(id=uuid.uuid4(), name="ok", tags=["elevenchars"], custom={}),
    ):
        with pytest.raises(DBAPIError, match="too long"):
            async with things.unit_of_work() as uow:
                await insert_rows(uow.session, THINGS, [row])
