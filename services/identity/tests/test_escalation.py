"""Nobody in identity grants themselves or others more than they hold: each probe below signs in as a user holding one
custom role of a few narrow permissions, as an administrator would hand out, and tries to reach further."""

import uuid

ROLE = "mutation($i: CreateRoleInput!) { createRole(input: $i) { key } }"
UPDATE_ROLE = "mutation($k: ID!, $i: UpdateRoleInput!) { updateRole(key: $k, input: $i) { key } }"
ASSIGN = "mutation($u: ID!, $r: [String!]!) { assignRoles(userId: $u, roles: $r) { roles } }"
CREATE_USER = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
UPDATE_USER = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }"
ACCOUNT = "mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { id } }"
KEY = 'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "k") { secret } }'
DEACTIVATE = "mutation($id: ID!) { deactivateUser(id: $id) { isActive } }"
REACTIVATE = "mutation($id: ID!) { reactivateUser(id: $id) { isActive } }"
PASSWORD = "probe-pass-1"


async def token(gql, email, password=None):
    return (await gql.login(email, password))["accessToken"]


async def demo_ids(gql, admin):
    listed = await gql("{ users(first: 50) { edges { node { id email } } } }", token=admin)
    return {e["node"]["email"].split("@")[0]: e["node"]["id"] for e in listed["data"]["users"]["edges"]}


async def team(gql, admin):
    """The demo sales team's unit (the manager, rep1 and rep2)."""
    units = (await gql("{ orgUnits { id name } }", token=admin))["data"]["orgUnits"]
    [found] = [u["id"] for u in units if u["name"].startswith("华东销售一组")]
    return found


async def persona(gql, admin, permissions, scopes=None, masked=(), unit=None):
    """A user of `unit` holding one new role of exactly these grants: (the role's key, their id, their token)."""
    key = f"probe_{uuid.uuid4().hex[:8]}"
    grants = [{"resource": r, "scope": s} for r, s in (scopes or {}).items()]
    role = {"key": key, "name": "Probe", "permissions": permissions, "scopes": grants, "maskedFields": list(masked)}
    assert "errors" not in await gql(ROLE, {"i": role}, token=admin)
    email = f"probe{uuid.uuid4().hex[:8]}@example.com"
    user = {"email": email, "displayName": "探测", "password": PASSWORD, "roles": [key], "orgUnitId": unit}
    made = await gql(CREATE_USER, {"i": user}, token=admin)
    assert "errors" not in made, made
    return key, made["data"]["createUser"]["id"], await token(gql, email, PASSWORD)


def refusal(body):
    """What the caller is told: code, field and message."""
    error = body["errors"][0]
    return error["extensions"]["code"], error["extensions"].get("field"), error["message"]


async def test_roles_are_assigned_only_to_users_in_the_callers_scope_and_only_if_the_caller_holds_them(gql):
    admin = await token(gql, "admin@example.com")
    ids = await demo_ids(gql, admin)
    key, me, caller = await persona(
        gql,
        admin,
        ["identity:role:assign", "identity:user:read"],
        {"identity:user": "unit"},
        unit=await team(gql, admin),
    )

    async def assign(user, roles):
        return await gql(ASSIGN, {"u": user, "r": roles}, token=caller, lang="zh-CN")

    not_held = ("FORBIDDEN", "roles", "只能授予或收回您自己拥有其全部权限的角色")
    assert refusal(await assign(me, [key, "admin"])) == not_held  # themselves
    assert refusal(await assign(ids["rep1"], ["sales_rep", "admin"])) == not_held  # someone of their unit
    assert refusal(await assign(ids["rep1"], [])) == not_held  # withdrawing what they do not hold either
    assert refusal(await assign(ids["admin"], []))[0] == "NOT_FOUND"  # the real admin: outside their unit
    assert refusal(await assign(ids["marketer"], ["admin"]))[0] == "NOT_FOUND"

    given = await assign(ids["rep2"], ["sales_rep", key])  # a role they hold all of, to someone of their unit
    assert given["data"]["assignRoles"]["roles"] == sorted(["sales_rep", key])
    roles = "query($id: ID!) { user(id: $id) { roles } }"
    kept = {u: (await gql(roles, {"id": ids[u]}, token=admin))["data"]["user"]["roles"] for u in ("admin", "rep1")}
    assert kept == {"admin": ["admin"], "rep1": ["sales_rep"]}


