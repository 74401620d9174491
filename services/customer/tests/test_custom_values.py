"""The values accounts and contacts carry for custom fields: each type takes its own kind of value, by one rule
wherever a value comes from (GraphQL, REST, an import), and a value exported is imported back as it was."""

import base64
import csv
import io
import uuid

DEFINE = "mutation($i: DefineCustomFieldInput!) { defineCustomField(input: $i) { key } }"
CREATE = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
UPDATE = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { custom } }"
CUSTOM = "query($id: ID!) { account(id: $id) { custom } }"
COUNT = "{ accounts { totalCount } }"
NOT_A_NUMBER = "Field 'custom.pc_score' is not a decimal number such as 12800.50"
IMPORT = "mutation($i: ImportAccountsInput!) { importAccounts(input: $i) { id } }"
JOB = "query($id: ID!) { importJob(id: $id) { status createdRows updatedRows failedRows errors } }"


async def run_import(gql, app, variables):
    job = (await gql.ok(IMPORT, {"i": variables}, "rep1"))["importAccounts"]
    await app.state.imports.wait()
    return (await gql.ok(JOB, {"id": job["id"]}, "rep1"))["importJob"]


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


async def define(gql, key, kind, entity="account", **more):
    await gql.ok(DEFINE, {"i": {"entity": entity, "key": key, "label": key, "type": kind, **more}})


async def test_a_number_that_is_not_finite_is_refused_at_its_field_through_graphql_and_rest(gql):
    await define(gql, "pc_score", "number")
    account = await gql.account("rep1", custom={"pc_score": 7})
    for value in ("NaN", "Infinity", "-inf", "1e999", 10**400):
        created = await gql(
            CREATE, {"i": {"name": f"无穷{uuid.uuid4().hex[:6]}", "custom": {"pc_score": value}}}, "rep1"
        )
        [error] = created["errors"]
        assert (error["extensions"], error["message"]) == (
            {"code": "BAD_USER_INPUT", "field": "custom.pc_score"},
            NOT_A_NUMBER,
        ), value
    [updated] = (await gql(UPDATE, {"id": account, "i": {"custom": {"pc_score": "inf"}}}, "rep1"))["errors"]
    assert updated["extensions"] == {"code": "BAD_USER_INPUT", "field": "custom.pc_score"}
    rest = await gql.rest(
        "POST", "/api/v1/accounts", "rep1", json={"name": "无穷公司", "custom": {"pc_score": "Infinity"}}
    )
    assert (rest.status_code, rest.json()["field"], rest.json()["code"]) == (422, "custom.pc_score", "BAD_USER_INPUT")

    assert (await gql.ok(CUSTOM, {"id": account}, "rep1"))["account"]["custom"] == {"pc_score": 7.0}
    assert (await gql.ok(COUNT, None, "rep1"))["accounts"]["totalCount"] == 1


async def test_an_imported_number_that_is_not_finite_is_its_rows_error_and_the_other_batches_are_kept(gql, app):
    await define(gql, "pc_score", "number")
    rows = [["name", "score"], ["甲公司", "1.5"], ["乙公司", "NaN"], ["丙公司", "1e999"], ["丁公司", "2"]]
    mapping = [{"column": "score", "field": "custom.pc_score"}]
    job = await run_import(gql, app, {"content": csv_text(rows), "batchSize": 1, "mapping": mapping})
    assert (job["status"], job["createdRows"], job["failedRows"]) == ("done", 2, 2)
    assert job["errors"] == [
        {"row": 3, "field": "custom.pc_score", "message": NOT_A_NUMBER},
        {"row": 4, "field": "custom.pc_score", "message": NOT_A_NUMBER},
    ]


async def test_a_text_value_is_one_line_of_text_never_an_object_nor_a_direction_override(gql):
    await define(gql, "pc_note", "text")
    account = await gql.account("rep1", custom={"pc_note": "  首次拜访  "})
    cases = (
        ({"a": {"b": 1}}, "Invalid value for field 'custom.pc_note': expected String"),
        (["a"], "Invalid value for field 'custom.pc_note': expected String"),
        (True, "Invalid value for field 'custom.pc_note': expected String"),
        (
            "invoice\u202egnp.exe",
            "Field 'custom.pc_note' contains characters that change the direction text is shown in "
            "(U+202A-U+202E, U+2066-U+2069)",
        ),
        (
            "line\nbreak",
            "Field 'custom.pc_note' contains control characters (such as U+0000) or line breaks where none are allowed",
        ),
        ("\u200b", "Field 'custom.pc_note' must contain visible characters"),
        ("长" * 1001, "Field 'custom.pc_note' is too long: at most 1000 characters"),
    )
    for value, message in cases:
        [error] = (await gql(UPDATE, {"id": account, "i": {"custom": {"pc_note": value}}}, "rep1"))["errors"]
        assert (error["extensions"]["field"], error["message"]) == ("custom.pc_note", message), value
    assert (await gql.ok(CUSTOM, {"id": account}, "rep1"))["account"]["custom"] == {"pc_note": "首次拜访"}


