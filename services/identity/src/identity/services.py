"""The identity service layer, wired once per process."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from identity.audit.service import AuditService
from identity.auth.apikeys import ServiceAccounts
from identity.auth.keys import KeyRing
from identity.auth.passwords_flow import PasswordService
from identity.auth.rotation import KeyRotation
from identity.auth.service import AuthService
from identity.org.service import OrgService
from identity.roles.service import RoleService
from identity.settings import IdentitySettings
from identity.users.service import UserService


@dataclass
class Identity:
    db: Database
    keys: KeyRing
    users: UserService
    org: OrgService
    roles: RoleService
    auth: AuthService
    audit: AuditService
    passwords: PasswordService
    rotation: KeyRotation
    service_accounts: ServiceAccounts

    @classmethod
    def wire(cls, db: Database, settings: IdentitySettings, platform: PlatformSettings) -> Identity:
        keys = KeyRing(db, settings.signing_key_passphrase)
        roles = RoleService(db)
        return cls(
            db,
            keys,
            UserService(db, roles),
            OrgService(db),
            roles,
            AuthService(db, keys, roles, settings, platform),
            AuditService(db),
            PasswordService(db, settings),
            KeyRotation(keys),
            ServiceAccounts(db),
        )
