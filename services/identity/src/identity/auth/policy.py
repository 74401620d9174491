"""The organisation's sign-in policy: whether administrators must use a second factor."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from identity.auth.models import SecurityPolicy
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class PolicyView:
    require_admin_totp: bool  # in force: the organisation's choice or the deployment's floor
    enforced_by_configuration: bool  # IDENTITY_REQUIRE_ADMIN_TOTP=true, which no administrator can lift
    updated_at: dt.datetime | None
    updated_by: uuid.UUID | None


class SecuritySettings:
    """The policy as the organisation chose it, under the floor the deployment's settings set."""

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings

    async def admin_totp_required(self, uow: UnitOfWork) -> bool:
        """Whether an administrator without TOTP gets only a token to enrol one."""
        row = await uow.session.get(SecurityPolicy, 1)
        return self.settings.require_admin_totp or bool(row and row.require_admin_totp)

    async def get(self, uow: UnitOfWork, principal: Principal) -> PolicyView:
        principal.require("identity:role:read")
        return self._view(await uow.session.get(SecurityPolicy, 1))

    async def update(self, uow: UnitOfWork, principal: Principal, require_admin_totp: bool) -> PolicyView:
        """Administrators only (permission identity:role:update, which the admin role holds)."""
        principal.require("identity:role:update")
        first = insert(SecurityPolicy).values(id=1, require_admin_totp=False, updated_at=utcnow())
        await uow.session.execute(first.on_conflict_do_nothing())
        row = await uow.session.get(SecurityPolicy, 1, with_for_update=True, populate_existing=True)
        assert row is not None
        before = {"requireAdminTotp": row.require_admin_totp}
        row.require_admin_totp = require_admin_totp
        row.updated_by, row.updated_at = principal.user_id, utcnow()
        after = {"requireAdminTotp": require_admin_totp}
        await audit.record(uow, "security_settings.updated", "SecuritySettings", "organisation", before, after)
        return self._view(row)

    def _view(self, row: SecurityPolicy | None) -> PolicyView:
        chosen = bool(row and row.require_admin_totp)
        return PolicyView(
            chosen or self.settings.require_admin_totp,
            self.settings.require_admin_totp,
            row.updated_at if row else None,
            row.updated_by if row else None,
        )
