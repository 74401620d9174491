"""Every identity table, so Alembic sees the whole schema."""

from crm_shared.events import InboxRecord, OutboxMessage
from crm_shared.http.idempotency import IdempotencyRecord
from identity.audit.models import AuditRecord
from identity.auth.models import (
    ApiKey,
    LoginAttempt,
    LoginSource,
    LoginThrottle,
    PasswordReset,
    RefreshToken,
    SecurityPolicy,
    ServiceAccount,
    SigningKey,
)
from identity.deadletters.models import DeadLetterReplay
from identity.org.models import OrgUnit
from identity.roles.models import Role
from identity.users.models import User

__all__ = [
    "ApiKey",
    "AuditRecord",
    "DeadLetterReplay",
    "IdempotencyRecord",
    "InboxRecord",
    "LoginAttempt",
    "LoginSource",
    "LoginThrottle",
    "OrgUnit",
    "OutboxMessage",
    "PasswordReset",
    "RefreshToken",
    "Role",
    "SecurityPolicy",
    "ServiceAccount",
    "SigningKey",
    "User",
]
