"""Importing accounts from CSV and XLSX, and exporting filtered lists."""

import base64
import csv
import io
import uuid

from openpyxl import Workbook, load_workbook

JOB = """query($id: ID!) {
  importJob(id: $id) { status processedRows createdRows updatedRows skippedRows failedRows errors } }"""
IMPORT = "mutation($i: ImportAccountsInput!) { importAccounts(input: $i) { id status } }"


async def run_import(gql, app, variables, as_="rep1", mutation="importAccounts"):
    """Start an import, wait for it and answer its job: every import test polls the same way."""
    job = (await gql.ok(IMPORT.replace("importAccounts", mutation), {"i": variables}, as_))[mutation]
    await app.state.imports.wait()
    return (await gql.ok(JOB, {"id": job["id"]}, as_))["importJob"]


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


async def test_csv_import_maps_columns_reports_bad_rows_and_rejects_their_whole_batch(gql, app):
    tag = f"imp{uuid.uuid4().hex[:6]}"
    good = [[f"导入客户{tag}{n}有限公司", "制造", "A", f"{tag}", f"1390000{n:04d}"] for n in range(5)]
    bad_batch = [[f"导入客户{tag}X{n}", "制造", "Z" if n == 1 else "B", tag, ""] for n in range(3)]
    content = csv_text([["客户名称", "行业", "等级", "标签", "电话"], *good, *bad_batch])
    job = await run_import(gql, app, {"content": content, "batchSize": 5})
    assert job["status"] == "done"
    assert (job["processedRows"], job["createdRows"], job["failedRows"]) == (8, 5, 3)
    assert job["errors"] == [{"row": 8, "field": "level", "message": "Field 'level' must be one of: A, B, C, D"}]
    listed = await gql.ok("query($t: [String!]) { accounts(filter: {tags: $t}) { totalCount } }", {"t": [tag]}, "rep1")
    assert listed["accounts"]["totalCount"] == 5  # nothing of the rejected batch was written


async def test_duplicate_policies_skip_update_or_create(gql, app):
    name = f"策略客户{uuid.uuid4().hex[:6]}有限公司"
    existing = await gql.account("rep1", name=name, industry="旧行业")
    content = csv_text([["name", "industry"], [name, "新行业"]])
    skipped = await run_import(gql, app, {"content": content, "duplicatePolicy": "skip"})
    assert (skipped["skippedRows"], skipped["createdRows"]) == (1, 0)
    updated = await run_import(gql, app, {"content": content, "duplicatePolicy": "update"})
    assert updated["updatedRows"] == 1
    shown = await gql.ok("query($id: ID!) { account(id: $id) { industry } }", {"id": existing}, "rep1")
    assert shown["account"]["industry"] == "新行业"
    foreign = await run_import(gql, app, {"content": content, "duplicatePolicy": "update"}, as_="rep2")
    assert foreign["failedRows"] == 1  # rep2 may not edit rep1's account
    assert foreign["errors"] == [
        {"row": 2, "field": "name", "message": "Field 'name': the account this row repeats is one you may not edit"}
    ]
    created = await run_import(gql, app, {"content": content, "duplicatePolicy": "create"})
    assert created["createdRows"] == 1


