"""Hostile and damaged files through the real endpoints: formula cells, control characters, zip bombs,
malformed files, oversized uploads, refusals before a response starts, job errors without internals."""

import base64
import csv
import io
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import text, update

from crm_shared.testing import GraphQLClient, files, service_app
from crm_shared.testing.tokens import Persona
from customer.accounts.models import Account
from customer.app import create_app
from customer.settings import CustomerSettings

MB = 1 << 20
EXPORTER = Persona("exporter", ("customer:account:export",), {"customer:account": "all"}, uuid.uuid4())
IMPORT = "mutation($i: ImportAccountsInput!) { importAccounts(input: $i) { id } }"
JOB = "query($id: ID!) { importJob(id: $id) { status createdRows skippedRows message } }"


async def run_import(gql, app, variables, as_="rep1"):
    job = (await gql.ok(IMPORT, {"i": variables}, as_))["importAccounts"]
    await app.state.imports.wait()
    return (await gql.ok(JOB, {"id": job["id"]}, as_))["importJob"]


EXPORT = """mutation($f: AccountFilter, $fmt: String!) {
  exportAccounts(filter: $f, format: $fmt) { rowCount contentBase64 } }"""


async def upload(gql, name, content, as_="rep1", lang="en", **data):
    return await gql.rest(
        "POST",
        "/api/v1/imports/accounts",
        as_,
        files={"file": (name, content)},
        data=data,
        headers={"Accept-Language": lang},
    )


def problem(response, status, field="content"):
    assert response.status_code == status, response.text
    body = response.json()
    assert body.get("field") == field, body
    return body["detail"]


async def test_exports_neutralise_formulas_and_survive_control_characters(gql, app):
    tag = f"safe{uuid.uuid4().hex[:6]}"
    names = [f'=HYPERLINK("http://evil","{tag}")', f"+{tag}", f"-{tag}+1", f"@{tag}"]
    ids = [await gql.account("rep1", name=name, tags=[tag], industry="=1+1") for name in names]
    exported = (await gql.ok(EXPORT, {"f": {"tags": [tag]}, "fmt": "csv"}, "rep1"))["exportAccounts"]
    again = base64.b64decode(exported["contentBase64"]).decode("utf-8-sig")
    job = await run_import(gql, app, {"content": again, "duplicatePolicy": "skip"})
    assert (job["status"], job["skippedRows"], job["createdRows"]) == ("done", 4, 0)  # read back as exported

    async with app.state.db.unit_of_work() as uow:  # a name kept from before names were checked
        await uow.session.execute(update(Account).where(Account.id == uuid.UUID(ids[0])).values(name=f"控制\x01{tag}"))
    expected = sorted([f"控制\x01{tag}", *(f"'{n}" for n in names[1:])])
    token = gql.bearer("rep1")

    response = await gql.client.get("/api/v1/accounts-export", params={"search": tag}, headers=token)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    name, industry = rows[0].index("name"), rows[0].index("industry")
    assert sorted(r[name] for r in rows[1:]) == expected
    assert {r[industry] for r in rows[1:]} == {"'=1+1"}

    response = await gql.client.get("/api/v1/accounts-export", params={"search": tag, "format": "xlsx"}, headers=token)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[name] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"}
    assert sorted(c.value for c in cells) == [n.replace("\x01", "\ufffd") for n in expected]

    xlsx = (await gql.ok(EXPORT, {"f": {"tags": [tag]}, "fmt": "xlsx"}, "rep1"))["exportAccounts"]
    assert xlsx["rowCount"] == 4
    assert load_workbook(io.BytesIO(base64.b64decode(xlsx["contentBase64"]))).active.max_row == 5


async def test_export_refusals_come_before_the_response_starts(gql):
    await gql.account("rep1", name=f"导出权限{uuid.uuid4().hex[:6]}")
    refused = await gql.rest("GET", "/api/v1/accounts-export", EXPORTER)
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")  # export without read
    assert (await gql.error(EXPORT, {"fmt": "csv"}, EXPORTER))["message"] == "You do not have permission to do this"
    bad = await gql.rest("GET", "/api/v1/accounts-export", "rep1", params={"format": "pdf"})
    assert problem(bad, 422, "format") == "Field 'format' must be one of: csv, xlsx"
    anonymous = await gql.rest("GET", "/api/v1/accounts-export", None)
    assert anonymous.status_code == 401