async def test_a_role_grants_no_more_than_its_author_holds(gql):
    admin = await token(gql, "admin@example.com")
    permissions = ["identity:role:create", "identity:role:update", "identity:role:read", "customer:contact:read"]
    key, _, caller = await persona(
        gql, admin, permissions, {"customer:contact": "unit"}, masked=["customer:contact.phone"]
    )

    async def create(**role):
        data = {"key": f"made_{uuid.uuid4().hex[:8]}", "name": "Made", "maskedFields": ["customer:contact.phone"]}
        return await gql(ROLE, {"i": data | role}, token=caller, lang="zh-CN")

    read, wide = ["customer:contact:read"], [{"resource": "customer:contact", "scope": "all"}]
    assert refusal(await create(permissions=["*"])) == (
        "FORBIDDEN",
        "permissions",
        "字段“permissions”：只能授予您自己拥有的权限（*）",
    )
    assert refusal(await create(permissions=["identity:*"]))[:2] == ("FORBIDDEN", "permissions")
    assert refusal(await create(permissions=read, scopes=wide)) == (
        "FORBIDDEN",
        "scopes",
        "字段“scopes”：customer:contact 的数据范围不能大于您自己的范围（unit）",
    )
    assert refusal(await create(permissions=read, maskedFields=[])) == (
        "FORBIDDEN",
        "maskedFields",
        "字段“maskedFields”：customer:contact.phone 对您是脱敏显示的，您授予的权限也须将其脱敏",
    )
    assert "errors" not in await create(permissions=read, scopes=[{"resource": "customer:contact", "scope": "own"}])

    own = await gql(UPDATE_ROLE, {"k": key, "i": {"permissions": ["*"]}}, token=caller, lang="zh-CN")
    assert refusal(own)[:2] == ("FORBIDDEN", "permissions")
    widened = {"scopes": [{"resource": "customer:account", "scope": "all"}]}
    builtin = await gql(UPDATE_ROLE, {"k": "sales_rep", "i": widened}, token=caller, lang="zh-CN")
    assert refusal(builtin) == ("FORBIDDEN", "key", "只有您自己拥有某角色的全部权限时，才能修改该角色的授权")
    assert "errors" not in await gql(UPDATE_ROLE, {"k": "sales_rep", "i": {"nameZh": "销售"}}, token=caller)

    roles = (await gql("{ roles { key permissions scopes { resource scope } } }", token=admin))["data"]["roles"]
    found = {r["key"]: r for r in roles}
    assert found[key]["permissions"] == sorted(permissions)
    assert {"resource": "customer:account", "scope": "own"} in found["sales_rep"]["scopes"]


async def test_a_service_account_gets_no_more_than_its_creator_holds_nor_a_key_to_one_that_does(gql):
    admin = await token(gql, "admin@example.com")
    permissions = [
        "identity:service_account:create",
        "identity:service_account:read",
        "identity:service_account:update",
    ]
    _, _, caller = await persona(
        gql, admin, [*permissions, "identity:user:read"], {"identity:user": "unit"}, masked=["identity:user.email"]
    )

    async def create(permissions, scopes=()):
        data = {"name": f"集成 {uuid.uuid4().hex[:6]}", "permissions": permissions, "scopes": list(scopes)}
        return await gql(ACCOUNT, {"i": data}, token=caller, lang="zh-CN")

    assert refusal(await create(["identity:role:assign"])) == (
        "FORBIDDEN",
        "permissions",
        "字段“permissions”：只能授予您自己拥有的权限（identity:role:assign）",
    )
    assert refusal(await create(["identity:*"]))[:2] == ("FORBIDDEN", "permissions")
    assert refusal(await create(["identity:user:read"], [{"resource": "identity:user", "scope": "all"}])) == (
        "FORBIDDEN",
        "scopes",
        "字段“scopes”：identity:user 的数据范围不能大于您自己的范围（unit）",
    )
    # an account masks nothing: it would read the emails its creator sees masked
    assert refusal(await create(["identity:user:read"], [{"resource": "identity:user", "scope": "unit"}])) == (
        "FORBIDDEN",
        "permissions",
        "字段“permissions”：identity:user.email 对您是脱敏显示的，您授予的权限也须将其脱敏",
    )
    assert "errors" not in await create(["identity:service_account:read"])

    strong = {"name": "强", "permissions": ["identity:role:assign"], "scopes": []}
    account = (await gql(ACCOUNT, {"i": strong}, token=admin))["data"]["createServiceAccount"]["id"]
    assert refusal(await gql(KEY, {"id": account}, token=caller, lang="zh-CN")) == (
        "FORBIDDEN",
        "serviceAccountId",
        "只能为您自己拥有其全部权限的服务账号创建密钥",
    )


