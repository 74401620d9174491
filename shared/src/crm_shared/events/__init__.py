"""Domain events: CloudEvents envelope, transactional outbox and relay, idempotent consumer."""

from crm_shared.events.consumer import EventConsumer, Handler
from crm_shared.events.envelope import CloudEvent, new_event
from crm_shared.events.outbox import InboxRecord, OutboxMessage
from crm_shared.events.relay import OutboxRelay

__all__ = [
    "CloudEvent",
    "EventConsumer",
    "Handler",
    "InboxRecord",
    "OutboxMessage",
    "OutboxRelay",
    "new_event",
]
