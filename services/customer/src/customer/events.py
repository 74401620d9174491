"""Events the customer service publishes; each topic is keyed by the aggregate's id.

- `crm.customer.account`: account.created, .updated, .deleted, .restored, .merged, .owner_changed,
  .lifecycle_changed, .linked
- `crm.customer.contact`: contact.created, .updated, .deleted
- `crm.customer.activity`: activity.logged
- `crm.customer.task`: task.created, .completed, .reminder_due
"""

from __future__ import annotations

from typing import Any

from crm_shared.events import CloudEvent, new_event

SOURCE = "/crm/customer"
ACCOUNT_TOPIC = "crm.customer.account"
CONTACT_TOPIC = "crm.customer.contact"
ACTIVITY_TOPIC = "crm.customer.activity"
TASK_TOPIC = "crm.customer.task"
TOPICS = (ACCOUNT_TOPIC, CONTACT_TOPIC, ACTIVITY_TOPIC, TASK_TOPIC)


def event(type: str, subject: Any, data: dict[str, Any]) -> CloudEvent:
    return new_event(SOURCE, type, subject, data)