async def test_a_user_is_placed_only_in_units_within_the_callers_scope_and_given_only_roles_the_caller_holds(gql):
    admin = await token(gql, "admin@example.com")
    ids, unit, root = await demo_ids(gql, admin), await team(gql, admin), await gql.company(admin)
    permissions = ["identity:user:read", "identity:user:create", "identity:user:update"]
    _, me, caller = await persona(gql, admin, permissions, {"identity:user": "unit"}, unit=unit)

    async def create(**changes):
        email = f"placed{uuid.uuid4().hex[:8]}@example.com"
        user = {"email": email, "displayName": "新人", "password": PASSWORD, "orgUnitId": unit} | changes
        return await gql(CREATE_USER, {"i": user}, token=caller, lang="zh-CN")

    outside = ("BAD_USER_INPUT", "orgUnitId", "字段“orgUnitId”：不在您的权限范围内的部门")
    assert refusal(await gql(UPDATE_USER, {"id": me, "i": {"orgUnitId": root}}, token=caller, lang="zh-CN")) == outside
    assert refusal(await create(orgUnitId=root)) == outside
    assert refusal(await create(roles=["admin"]))[:2] == ("FORBIDDEN", "roles")
    assert "errors" not in await create()

    # the email a user's password resets go to: changed only by whoever holds all the user's roles grant
    takeover = {"email": "mine@example.com"}
    assert refusal(await gql(UPDATE_USER, {"id": ids["admin"], "i": takeover}, token=caller))[0] == "NOT_FOUND"
    assert refusal(await gql(UPDATE_USER, {"id": ids["manager"], "i": takeover}, token=caller, lang="zh-CN")) == (
        "FORBIDDEN",
        "email",
        "只能修改您自己拥有其全部权限的用户的邮箱",
    )
    assert "errors" not in await gql(UPDATE_USER, {"id": ids["rep1"], "i": {"displayName": "李销售"}}, token=caller)
    me_now = await gql("query($id: ID!) { user(id: $id) { orgUnit { id } } }", {"id": me}, token=admin)
    assert me_now["data"]["user"]["orgUnit"]["id"] == unit


async def test_a_creator_limited_to_their_unit_must_name_one_for_a_new_user_and_cannot_move_one_to_none(gql, client):
    admin = await token(gql, "admin@example.com")
    ids, unit = await demo_ids(gql, admin), await team(gql, admin)
    permissions = ["identity:user:read", "identity:user:create", "identity:user:update", "identity:user:deactivate"]
    _, _, caller = await persona(gql, admin, permissions, {"identity:user": "unit"}, unit=unit)
    user = {"email": f"x{uuid.uuid4().hex[:8]}@example.com", "displayName": "x6", "password": PASSWORD, "roles": []}

    unplaced = ("BAD_USER_INPUT", "orgUnitId", "字段“orgUnitId”为必填：请指定您权限范围内的部门")
    assert refusal(await gql(CREATE_USER, {"i": user}, token=caller, lang="zh-CN")) == unplaced
    assert refusal(await gql(CREATE_USER, {"i": user | {"orgUnitId": None}}, token=caller, lang="zh-CN")) == unplaced
    rest = {"email": user["email"], "display_name": "x6", "password": PASSWORD, "roles": []}
    refused = await client.post(
        "/api/v1/users", json=rest, headers={"Authorization": f"Bearer {caller}", "Accept-Language": "en"}
    )
    assert refused.status_code == 422
    assert {k: refused.json()[k] for k in ("code", "field", "detail")} == {
        "code": "BAD_USER_INPUT",
        "field": "org_unit_id",
        "detail": "Field 'org_unit_id' is required: name a unit within your scope",
    }
    moved = await gql(UPDATE_USER, {"id": ids["rep1"], "i": {"orgUnitId": None}}, token=caller, lang="zh-CN")
    assert refusal(moved) == unplaced

    found = await gql(
        "query($s: String) { users(filter: {search: $s}) { totalCount } }", {"s": user["email"]}, token=admin
    )
    assert found["data"]["users"]["totalCount"] == 0
    rep1 = await gql("query($id: ID!) { user(id: $id) { orgUnit { id } } }", {"id": ids["rep1"]}, token=admin)
    assert rep1["data"]["user"]["orgUnit"]["id"] == unit
    # an administrator (scope all) still creates users outside every unit, as installation and seeding do
    assert "errors" not in await gql(CREATE_USER, {"i": user}, token=admin)


async def test_the_last_active_administrator_can_neither_lose_the_role_nor_be_deactivated(gql):
    admin = await token(gql, "admin@example.com")
    admin_id = (await demo_ids(gql, admin))["admin"]
    _, _, deactivator = await persona(
        gql, admin, ["identity:user:read", "identity:user:deactivate"], {"identity:user": "all"}
    )
    last = ("CONFLICT", "roles", "系统至少需要一名在职的系统管理员")
    assert refusal(await gql(ASSIGN, {"u": admin_id, "r": []}, token=admin, lang="zh-CN")) == last
    assert refusal(await gql(DEACTIVATE, {"id": admin_id}, token=deactivator, lang="zh-CN")) == (
        "CONFLICT",
        "id",
        "系统至少需要一名在职的系统管理员",
    )

    _, second = await gql.new_user(PASSWORD, "第二管理员", ["admin"], token=admin)
    assert "errors" not in await gql(DEACTIVATE, {"id": second}, token=deactivator)  # the first one remains
    assert refusal(await gql(ASSIGN, {"u": admin_id, "r": []}, token=admin, lang="zh-CN")) == last  # inactive
    assert "errors" not in await gql(REACTIVATE, {"id": second}, token=admin)
    stepped_down = await gql(ASSIGN, {"u": admin_id, "r": ["sales_manager"]}, token=admin)
    assert stepped_down["data"]["assignRoles"]["roles"] == ["sales_manager"]