async def test_null_or_empty_text_clears_a_custom_value_but_not_a_required_one(gql):
    await define(gql, "pc_note", "text")
    await define(gql, "pc_tier", "single_choice", options=["gold", "silver"], required=True)
    account = await gql.account("rep1", custom={"pc_note": "旧备注", "pc_tier": "gold"})
    for cleared in (None, "", "   "):
        await gql.ok(UPDATE, {"id": account, "i": {"custom": {"pc_note": "旧备注"}}}, "rep1")
        done = await gql.ok(UPDATE, {"id": account, "i": {"custom": {"pc_note": cleared}}}, "rep1")
        assert done["updateAccount"]["custom"] == {"pc_tier": "gold"}, cleared
    for cleared in (None, ""):
        [error] = (await gql(UPDATE, {"id": account, "i": {"custom": {"pc_tier": cleared}}}, "rep1"))["errors"]
        assert (error["extensions"]["field"], error["message"]) == (
            "custom.pc_tier",
            "Field 'custom.pc_tier' is required",
        )
    assert (await gql.ok(CUSTOM, {"id": account}, "rep1"))["account"]["custom"] == {"pc_tier": "gold"}


async def test_a_contacts_custom_values_are_checked_and_cleared_like_an_accounts(gql):
    await define(gql, "pc_hobby", "text", entity="contact")
    account = await gql.account("rep1")
    create = "mutation($i: ContactFields!) { createContact(input: $i) { id custom } }"
    update = "mutation($id: ID!, $i: ContactFields!) { updateContact(id: $id, input: $i) { custom } }"
    for custom, field in (({"pc_hobby": {"a": 1}}, "custom.pc_hobby"), ({"pc_other": "x"}, "custom.pc_other")):
        body = await gql(create, {"i": {"accountId": account, "name": "张三", "custom": custom}}, "rep1")
        error = body["errors"][0]["extensions"]
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field), custom
    made = await gql.ok(create, {"i": {"accountId": account, "name": "张三", "custom": {"pc_hobby": " 围棋 "}}}, "rep1")
    assert made["createContact"]["custom"] == {"pc_hobby": "围棋"}
    cleared = await gql.ok(update, {"id": made["createContact"]["id"], "i": {"custom": {"pc_hobby": None}}}, "rep1")
    assert cleared["updateContact"]["custom"] == {}


async def test_an_exported_account_imports_back_with_its_custom_values_as_they_were(gql, app):
    await define(gql, "pc_tiers", "multi_choice", options=["gold", "silver", "bronze"])
    await define(gql, "pc_score", "number")
    await define(gql, "pc_note", "text")
    kept = {"pc_tiers": ["gold", "silver"], "pc_score": 12.5, "pc_note": "华东, 重点"}
    account = await gql.account(
        "rep1", custom={"pc_tiers": ["silver", "gold"], "pc_score": "12.5", "pc_note": kept["pc_note"]}
    )
    assert (await gql.ok(CUSTOM, {"id": account}, "rep1"))["account"]["custom"] == kept

    export = 'mutation { exportAccounts(format: "csv") { contentBase64 } }'
    content = base64.b64decode((await gql.ok(export, None, "rep1"))["exportAccounts"]["contentBase64"]).decode(
        "utf-8-sig"
    )
    [header, row] = list(csv.reader(io.StringIO(content)))
    cells = dict(zip(header, row, strict=True))
    assert (cells["custom.pc_tiers"], cells["custom.pc_score"], cells["custom.pc_note"]) == (
        "gold,silver",
        "12.5",
        "华东, 重点",
    )

    await gql.ok(UPDATE, {"id": account, "i": {"custom": dict.fromkeys(kept)}}, "rep1")
    mapping = [{"column": f"custom.{key}", "field": f"custom.{key}"} for key in kept]
    job = await run_import(gql, app, {"content": content, "mapping": mapping, "duplicatePolicy": "update"})
    assert (job["updatedRows"], job["errors"]) == (1, [])
    assert (await gql.ok(CUSTOM, {"id": account}, "rep1"))["account"]["custom"] == kept