async def test_a_zip_bomb_is_refused_before_it_is_unpacked(gql, app):
    bomb = files.zip_bomb(256 * MB)
    assert len(bomb) < 512 * 1024
    response = await upload(gql, "bomb.xlsx", bomb)
    assert problem(response, 422) == "Field 'content': the workbook unpacks to more than the 100 MB allowed"
    body = await gql(IMPORT, {"i": {"content": base64.b64encode(bomb).decode(), "format": "xlsx"}}, "rep1", "zh-CN")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "content", "limit": "100"}
    assert body["errors"][0]["message"] == "字段“content”：工作簿解压后超过允许的 100 MB"
    assert list(app.state.imports.directory.glob("*")) == []  # the refused file is gone


@pytest.mark.parametrize(
    ("name", "content", "en", "zh"),
    [
        (
            "notzip.xlsx",
            b"just text",
            "Field 'content': the file is damaged or is not a XLSX file",
            "字段“content”：文件已损坏或不是 XLSX 文件",
        ),
        (
            "broken.xlsx",
            files.xlsx([["客户名称"], ["甲"]])[:2000],
            "Field 'content': the file is damaged or is not a XLSX file",
            "字段“content”：文件已损坏或不是 XLSX 文件",
        ),
        (
            "nosheet.xlsx",
            files.without_sheets(files.xlsx([["客户名称"]])),
            "Field 'content': the workbook has no worksheet",
            "字段“content”：工作簿中没有工作表",
        ),
        (
            "gbk.csv",
            "客户名称,行业\n华为,通信\n".encode("gbk"),
            "Field 'content': the CSV file is not UTF-8 text; save it as CSV UTF-8",
            "字段“content”：CSV 文件不是 UTF-8 编码，请另存为“CSV UTF-8”格式",
        ),
    ],
)
async def test_malformed_files_answer_a_field_error_in_both_languages(gql, name, content, en, zh):
    assert problem(await upload(gql, name, content), 422) == en
    assert problem(await upload(gql, name, content, lang="zh-CN"), 422) == zh
    if name.endswith(".xlsx"):
        variables = {"i": {"content": base64.b64encode(content).decode(), "format": "xlsx"}}
        assert (await gql.error(IMPORT, variables, "rep1", "BAD_USER_INPUT"))["message"] == en
    not_base64 = {"i": {"content": "%%% not base64", "format": "xlsx"}}
    error = await gql.error(IMPORT, not_base64, "rep1", "BAD_USER_INPUT", lang="zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "content",
        "字段“content”：XLSX 文件须以 base64 编码提交",
    )


async def test_an_oversized_upload_is_refused_before_it_is_read(gql, app):
    endless = files.EndlessUpload(100 * MB)
    response = await gql.client.post(
        "/api/v1/imports/accounts",
        content=endless,
        headers={**gql.bearer("rep1"), "Content-Type": endless.content_type},
    )
    assert problem(response, 413) == "Field 'content': the file is larger than the 20 MB allowed"
    assert 20 * MB < endless.sent < 22 * MB  # it stopped reading just past the limit

    for caller, status in ((None, 401), ("marketing", 403), ("rep1", 413)):
        declared = files.EndlessUpload(100 * MB)
        headers = {"Content-Type": declared.content_type, "Content-Length": str(100 * MB)}
        response = await gql.client.post(
            "/api/v1/imports/accounts", content=declared, headers={**gql.bearer(caller), **headers}
        )
        assert (response.status_code, declared.sent) == (status, 0)  # refused before a byte was read

    retried = files.EndlessUpload(100 * MB)
    headers = {"Content-Type": retried.content_type, "Content-Length": str(100 * MB), "Idempotency-Key": "big-1"}
    response = await gql.client.post(
        "/api/v1/imports/accounts", content=retried, headers={**gql.bearer("rep1"), **headers}
    )
    assert (response.status_code, response.json()["field"], retried.sent) == (413, "content", 0)
    assert list(app.state.imports.directory.glob("*")) == []


