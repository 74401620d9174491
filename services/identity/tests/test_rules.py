"""Identity's pure rules, without I/O: grants, passwords, masking, transitions, event payloads, the chain."""

import datetime as dt
import uuid

import pyotp
import pytest

from crm_shared.auth import DataScope, Principal
from crm_shared.errors import BadInput
from identity.audit.chain import GENESIS, digest
from identity.audit.models import AuditRecord
from identity.auth.lockout import AccountLocked
from identity.auth.models import ApiKey, PasswordReset, RefreshToken, ServiceAccount
from identity.auth.passwords import check_policy
from identity.auth.totp import TotpCipher
from identity.events import OrgUnitCreated, RoleCreated, UserCreated, user_event
from identity.org.models import OrgUnit
from identity.org.service import _kind
from identity.roles.coverage import shortfall
from identity.roles.grants import Grants, combine
from identity.roles.models import Role
from identity.users.models import User
from identity.users.views import UserView

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def user(**overrides):
    fields = {"email": "li.lei@example.com", "display_name": "李雷", "password_hash": "x", "roles": ["sales_rep"]}
    return User(**{**fields, **overrides}, created_at=NOW)


def test_grants_unite_permissions_take_the_widest_scope_and_mask_only_what_every_role_masks():
    rep = Role(key="a", name="A", permissions=["x:read"], scopes={"customer:account": "own"}, masked_fields=["f", "g"])
    manager = Role(key="b", name="B", permissions=["x:read", "y:*"], scopes={"customer:account": "subtree"})
    manager.masked_fields = ["g"]
    grants = combine([rep, manager])
    assert grants.permissions == ["x:read", "y:*"]
    assert grants.scopes == {"customer:account": "subtree"}
    assert grants.masked_fields == ["g"]
    assert combine([]).masked_fields == []


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("short1", "password_length"),
        ("Ab1!" * 65, "too_long"),  # 260 characters
        ("onlyletters", "password_mix"),
        ("12345678", "password_mix"),
        ("password1", "password_common"),
        ("lilei-2026", "password_common"),  # the email's name inside the password
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, key):
    with pytest.raises(BadInput) as refused:
        check_policy(password, "lilei@example.com")
    assert (refused.value.key, refused.value.field) == (key, "password")


def test_a_good_password_passes():
    check_policy("长城-2026-great", "lilei@example.com")


def test_an_email_is_masked_for_a_caller_whose_roles_mask_it_but_never_for_its_owner():
    target = user()
    masked = Principal(user_id=uuid.uuid4(), masked_fields=frozenset({"identity:user.email"}))
    assert UserView.of(target, masked).email == "l***@example.com"
    assert UserView.of(target, Principal(user_id=target.id, masked_fields=masked.masked_fields)).email == target.email
    assert UserView.of(target, Principal(user_id=uuid.uuid4())).email == target.email
    assert UserView.of(target, None).email == target.email


def test_deactivation_and_reactivation_are_recorded_once():
    target = user()
    assert target.set_active(False, NOW) is True
    assert (target.is_active, target.deactivated_at, target.updated_at) == (False, NOW, NOW)
    assert target.set_active(False, NOW + dt.timedelta(hours=1)) is False
    assert target.deactivated_at == NOW
    assert target.set_active(True, NOW) is True and target.deactivated_at is None


def test_a_reset_link_works_once_and_until_it_expires():
    link = PasswordReset(user_id=uuid.uuid4(), token_hash="h", expires_at=NOW)
    assert link.usable(NOW) and not link.usable(NOW + dt.timedelta(seconds=1))
    link.used_at = NOW - dt.timedelta(minutes=1)
    assert not link.usable(NOW - dt.timedelta(minutes=5))


def test_revoking_a_key_twice_keeps_the_first_time_and_an_account_deactivates_once():
    key = ApiKey(service_account_id=uuid.uuid4(), name="k", prefix="p", key_hash="h")
    assert key.revoke(NOW) is True and key.revoke(NOW + dt.timedelta(days=1)) is False
    assert key.revoked_at == NOW
    account = ServiceAccount(name="ERP")
    assert account.deactivate() is True and account.deactivate() is False and account.is_active is False


def test_a_unit_placed_under_a_parent_extends_its_path_and_kinds_are_checked():
    company = OrgUnit(id=uuid.uuid4(), name="公司", kind="company", path=[])
    company.place_under(None)
    team = OrgUnit(id=uuid.uuid4(), name="组", kind="team", path=[])
    team.place_under(company)
    assert (company.path, team.path, team.parent_id) == ([company.id], [company.id, team.id], company.id)
    assert _kind("department") == "department"
    with pytest.raises(BadInput):
        _kind("division")


