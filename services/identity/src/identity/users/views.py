"""A user as one caller may see them: the email already masked when the caller's roles mask it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from crm_shared.auth import Principal
from crm_shared.masking import mask_email
from crm_shared.rows import from_row
from identity.users.models import User

MASKED_EMAIL = "identity:user.email"


@dataclass(frozen=True)
class UserView:
    id: uuid.UUID
    email: str
    display_name: str
    roles: list[str]
    org_unit_id: uuid.UUID | None
    is_active: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, user: User, principal: Principal | None) -> UserView:
        """Nobody sees their own email masked; the system (no caller) sees it whole."""
        masked = principal is not None and principal.user_id != user.id and principal.masks(MASKED_EMAIL)
        return from_row(cls, user, email=mask_email(user.email) if masked else user.email, roles=list(user.roles))
