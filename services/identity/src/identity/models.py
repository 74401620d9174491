"""Every identity table, so Alembic sees the whole schema."""

from crm_shared.events import InboxRecord, OutboxMessage
from crm_shared.http.idempotency import IdempotencyRecord
from identity.auth.models import (
    RefreshToken,
    SigningKey,
)
from identity.org.models import OrgUnit
from identity.roles.models import Role
from identity.users.models import User

__all__ = [
    "IdempotencyRecord",
    "InboxRecord",
    "OrgUnit",
    "OutboxMessage",
    "RefreshToken",
    "Role",
    "SigningKey",
    "User",
]