def test_user_events_carry_the_snapshot_in_the_published_format():
    target = user(org_unit_id=None, is_active=True)
    target.id = uuid.UUID("00000000-0000-0000-0000-000000000001")
    event = user_event(UserCreated, target, ["customer:account:read", "sales:lead:*"])
    assert event.data() == {
        "id": "00000000-0000-0000-0000-000000000001",
        "email": "li.lei@example.com",
        "displayName": "李雷",
        "roles": ["sales_rep"],
        "orgUnitId": None,
        "isActive": True,
        "authzVersion": 0,
        "permissions": ["customer:account:read", "sales:lead:*"],
    }
    assert (event.type, event.topic, event.subject()) == ("user.created", "crm.identity.user", str(target.id))


def test_unit_and_role_events_keep_their_keys_and_subjects():
    unit = OrgUnit(id=uuid.uuid4(), name="组", kind="team", path=[])
    unit.place_under(None)
    assert list(OrgUnitCreated.of(unit).data()) == ["id", "name", "kind", "parentId", "managerId", "path"]
    assert OrgUnitCreated.of(unit).data()["path"] == [str(unit.id)]
    role = Role(key="auditor", name="Auditor", permissions=["identity:audit:read"], scopes={}, masked_fields=[])
    created = RoleCreated.of(role)
    assert list(created.data()) == ["key", "name", "nameZh", "builtin", "permissions", "scopes", "maskedFields"]
    assert created.subject() == "auditor" and created.topic == "crm.identity.role"


def test_the_chain_digest_covers_the_content_and_the_previous_hash():
    record = AuditRecord(
        event_id=uuid.uuid4(), action="user.created", entity_type="User", at=NOW, service="identity"
    ).model_dump()
    first = digest(GENESIS, record)
    assert first == digest(GENESIS, record) and len(first) == 64
    assert digest("1" * 64, record) != first
    assert digest(GENESIS, record | {"action": "user.viewed"}) != first


def test_a_lock_reports_whole_minutes_left_rounded_up(clock):
    clock.set(NOW)
    locked = AccountLocked(NOW + dt.timedelta(seconds=61))
    assert locked.params["minutes"] == 2 and locked.params["retryAfterSeconds"] == 61


def test_totp_codes_verify_one_step_either_side_and_only_with_identitys_key():
    cipher = TotpCipher("a-secret")
    secret, stored = cipher.new_secret()
    totp = pyotp.TOTP(secret)
    assert cipher.verify(stored, totp.now())
    assert cipher.verify(stored, totp.at(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)))
    assert not cipher.verify(stored, totp.at(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=120)))
    assert not TotpCipher("another-secret").verify(stored, totp.now())


def test_a_refresh_token_is_spent_once_used_or_revoked():
    token = RefreshToken(user_id=uuid.uuid4(), family_id=uuid.uuid4(), token_hash="h", expires_at=NOW)
    assert not token.spent
    token.use(NOW)
    assert token.spent
    revoked = RefreshToken(user_id=uuid.uuid4(), family_id=uuid.uuid4(), token_hash="h", revoked_at=NOW)
    assert revoked.spent and Role(key="admin", name="A").fixed and not Role(key="rep", name="R").fixed


def test_the_built_in_roles_other_services_know_by_key_are_the_ones_identity_defines():
    from crm_contracts.identity import BUILTIN_ROLES as KNOWN
    from identity.roles.builtin import BUILTIN_ROLES

    assert tuple(role.key for role in BUILTIN_ROLES) == KNOWN


def test_a_caller_holds_what_their_wildcards_name_scopes_no_wider_than_their_own_and_their_masks():
    phone = "customer:contact.phone"
    manager = Principal(
        user_id=uuid.uuid4(),
        permissions=frozenset({"customer:*"}),
        scopes={"customer:account": DataScope.SUBTREE},
        masked_fields=frozenset({phone}),
    )

    def short(permissions, scopes=None, masks=(phone,), alone=False):
        error = shortfall(manager, Grants(permissions, scopes or {}, list(masks)), alone)
        return error and error.field

    assert short(["customer:*", "customer:account:*", "customer:contact:read"], {"customer:account": "unit"}) is None
    assert short(["*"]) == short(["sales:lead:read"]) == "permissions"
    assert short([], {"customer:account": "all"}) == "scopes"
    assert short([], {"customer:contact": "unit"}) == "scopes"  # without a scope of their own: own
    assert short(["customer:account:read"], masks=()) == "maskedFields"  # held with any role, it unmasks the phone
    assert short(["customer:account:read"], masks=(), alone=True) is None  # an account alone reads no contact
    assert short(["customer:contact:read"], masks=(), alone=True) == "permissions"
    admin = Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"}))
    assert shortfall(admin, Grants(["*"], {"customer:account": "all"}, [])) is None
