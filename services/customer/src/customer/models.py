"""Every customer table, so Alembic sees the whole schema."""

from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.events import InboxRecord, OutboxMessage
from crm_shared.http.idempotency import IdempotencyRecord
from customer.accounts.conversion import LeadConversion
from customer.accounts.models import Account, AccountLink, LifecycleChange, OwnershipChange
from customer.activities.models import Activity
from customer.contacts.models import Contact, ContactAccountLink
from customer.custom_fields.models import CustomFieldDefinition
from customer.imports.models import ImportJob
from customer.saved_views.models import SavedView
from customer.tasks.models import Task

__all__ = [
    "Account",
    "AccountLink",
    "Activity",
    "Contact",
    "ContactAccountLink",
    "CustomFieldDefinition",
    "DirectoryServiceAccount",
    "DirectoryUser",
    "IdempotencyRecord",
    "ImportJob",
    "InboxRecord",
    "LeadConversion",
    "LifecycleChange",
    "OutboxMessage",
    "OwnershipChange",
    "SavedView",
    "Task",
]
