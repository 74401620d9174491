"""Every imported row obeys the rules its change made one by one obeys (`updateAccount`, `createContact`,
`updateContact`): permission, data scope and the public pool; a row they refuse is reported at its field and its
batch is written all or nothing. The upload refuses form fields it does not take and an empty file."""

import uuid

from crm_shared.testing import files
from crm_shared.testing.tokens import Persona

from .conftest import TEAM

JOB = "query($id: ID!) { importJob(id: $id) { processedRows createdRows updatedRows skippedRows failedRows errors } }"
START = "mutation($i: ImportAccountsInput!) { MUTATION(input: $i) { id } }"
ACCOUNT = "query($id: ID!) { account(id: $id) { industry phone } }"
PEOPLE = "query($id: ID!) { account(id: $id) { contacts { edges { node { name title } } } } }"
UPDATE_ACCOUNT = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { id } }"
CREATE_CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
UPDATE_CONTACT = "mutation($id: ID!, $i: ContactFields!) { updateContact(id: $id, input: $i) { id } }"
# reads and imports accounts, may create them, may not change them
NO_ACCOUNT_UPDATE = Persona(
    "importer",
    ("customer:account:read", "customer:account:import", "customer:account:create"),
    {"customer:account": "unit"},
    TEAM,
)
# imports contacts at accounts of the unit, may not change a contact
NO_CONTACT_UPDATE = Persona(
    "contact_importer",
    ("customer:account:*", "customer:contact:read", "customer:contact:create"),
    {"customer:account": "unit", "customer:contact": "unit"},
    TEAM,
)


async def imported(gql, app, content, as_="rep1", mutation="importAccounts", lang="en", **options):
    """Run an import to its end and answer its job as read in `lang`."""
    started = await gql.ok(START.replace("MUTATION", mutation), {"i": {"content": content, **options}}, as_)
    await app.state.imports.wait()
    return (await gql.ok(JOB, {"id": started[mutation]["id"]}, as_, lang))["importJob"]


async def in_pool(gql, **fields):
    account = await gql.account("rep1", **fields)
    await gql.ok('mutation($id: ID!) { releaseToPool(id: $id, reason: "导入测试") { id } }', {"id": account}, "rep1")
    return account


async def test_an_update_import_leaves_a_pool_account_alone_as_update_account_does(gql, app):
    tag = uuid.uuid4().hex[:6]
    pooled = f"公海客户{tag}有限公司"
    pool_id = await in_pool(gql, name=pooled, industry="原行业", phone="13900001111")
    mine = f"自有客户{tag}有限公司"
    mine_id = await gql.account("rep1", name=mine, industry="原行业")
    refused = await gql.error(UPDATE_ACCOUNT, {"id": pool_id, "i": {"industry": "HACKED"}}, "rep1", "CONFLICT")
    assert refused["message"] == "The account is in the public pool"

    content = f"name,industry,phone\n{pooled},HACKED,13812345678\n{mine},新行业,\n"
    job = await imported(gql, app, content, duplicatePolicy="update", batchSize=1)
    assert (job["processedRows"], job["updatedRows"], job["failedRows"]) == (2, 1, 1)
    assert job["errors"] == [
        {"row": 2, "field": "name", "message": "Field 'name': this row's account is in the public pool; claim it first"}
    ]
    shown = await gql.ok(ACCOUNT, {"id": pool_id}, "rep1")
    assert (shown["account"]["industry"], shown["account"]["phone"]) == ("原行业", "13900001111")
    assert (await gql.ok(ACCOUNT, {"id": mine_id}, "rep1"))["account"]["industry"] == "新行业"  # its own batch

    # one batch: the row the rules refuse keeps the whole batch out, the allowed row with it
    together = await imported(gql, app, f"name,industry\n{mine},第三行业\n{pooled},HACKED\n", duplicatePolicy="update")
    assert (together["updatedRows"], together["failedRows"]) == (0, 2)
    assert [e["row"] for e in together["errors"]] == [3]
    assert (await gql.ok(ACCOUNT, {"id": mine_id}, "rep1"))["account"]["industry"] == "新行业"

    # as for updateAccount, not even a scope over every account changes a pool account
    await gql.error(UPDATE_ACCOUNT, {"id": pool_id, "i": {"industry": "HACKED"}}, "admin", "CONFLICT")
    by_admin = await imported(
        gql, app, f"name,industry\n{pooled},HACKED\n", "admin", lang="zh-CN", duplicatePolicy="update"
    )
    assert by_admin["errors"] == [
        {"row": 2, "field": "name", "message": "字段“name”：该行对应的客户在公海中，请先领取"}
    ]
    assert (await gql.ok(ACCOUNT, {"id": pool_id}, "rep1"))["account"]["industry"] == "原行业"


