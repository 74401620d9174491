"""Who may call which identity operation: every operation, every demo role, and anonymous callers."""

import uuid

import pytest

from crm_shared.testing.authz import Entry, check_complete, check_matrix
from identity.graphql import schema

CALLERS = ["admin", "manager", "rep1", "rep2", "marketer", "agent"]


def expect(default: str, anonymous: str = "UNAUTHENTICATED", **overrides: str) -> dict[str, str]:
    return {**dict.fromkeys(CALLERS, default), "anonymous": anonymous, **overrides}


ADMIN_ONLY = expect("FORBIDDEN", admin="ok")


@pytest.fixture
async def tokens(gql):
    found = {c: (await gql.login(f"{c}@example.com"))["accessToken"] for c in CALLERS}
    return {**found, "anonymous": None}


@pytest.fixture
async def ids(gql, tokens):
    users = {}
    for caller in ("rep1", "rep2", "admin"):
        me = await gql("{ me { id } }", token=tokens[caller])
        users[caller] = me["data"]["me"]["id"]
    return users


async def new_unit(gql, admin_token):
    unit = {"name": "临时组", "parentId": await gql.company(admin_token)}
    body = await gql(
        "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }", {"i": unit}, token=admin_token
    )
    return body["data"]["createOrgUnit"]["id"]


async def new_user(gql, admin_token):
    return (await gql.new_user("matrix-pass-1", "矩阵", token=admin_token, prefix="m"))[1]


