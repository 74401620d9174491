"""Administering users: lists within the caller's scope, updates, deactivation, roles, org units."""

import asyncio
import uuid

import pytest

from crm_shared.errors import BadInput
from identity.org import service as org

USERS = """query($f: UserFilterInput, $first: Int!, $after: String) {
  users(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { email displayName roles orgUnit { name } } }
  }
}"""
UNITS = "{ orgUnits { id name kind parentId path manager { email } } }"


async def token(gql, email):
    return (await gql.login(email))["accessToken"]


async def emails(gql, who, filter=None):
    body = await gql(USERS, {"f": filter, "first": 50}, token=await token(gql, who))
    assert "errors" not in body, body
    return {e["node"]["email"] for e in body["data"]["users"]["edges"]}


async def test_users_list_follows_each_roles_data_scope(gql):
    demo = {
        "admin@example.com",
        "manager@example.com",
        "rep1@example.com",
        "rep2@example.com",
        "marketer@example.com",
        "marketing.manager@example.com",
        "agent@example.com",
        "agent2@example.com",
        "service.manager@example.com",
    }
    assert await emails(gql, "admin@example.com") == demo
    team = {"manager@example.com", "rep1@example.com", "rep2@example.com"}
    assert await emails(gql, "manager@example.com", {"search": "example.com"}) == team
    assert await emails(gql, "manager@example.com") == team  # the team's subtree, not marketing
    assert await emails(gql, "rep1@example.com") == team  # a rep sees their own unit only