async def test_an_update_import_needs_the_permission_to_update_as_update_account_does(gql, app):
    name = f"同事的客户{uuid.uuid4().hex[:6]}有限公司"
    colleague = await gql.account("rep1", name=name, industry="原行业")
    assert (await gql.ok(ACCOUNT, {"id": colleague}, NO_ACCOUNT_UPDATE))["account"]["industry"] == "原行业"  # in scope
    await gql.error(UPDATE_ACCOUNT, {"id": colleague, "i": {"industry": "覆盖"}}, NO_ACCOUNT_UPDATE, "FORBIDDEN")

    job = await imported(gql, app, f"客户名称,行业\n{name},覆盖\n", NO_ACCOUNT_UPDATE, duplicatePolicy="update")
    assert (job["updatedRows"], job["failedRows"]) == (0, 1)
    assert job["errors"] == [
        {"row": 2, "field": "name", "message": "Field 'name': the account this row repeats is one you may not edit"}
    ]
    assert (await gql.ok(ACCOUNT, {"id": colleague}, "rep1"))["account"]["industry"] == "原行业"
    created = await imported(gql, app, f"客户名称\n新客户{uuid.uuid4().hex[:6]}\n", NO_ACCOUNT_UPDATE)
    assert created["createdRows"] == 1  # creating is still theirs


async def test_a_contact_import_adds_nobody_to_a_pool_account_as_create_contact_does(gql, app):
    pooled = f"公海联系人客户{uuid.uuid4().hex[:6]}有限公司"
    pool_id = await in_pool(gql, name=pooled)
    refused = await gql.error(CREATE_CONTACT, {"i": {"accountId": pool_id, "name": "张三"}}, "rep1", "CONFLICT")
    assert refused["message"] == "The account is in the public pool"

    content = f"客户名称,姓名,电话\n{pooled},张三,13812345678\n"
    for lang, message in (
        ("en", "Field 'account': this row's account is in the public pool; claim it first"),
        ("zh-CN", "字段“account”：该行对应的客户在公海中，请先领取"),
    ):
        job = await imported(gql, app, content, mutation="importContacts", lang=lang)
        assert (job["createdRows"], job["failedRows"]) == (0, 1)
        assert job["errors"] == [{"row": 2, "field": "account", "message": message}]
    assert (await gql.ok(PEOPLE, {"id": pool_id}, "rep1"))["account"]["contacts"]["edges"] == []


async def test_a_contact_import_updates_nobody_without_the_permission_to_update_a_contact(gql, app):
    name = f"联系人更新客户{uuid.uuid4().hex[:6]}有限公司"
    account = await gql.account("rep1", name=name)
    contact = await gql.ok(CREATE_CONTACT, {"i": {"accountId": account, "name": "李四", "title": "原职位"}}, "rep1")
    await gql.error(UPDATE_CONTACT, {"id": contact["createContact"]["id"], "i": {"title": "覆盖"}}, NO_CONTACT_UPDATE)

    content = f"客户名称,姓名,职位\n{name},李四,覆盖\n{name},王五,新人\n"
    job = await imported(gql, app, content, NO_CONTACT_UPDATE, "importContacts", duplicatePolicy="update")
    assert (job["createdRows"], job["updatedRows"], job["failedRows"]) == (0, 0, 2)
    assert job["errors"] == [
        {"row": 2, "field": "name", "message": "Field 'name': the contact this row repeats is one you may not edit"}
    ]
    people = (await gql.ok(PEOPLE, {"id": account}, "rep1"))["account"]["contacts"]["edges"]
    assert people == [{"node": {"name": "李四", "title": "原职位"}}]  # the batch's new person stayed out with it

    skipped = await imported(gql, app, content, NO_CONTACT_UPDATE, "importContacts", duplicatePolicy="skip")
    assert (skipped["createdRows"], skipped["skippedRows"], skipped["failedRows"]) == (1, 1, 0)


async def test_an_upload_with_a_form_field_it_does_not_take_is_refused_at_its_name(gql, app):
    content = f"客户名称\n上传字段{uuid.uuid4().hex[:6]}\n".encode()
    for lang, message in (
        ("en", "Field 'owner_id' is not one this request takes"),
        ("zh-CN", "此请求不接受字段“owner_id”"),
    ):
        response = await gql.rest(
            "POST",
            "/api/v1/imports/accounts",
            "rep1",
            files={"file": ("a.csv", content)},
            data={"owner_id": str(uuid.uuid4()), "duplicate_policy": "create"},
            headers={"Accept-Language": lang},
        )
        assert response.status_code == 422, response.text
        assert (response.json()["field"], response.json()["detail"]) == ("owner_id", message)
    await app.state.imports.wait()
    assert list(app.state.imports.directory.glob("*")) == []  # no job started, no file kept


async def test_an_empty_file_is_refused_at_its_content_not_at_the_mapping(gql, app):
    en = "Field 'content': the file is empty or its first row names no columns"
    for name, content in (("empty.csv", b""), ("blank.csv", b"\n\n"), ("empty.xlsx", files.xlsx([]))):
        response = await gql.rest("POST", "/api/v1/imports/accounts", "rep1", files={"file": (name, content)})
        assert response.status_code == 422, response.text
        assert (response.json()["field"], response.json()["detail"]) == ("content", en)
    for lang, message in (("en", en), ("zh-CN", "字段“content”：文件为空或第一行没有列名")):
        for mutation in ("importAccounts", "importContacts"):
            error = await gql.error(
                START.replace("MUTATION", mutation), {"i": {"content": ""}}, "rep1", "BAD_USER_INPUT", lang
            )
            assert (error["extensions"]["field"], error["message"]) == ("content", message)
    assert list(app.state.imports.directory.glob("*")) == []