async def test_every_identity_operation_has_a_matrix_entry_and_holds(gql, tokens, ids):
    admin = tokens["admin"]

    async def for_admin_or_any(caller, make):
        return await make() if caller == "admin" else str(uuid.uuid4())

    async def fresh_refresh(caller):
        return {"t": (await gql.login("rep2@example.com"))["refreshToken"]}

    async def unit_var(caller):
        return {"id": await for_admin_or_any(caller, lambda: new_unit(gql, admin))}

    async def user_var(caller):
        return {"id": await for_admin_or_any(caller, lambda: new_user(gql, admin))}

    async def user_input(caller):
        return {
            "i": {
                "email": f"n{uuid.uuid4().hex[:8]}@example.com",
                "displayName": "新",
                "password": "new-pass-1",
            }
        }

    async def role_input(caller):
        return {"i": {"key": f"r_{uuid.uuid4().hex[:8]}", "name": "Temp"}}

    see_rep1 = expect("ok")
    see_admin = expect("NOT_FOUND", admin="ok", marketer="ok", agent="ok")
    entries = {
        "me": Entry("{ me { id } }", expect("ok")),
        "user": Entry("query($id: ID!) { user(id: $id) { id } }", see_rep1, {"id": ids["rep1"]}),
        "user (outside scope)": Entry("query($id: ID!) { user(id: $id) { id } }", see_admin, {"id": ids["admin"]}),
        "users": Entry("{ users { totalCount } }", expect("ok")),
        "roles": Entry("{ roles { key } }", expect("FORBIDDEN", admin="ok", manager="ok")),
        "permissionCatalogue": Entry("{ permissionCatalogue }", expect("FORBIDDEN", admin="ok", manager="ok")),
        "maskableFields": Entry("{ maskableFields }", expect("FORBIDDEN", admin="ok", manager="ok")),
        "orgUnits": Entry("{ orgUnits { id } }", expect("ok", marketer="FORBIDDEN", agent="FORBIDDEN")),
        "auditLog": Entry("{ auditLog { totalCount } }", ADMIN_ONLY),
        "auditIntegrity": Entry("{ auditIntegrity { valid } }", ADMIN_ONLY),
        "login": Entry(
            'mutation { login(input: {email: "rep2@example.com", password: "crm-demo"}) { expiresIn } }',
            {"anonymous": "ok"},
        ),
        "refreshToken": Entry(
            "mutation($t: String!) { refreshToken(refreshToken: $t) { expiresIn } }",
            {"anonymous": "ok"},
            fresh_refresh,
        ),
        "logout": Entry(
            "mutation($t: String!) { logout(refreshToken: $t) }",
            {"anonymous": "ok", "rep1": "ok"},
            fresh_refresh,
        ),
        "createUser": Entry("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }", ADMIN_ONLY, user_input),
        "updateUser": Entry(
            'mutation($id: ID!) { updateUser(id: $id, input: {displayName: "张销售 Rep Two"}) { id } }',
            ADMIN_ONLY,
            {"id": ids["rep2"]},
        ),
        "deactivateUser": Entry("mutation($id: ID!) { deactivateUser(id: $id) { id } }", ADMIN_ONLY, user_var),
        "reactivateUser": Entry("mutation($id: ID!) { reactivateUser(id: $id) { id } }", ADMIN_ONLY, user_var),
        "assignRoles": Entry(
            'mutation($id: ID!) { assignRoles(userId: $id, roles: ["sales_rep"]) { id } }',
            ADMIN_ONLY,
            {"id": ids["rep2"]},
        ),
        "createRole": Entry("mutation($i: CreateRoleInput!) { createRole(input: $i) { key } }", ADMIN_ONLY, role_input),
        "updateRole": Entry(
            'mutation { updateRole(key: "marketing", input: {nameZh: "市场营销"}) { key } }', ADMIN_ONLY
        ),
        "createOrgUnit": Entry(
            'mutation($p: ID!) { createOrgUnit(input: {name: "新组", parentId: $p}) { id } }',
            ADMIN_ONLY,
            {"p": await gql.company(admin)},
        ),
        "updateOrgUnit": Entry(
            'mutation($id: ID!) { updateOrgUnit(id: $id, input: {name: "改名"}) { id } }',
            ADMIN_ONLY,
            unit_var,
        ),
        "deleteOrgUnit": Entry("mutation($id: ID!) { deleteOrgUnit(id: $id) }", ADMIN_ONLY, unit_var),
    }
    made = await gql('mutation { createServiceAccount(input: {name: "矩阵", permissions: []}) { id } }', token=admin)
    account_id = made["data"]["createServiceAccount"]["id"]

    async def api_key(caller):
        key = await gql(
            'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "k") { secret key { id } } }',
            {"id": account_id},
            token=admin,
        )
        return {"k": key["data"]["createApiKey"]["secret"], "id": key["data"]["createApiKey"]["key"]["id"]}

    self_service = expect("BAD_USER_INPUT")
    entries |= {
        "apiKeyToken": Entry(
            "mutation($k: String!) { apiKeyToken(apiKey: $k) { expiresIn } }", {"anonymous": "ok"}, api_key
        ),
        "changePassword": Entry(
            'mutation { changePassword(currentPassword: "not-it-1", newPassword: "x") }', self_service
        ),
        "enrollTotp": Entry("mutation { enrollTotp { uri } }", {"rep2": "ok", "anonymous": "UNAUTHENTICATED"}),
        "confirmTotp": Entry('mutation { confirmTotp(code: "000000") }', self_service),
        "disableTotp": Entry('mutation { disableTotp(code: "000000") }', self_service),
        "requestPasswordReset": Entry(
            'mutation { requestPasswordReset(email: "ghost@example.com") }', {"anonymous": "ok", "rep1": "ok"}
        ),
        "resetPassword": Entry(
            'mutation { resetPassword(token: "bogus", newPassword: "new-pass-1") }',
            {"anonymous": "BAD_USER_INPUT"},
        ),
        "serviceAccounts": Entry("{ serviceAccounts { id } }", ADMIN_ONLY),
        "createServiceAccount": Entry(
            'mutation { createServiceAccount(input: {name: "s", permissions: []}) { id } }', ADMIN_ONLY
        ),
        "createApiKey": Entry(
            'mutation($id: ID!) { createApiKey(serviceAccountId: $id, name: "n") { secret } }',
            ADMIN_ONLY,
            {"id": account_id},
        ),
        "revokeApiKey": Entry("mutation($id: ID!) { revokeApiKey(id: $id) }", ADMIN_ONLY, api_key),
        "signingKeys": Entry("{ signingKeys { kid } }", ADMIN_ONLY),
        "rotateSigningKey": Entry("mutation { rotateSigningKey { kid } }", ADMIN_ONLY),
        "retireSigningKey": Entry(
            'mutation { retireSigningKey(kid: "no-such-key") }', expect("FORBIDDEN", admin="NOT_FOUND")
        ),
    }

    async def fresh_service_account(caller):
        made = await gql(
            "mutation($n: String!) { createServiceAccount(input: {name: $n, permissions: []}) { id } }",
            {"n": f"停用 {caller}"},  # names are unique
            token=admin,
        )
        return {"id": made["data"]["createServiceAccount"]["id"]}

    entries |= {
        "deactivateServiceAccount": Entry(
            "mutation($id: ID!) { deactivateServiceAccount(id: $id) { id } }",
            ADMIN_ONLY,
            fresh_service_account,
        ),
        "securitySettings": Entry(
            "{ securitySettings { requireAdminTotp } }", expect("FORBIDDEN", admin="ok", manager="ok")
        ),
        "updateSecuritySettings": Entry(
            "mutation { updateSecuritySettings(requireAdminTotp: false) { requireAdminTotp } }", ADMIN_ONLY
        ),
        "deadLetters": Entry('{ deadLetters(topic: "crm.identity.role") { totalCount } }', ADMIN_ONLY),
        "replayDeadLetters": Entry(
            'mutation { replayDeadLetters(topic: "crm.identity.role", eventIds: []) }', ADMIN_ONLY
        ),
    }
    check_complete(schema, entries)
    # last: deleting a unit changes its company's subtree, which refuses the earlier tokens of the admin placed there
    entries["deleteOrgUnit"] = entries.pop("deleteOrgUnit")

    async def execute(query, variables, token):
        return await gql(query, dict(variables), token=token)

    await check_matrix(entries, tokens, execute)


def test_a_new_operation_without_an_entry_fails_the_matrix():
    with pytest.raises(AssertionError, match=r"without an authorization-matrix entry: .*me"):
        check_complete(schema, {"users": Entry("{ users { totalCount } }", {})})