async def test_xlsx_import_with_explicit_mapping_and_custom_fields(gql, app):
    tag = f"x{uuid.uuid4().hex[:6]}"
    erp = f"erp_{tag}"
    await gql.ok(
        'mutation($k: String!) { defineCustomField(input: {key: $k, label: "ERP", type: "text"}) { key } }',
        {"k": erp},
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["Company", "Region", "Tags", "ERP code"])
    sheet.append([f"西湖电子{tag}", "浙江", tag, "ERP-001"])
    buffer = io.BytesIO()
    book.save(buffer)
    mapping = [
        {"column": "Company", "field": "name"},
        {"column": "Region", "field": "province"},
        {"column": "Tags", "field": "tags"},
        {"column": "ERP code", "field": f"custom.{erp}"},
    ]
    job = await run_import(
        gql,
        app,
        {"content": base64.b64encode(buffer.getvalue()).decode(), "format": "xlsx", "mapping": mapping},
    )
    assert job["createdRows"] == 1, job["errors"]
    found = await gql.ok(
        "query($t: [String!]) { accounts(filter: {tags: $t}) { edges { node { province custom } } } }",
        {"t": [tag]},
        "rep1",
    )
    assert found["accounts"]["edges"][0]["node"] == {"province": "浙江", "custom": {erp: "ERP-001"}}
    no_name = await gql(IMPORT, {"i": {"content": csv_text([["foo"], ["bar"]])}}, "rep1")
    assert no_name["errors"][0]["extensions"]["field"] == "mapping"
    forbidden = await gql(IMPORT, {"i": {"content": csv_text([["name"], ["x"]])}}, "marketing")
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_export_follows_filter_scope_and_masks(gql, app, tokens, persona):
    tag = f"exp{uuid.uuid4().hex[:6]}"
    for n in range(3):
        await gql.account("rep1", name=f"导出{tag}{n}", tags=[tag], phone=f"1380000{n:04d}")
    export = """mutation($f: AccountFilter, $fmt: String!) {
      exportAccounts(filter: $f, format: $fmt) { fileName rowCount contentBase64 } }"""
    file = (await gql.ok(export, {"f": {"tags": [tag]}, "fmt": "csv"}, "rep1"))["exportAccounts"]
    assert file["rowCount"] == 3 and file["fileName"].endswith(".csv")
    rows = list(csv.reader(io.StringIO(base64.b64decode(file["contentBase64"]).decode("utf-8-sig"))))
    assert rows[0][:2] == ["id", "name"] and [r[1] for r in rows[1:]] == [f"导出{tag}{n}" for n in range(3)]
    assert rows[1][rows[0].index("phone")] == "13800000000"
    assert (await gql.ok(export, {"f": {"tags": [tag]}, "fmt": "csv"}, "rep2"))["exportAccounts"]["rowCount"] == 0

    xlsx = (await gql.ok(export, {"f": {"tags": [tag]}, "fmt": "xlsx"}, "manager"))["exportAccounts"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx["contentBase64"]))).active
    assert sheet.max_row == 4

    token = tokens.token(persona["rep1"])
    response = await gql.client.get(
        "/api/v1/accounts-export",
        params={"format": "csv", "search": tag},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200 and len(response.text.strip().splitlines()) == 4  # header and 3 rows


async def test_contact_import_links_rows_to_accounts_the_importer_may_edit(gql, app):
    mine = f"联系人导入{uuid.uuid4().hex[:6]}有限公司"
    theirs = f"别人的客户{uuid.uuid4().hex[:6]}有限公司"
    account_id = await gql.account("rep1", name=mine)
    await gql.account("rep2", name=theirs)
    content = csv_text(
        [
            ["姓名", "职位", "手机", "客户名称"],
            ["周采购", "采购经理", "13500001111", mine],
            ["吴工", "工程师", "13500002222", mine],
        ]
    )
    done = await run_import(gql, app, {"content": content}, mutation="importContacts")
    assert (done["createdRows"], done["failedRows"]) == (2, 0), done["errors"]
    contacts = await gql.ok(
        "query($id: ID!) { account(id: $id) { contacts { edges { node { name phone } } } } }",
        {"id": account_id},
        "rep1",
    )
    assert {e["node"]["name"] for e in contacts["account"]["contacts"]["edges"]} == {"周采购", "吴工"}

    again = await run_import(gql, app, {"content": content}, mutation="importContacts")
    assert again["skippedRows"] == 2  # same phones

    # with neither phone nor email, the same name at the account is the same person
    by_name = csv_text([["姓名", "职位", "客户名称"], ["周采购", "采购总监", mine], ["郑新人", "", mine]])
    updated = await run_import(gql, app, {"content": by_name, "duplicatePolicy": "update"}, mutation="importContacts")
    assert (updated["updatedRows"], updated["createdRows"], updated["failedRows"]) == (1, 1, 0)
    contacts = await gql.ok(
        "query($id: ID!) { account(id: $id) { contacts { edges { node { name title } } } } }",
        {"id": account_id},
        "rep1",
    )
    titles = {e["node"]["name"]: e["node"]["title"] for e in contacts["account"]["contacts"]["edges"]}
    assert titles == {"周采购": "采购总监", "吴工": "工程师", "郑新人": None}

    foreign = csv_text([["姓名", "客户名称"], ["越权", theirs]])
    refused = await run_import(gql, app, {"content": foreign}, mutation="importContacts")
    assert refused["failedRows"] == 1
    assert refused["errors"] == [
        {"row": 2, "field": "account", "message": "Field 'account': no account of this name that you may edit"}
    ]


async def test_a_row_without_a_name_is_refused_at_name_as_creating_one_by_one_refuses_it(gql, app):
    tag = uuid.uuid4().hex[:6]
    required = "Field 'name' is required"
    content = f'name,industry\nImpOK{tag},IT{tag}\n,IT{tag}\n"   ",IT{tag}\n'
    job = await run_import(gql, app, {"content": content, "duplicatePolicy": "create", "batchSize": 1})
    assert (job["processedRows"], job["createdRows"], job["failedRows"]) == (3, 1, 2)
    assert job["errors"] == [
        {"row": 3, "field": "name", "message": required},
        {"row": 4, "field": "name", "message": required},
    ]
    one = await gql.error('mutation { createAccount(input: {name: "   "}) { id } }', None, "rep1", "BAD_USER_INPUT")
    assert (one["extensions"]["field"], one["message"]) == ("name", required)

    upload = {"file": ("a.csv", content.replace("IT", "IU").encode())}
    started = await gql.rest(
        "POST", "/api/v1/imports/accounts", "rep1", files=upload, data={"duplicate_policy": "create", "batch_size": "1"}
    )
    await app.state.imports.wait()
    read = await gql.rest(
        "GET", f"/api/v1/imports/{started.json()['id']}", "rep1", headers={"Accept-Language": "zh-CN"}
    )
    job = read.json()
    assert (job["processed_rows"], job["created_rows"], job["failed_rows"]) == (3, 1, 2)
    assert job["errors"] == [
        {"row": 3, "field": "name", "message": "字段“name”为必填项"},
        {"row": 4, "field": "name", "message": "字段“name”为必填项"},
    ]
    listed = "query($i: String!) { accounts(filter: {industry: $i}) { edges { node { name } } } }"
    for industry in (f"IT{tag}", f"IU{tag}"):
        edges = (await gql.ok(listed, {"i": industry}, "rep1"))["accounts"]["edges"]
        assert edges == [{"node": {"name": f"ImpOK{tag}"}}], industry

    account = await gql.account("rep1", name=f"联系人无名{tag}")
    people = f'客户名称,name,phone\n联系人无名{tag},,\n联系人无名{tag},"  ",\n联系人无名{tag},钱七,13500003333\n'
    started = await gql.rest(
        "POST", "/api/v1/imports/contacts", "rep1", files={"file": ("c.csv", people.encode())}, data={"batch_size": "1"}
    )
    await app.state.imports.wait()
    job = (await gql.rest("GET", f"/api/v1/imports/{started.json()['id']}", "rep1")).json()
    assert (job["processed_rows"], job["created_rows"], job["failed_rows"]) == (3, 1, 2)
    assert job["errors"] == [
        {"row": 2, "field": "name", "message": required},
        {"row": 3, "field": "name", "message": required},
    ]
    contacts = "query($id: ID!) { account(id: $id) { contacts { edges { node { name } } } } }"
    assert (await gql.ok(contacts, {"id": account}, "rep1"))["account"]["contacts"]["edges"] == [
        {"node": {"name": "钱七"}}
    ]