async def test_an_upload_within_the_limits_is_imported(gql, app):
    tag = f"up{uuid.uuid4().hex[:6]}"
    response = await upload(gql, "ok.xlsx", files.xlsx([["客户名称", "标签"], [f"'=上传{tag}", tag]]))
    assert response.status_code == 202, response.text
    await app.state.imports.wait()
    job = (await gql.rest("GET", f"/api/v1/imports/{response.json()['id']}", "rep1")).json()
    assert (job["status"], job["created_rows"]) == ("done", 1)
    found = await gql.ok(
        "query($t: [String!]) { accounts(filter: {tags: $t}) { edges { node { name } } } }", {"t": [tag]}
    )
    assert found["accounts"]["edges"] == [{"node": {"name": f"=上传{tag}"}}]


@pytest.fixture
async def small(fresh_db, platform_settings, tokens, persona):
    """The service with small import limits."""
    limits = {"upload_max_bytes": MB // 4, "import_max_rows": 3, "import_max_columns": 4}
    platform = platform_settings.model_copy(update=limits)
    app = await service_app(create_app, CustomerSettings(), platform, tokens, persona, await fresh_db("customer"))
    async with GraphQLClient(app, tokens, persona, base_url="http://customer") as client:
        yield client


async def test_rows_columns_and_size_are_capped_with_clear_errors(small):
    long = "客户名称\n" + "".join(f"甲{n}\n" for n in range(4))
    error = await small.error(IMPORT, {"i": {"content": long}}, "rep1", "BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "content",
        "Field 'content': the file has more than the 3 rows allowed",
    )
    wide = "客户名称,a,b,c,d\n甲,1,2,3,4\n"
    assert problem(await upload(small, "wide.csv", wide.encode()), 422) == (
        "Field 'content': row 1 has more than the 4 columns allowed"
    )
    big = "客户名称\n" + "甲\n" * 100_000
    assert problem(await upload(small, "big.csv", big.encode()), 413) == (
        "Field 'content': the file is larger than the 0.25 MB allowed"
    )
    error = await small.error(IMPORT, {"i": {"content": big}}, "rep1", "BAD_USER_INPUT")
    assert error["extensions"]["field"] == "content"


async def test_a_failing_job_shows_a_meaningful_message_not_sql(gql, app):
    async with app.state.db.unit_of_work() as uow:  # the database refuses this one name, as a fault would
        await uow.session.execute(text("ALTER TABLE accounts ADD CONSTRAINT no_boom CHECK (name <> '爆炸有限公司')"))
    job = await run_import(gql, app, {"content": "客户名称\n爆炸有限公司\n"})
    assert (job["status"], job["message"]) == (
        "failed",
        "The import stopped on an unexpected error; rows already imported are kept, import the rest again",
    )


@pytest.mark.parametrize("mapping", ["[1, 2]", '"name"', "1e309", '{"name": {"a": 1}}', '{"name": 5}'])
async def test_a_mapping_that_is_not_an_object_of_field_names_is_refused_naming_it(gql, mapping):
    response = await upload(gql, "a.csv", "名称\n映射测试\n".encode(), mapping=mapping)
    assert problem(response, 422, "mapping") == "Field 'mapping' must be a JSON object naming a field for each column"


async def test_a_mapping_naming_no_such_field_or_column_says_which_in_the_callers_language(gql):
    for mapping, en, zh in (
        (
            '{"名称": "colour"}',
            "Field 'mapping': the column 名称 maps to colour, which is no field to import",
            "字段“mapping”：列“名称”对应的“colour”不是可导入的字段",
        ),
        (
            '{"Company": "name"}',
            "Field 'mapping' names the column Company, which the file does not have",
            "字段“mapping”中的列“Company”在文件中不存在",
        ),
        (
            '{"名称": "industry"}',
            "Field 'mapping': a column must map to name",
            "字段“mapping”：须有一列对应到字段“name”",
        ),
    ):
        said = [
            problem(await upload(gql, "a.csv", "名称\n映射测试\n".encode(), lang=lang, mapping=mapping), 422, "mapping")
            for lang in ("en", "zh-CN")
        ]
        assert said == [en, zh], mapping
