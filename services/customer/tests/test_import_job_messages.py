"""An import job's per-row errors and its failure are told in the language of whoever reads the job, not of
whoever started it; jobs stored before messages were kept by key read as they were written."""

import asyncio
import uuid

from sqlalchemy import text

from crm_shared.db import Database
from crm_shared.db.migrate import upgrade
from crm_shared.testing import GraphQLClient, discard_database, service_app
from customer.app import create_app
from customer.settings import CustomerSettings

IMPORT = "mutation($i: ImportAccountsInput!) { importAccounts(input: $i) { id } }"
JOB = "query($id: ID!) { importJob(id: $id) { errors message } }"


async def started(gql, app, content, lang, as_="rep1", **options):
    job = (await gql.ok(IMPORT, {"i": {"content": content, **options}}, as_, lang))["importAccounts"]["id"]
    await app.state.imports.wait()
    return job


async def told(gql, job, lang, as_="rep1"):
    """The job's errors and message as a reader in `lang` is told them, alike through GraphQL and REST."""
    graphql = (await gql.ok(JOB, {"id": job}, as_, lang))["importJob"]
    rest = (await gql.rest("GET", f"/api/v1/imports/{job}", as_, headers={"Accept-Language": lang})).json()
    assert (rest["errors"], rest["message"]) == (graphql["errors"], graphql["message"])
    return graphql["errors"], graphql["message"]


def row(number, field, message):
    return {"row": number, "field": field, "message": message}


async def test_row_errors_are_told_in_the_readers_language_whatever_the_importers_was(gql, app):
    tag = uuid.uuid4().hex[:6]
    bad_phone = await started(gql, app, f"客户名称,电话\n号码错误{tag},12\n", lang="zh-CN")
    assert await told(gql, bad_phone, "en") == (
        [row(2, "phone", "Field 'phone' is not a phone number: 7 to 15 digits")],
        None,
    )
    assert await told(gql, bad_phone, "zh-CN") == (
        [row(2, "phone", "字段“phone”不是有效的电话号码：应为 7 到 15 位数字")],
        None,
    )

    name = f"别人的客户{tag}有限公司"
    await gql.account("rep1", name=name)
    foreign = await started(gql, app, f"客户名称\n{name}\n", as_="rep2", lang="en", duplicatePolicy="update")
    assert await told(gql, foreign, "zh-CN", as_="rep2") == (
        [row(2, "name", "字段“name”：该行与一个您无权编辑的客户重复")],
        None,
    )
    assert await told(gql, foreign, "en", as_="rep2") == (
        [row(2, "name", "Field 'name': the account this row repeats is one you may not edit")],
        None,
    )


async def test_a_failed_jobs_message_is_told_in_the_readers_language(gql, app):
    async with app.state.db.unit_of_work() as uow:  # the database refuses this one name, as a fault would
        await uow.session.execute(text("ALTER TABLE accounts ADD CONSTRAINT no_boom CHECK (name <> '爆炸有限公司')"))
    job = await started(gql, app, "客户名称\n爆炸有限公司\n", lang="en")
    assert await told(gql, job, "zh-CN") == ([], "导入因意外错误中止；已导入的行会保留，请重新导入其余的行")
    assert await told(gql, job, "en") == (
        [],
        "The import stopped on an unexpected error; rows already imported are kept, import the rest again",
    )


async def test_a_job_stored_before_messages_were_kept_by_key_reads_as_it_was_written(
    postgres, platform_settings, tokens, persona, tmp_path
):
    name = f"customer_{uuid.uuid4().hex[:8]}"
    url = await postgres.ensure_database(name, f"{name}-pw")
    database = Database(url, source="/crm/customer")
    try:
        await asyncio.to_thread(upgrade, "customer", url, "20261227_0117")
        job = uuid.uuid4()
        async with database.unit_of_work() as uow:
            await uow.session.execute(
                text(
                    "INSERT INTO import_jobs (id, entity, status, file_format, file_name, mapping, duplicate_policy,"
                    " batch_size, processed_rows, created_rows, updated_rows, skipped_rows, failed_rows, errors,"
                    " message, created_by, created_at, finished_at) VALUES (:id, 'account', 'failed', 'csv', 'a.csv',"
                    " '{}', 'skip', 1000, 1, 0, 0, 0, 1, CAST(:errors AS jsonb), :message, :by, now(), now())"
                ),
                {
                    "id": job,
                    "errors": '[{"row": 2, "field": "phone", "message": "字段“phone”不是有效的电话号码"}]',
                    "message": "导入因意外错误中止",
                    "by": persona["rep1"].user_id,
                },
            )
        await asyncio.to_thread(upgrade, "customer", url)
        settings = CustomerSettings(import_dir=str(tmp_path / "imports"))
        app = await service_app(create_app, settings, platform_settings, tokens, persona, database)
        async with GraphQLClient(app, tokens, persona, base_url="http://customer") as gql:
            for lang in ("en", "zh-CN"):
                assert await told(gql, str(job), lang) == (
                    [row(2, "phone", "字段“phone”不是有效的电话号码")],
                    "导入因意外错误中止",
                )
    finally:
        await discard_database(postgres, database)