async def test_a_person_named_on_a_record_shows_by_name_and_only_in_scope_their_email_and_roles(gql):
    """What another service's record names (an approver outside the rep's team): the name, not the person's
    details."""
    admin = await token(gql, "admin@example.com")
    listed = await gql("{ users(first: 50) { edges { node { id email } } } }", token=admin)
    ids = {e["node"]["email"]: e["node"]["id"] for e in listed["data"]["users"]["edges"]}
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
        displayName email roles } } }"""
    named = ("admin@example.com", "manager@example.com", "rep1@example.com", "admin@example.com")
    refs = [{"__typename": "User", "id": ids[e]} for e in named]
    refs.append({"__typename": "User", "id": "00000000-0000-4000-8000-000000000001"})  # nobody
    body = await gql(query, {"r": refs}, token=await token(gql, "rep1@example.com"))
    admin_card = {"displayName": "系统管理员 Admin", "email": "a***@example.com", "roles": []}
    assert body["data"] == {
        "_entities": [
            admin_card,
            {"displayName": "王经理 Manager", "email": "manager@example.com", "roles": ["sales_manager"]},
            {"displayName": "李销售 Rep One", "email": "rep1@example.com", "roles": ["sales_rep"]},
            admin_card,
            None,
        ]
    }
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["_entities", 4], "NOT_FOUND")]


async def test_users_connection_pages_with_total_count(gql):
    admin = await token(gql, "admin@example.com")
    first = (await gql(USERS, {"first": 2}, token=admin))["data"]["users"]
    assert first["totalCount"] == 9 and first["pageInfo"]["hasNextPage"]
    second = (await gql(USERS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=admin))["data"]["users"]
    page1 = [e["node"]["email"] for e in first["edges"]]
    page2 = [e["node"]["email"] for e in second["edges"]]
    assert len(page2) == 2 and not set(page1) & set(page2)
    reps = (await gql(USERS, {"first": 10, "f": {"role": "sales_rep"}}, token=admin))["data"]["users"]
    assert {e["node"]["email"] for e in reps["edges"]} == {"rep1@example.com", "rep2@example.com"}
    assert all(e["node"]["roles"] == ["sales_rep"] for e in reps["edges"])


async def test_org_tree_has_the_demo_company_and_its_team_manager(gql):
    units = (await gql(UNITS, token=await token(gql, "rep1@example.com")))["data"]["orgUnits"]
    by_name = {u["name"]: u for u in units}
    team = by_name["华东销售一组 East Team 1"]
    assert team["manager"]["email"] == "manager@example.com"
    assert team["path"][0] == by_name["示例科技有限公司 Example Tech"]["id"]
    assert team["parentId"] == by_name["销售部 Sales"]["id"]


async def test_moving_a_unit_moves_its_subtree_and_changes_the_managers_reach(gql):
    admin = await token(gql, "admin@example.com")
    create = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id path } }"
    units = {u["name"]: u for u in (await gql(UNITS, token=admin))["data"]["orgUnits"]}
    sales = units["销售部 Sales"]["id"]
    west = {"name": f"华西 {uuid.uuid4().hex[:4]}", "kind": "department", "parentId": await gql.company(admin)}
    west = await gql(create, {"i": west}, token=admin)
    west_id = west["data"]["createOrgUnit"]["id"]
    team = await gql(create, {"i": {"name": f"成都组 {uuid.uuid4().hex[:4]}", "parentId": west_id}}, token=admin)
    team_id = team["data"]["createOrgUnit"]["id"]

    move = "mutation($id: ID!, $i: UpdateOrgUnitInput!) { updateOrgUnit(id: $id, input: $i) { path } }"
    moved = await gql(move, {"id": west_id, "i": {"parentId": sales}}, token=admin)
    assert moved["data"]["updateOrgUnit"]["path"][-2:] == [sales, west_id]
    after = {u["id"]: u for u in (await gql(UNITS, token=admin))["data"]["orgUnits"]}
    assert after[team_id]["path"][-3:] == [sales, west_id, team_id]

    cycle = await gql(move, {"id": west_id, "i": {"parentId": team_id}}, token=admin, lang="zh-CN")
    assert cycle["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "parentId"}
    assert cycle["errors"][0]["message"] == "组织单元不能移动到其自身下级"


async def test_a_second_root_unit_is_refused_at_its_parent_field(gql):
    """The company is the tree's one root: a unit created or moved without a parent would start a forest."""
    admin = await token(gql, "admin@example.com")
    before = (await gql(UNITS, token=admin))["data"]["orgUnits"]
    create = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }"
    for lang, message in (
        ("en", "Field 'parentId' is required: the company is the one root of the organisation tree"),
        ("zh-CN", "字段“parentId”为必填：公司是组织架构唯一的根"),
    ):
        refused = await gql(create, {"i": {"name": "第二个公司", "kind": "company"}}, token=admin, lang=lang)
        assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "parentId"}
        assert (refused["errors"][0]["message"], refused["data"]) == (message, None)
    sales = next(u for u in before if u["name"] == "销售部 Sales")
    move = "mutation($id: ID!) { updateOrgUnit(id: $id, input: {parentId: null}) { id } }"
    moved = await gql(move, {"id": sales["id"]}, token=admin)
    assert moved["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "parentId"}
    assert (await gql(UNITS, token=admin))["data"]["orgUnits"] == before


async def test_deactivated_user_cannot_log_in_or_refresh_and_reactivation_restores(gql):
    admin = await token(gql, "admin@example.com")
    email, user_id = await gql.new_user("bye-bye-1", "离职员工", token=admin, prefix="leaver-")
    session = await gql.login(email, "bye-bye-1")

    off = await gql("mutation($id: ID!) { deactivateUser(id: $id) { isActive } }", {"id": user_id}, token=admin)
    assert off["data"]["deactivateUser"]["isActive"] is False
    refused = await gql(gql.LOGIN, {"input": {"email": email, "password": "bye-bye-1"}})
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"
    assert (await gql(refresh, {"t": session["refreshToken"]}))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    await gql("mutation($id: ID!) { reactivateUser(id: $id) { isActive } }", {"id": user_id}, token=admin)
    assert (await gql.login(email, "bye-bye-1"))["accessToken"]


async def test_custom_role_grants_permissions_scopes_and_masks(gql):
    admin = await token(gql, "admin@example.com")
    key = f"auditor_{uuid.uuid4().hex[:6]}"
    role = {
        "key": key,
        "name": "Auditor",
        "nameZh": "审计员",
        "permissions": ["identity:user:read", "identity:audit:read"],
        "scopes": [{"resource": "identity:user", "scope": "all"}],
        "maskedFields": ["identity:user.email"],
    }
    create = "mutation($i: CreateRoleInput!) { createRole(input: $i) { key builtin scopes { resource scope } } }"
    made = await gql(create, {"i": role}, token=admin)
    assert made["data"]["createRole"] == {
        "key": key,
        "builtin": False,
        "scopes": [{"resource": "identity:user", "scope": "all"}],
    }

    email = f"aud-{uuid.uuid4().hex[:6]}@example.com"
    await gql(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        {"i": {"email": email, "displayName": "审计", "password": "audit-pass-1", "roles": [key]}},
        token=admin,
    )
    auditor = (await gql.login(email, "audit-pass-1"))["accessToken"]
    seen = await gql(USERS, {"first": 50, "f": {"search": "rep1"}}, token=auditor)
    assert [e["node"]["email"] for e in seen["data"]["users"]["edges"]] == ["r***@example.com"]
    me = await gql("{ me { email } }", token=auditor)
    assert me["data"]["me"]["email"] == email  # one's own email is never masked

    bad = await gql(create, {"i": {**role, "key": f"x{key}", "permissions": ["identity:user:fly"]}}, token=admin)
    assert bad["errors"][0]["extensions"]["field"] == "permissions"


async def test_the_role_editor_offers_every_field_a_role_can_mask(gql):
    admin = await token(gql, "admin@example.com")
    body = await gql("{ maskableFields }", token=admin)
    assert body["data"]["maskableFields"] == [
        "identity:user.email",
        "customer:contact.phone",
        "customer:contact.email",
        "customer:contact.id_number",
        "customer:account.phone",
        "sales:lead.phone",
        "sales:lead.email",
    ]
    refused = await gql("{ maskableFields }", token=await token(gql, "rep1@example.com"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("who", ["manager@example.com", "rep1@example.com", "marketer@example.com"])
async def test_admin_only_operations_answer_forbidden_to_others(gql, who):
    caller = await token(gql, who)
    for query, variables in (
        (
            "mutation($i: CreateRoleInput!) { createRole(input: $i) { key } }",
            {"i": {"key": "nope_role", "name": "N"}},
        ),
        ('mutation($u: ID!) { assignRoles(userId: $u, roles: ["admin"]) { id } }', {"u": str(uuid.uuid4())}),
        ("mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }", {"i": {"name": "X"}}),
        ("{ auditLog { totalCount } }", None),
    ):
        body = await gql(query, variables, token=caller)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, body)


async def test_two_first_units_created_at_once_make_one_root_and_one_refusal(fresh_db):
    """On an empty tree each would find no root yet: the second to come waits for the first and is refused."""
    db = await fresh_db("identity")

    async def first_unit(name):
        try:
            async with db.unit_of_work() as uow:
                await org.create(uow, None, org.UnitInput(name=name, kind="company"))
        except BadInput as refused:
            return refused.key
        return "created"

    assert sorted(await asyncio.gather(first_unit("甲公司"), first_unit("乙公司"))) == [
        "created",
        "unit_parent_required",
    ]
