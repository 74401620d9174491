"""The events journeys start from and wait for, joined to the handlers the service already has.

Marketing's projections already consume `contact.created` and `lead.created`; a journey's reaction runs
after the projection's, in the same unit of work (and inbox row), so a redelivered event changes nothing.
"""

from __future__ import annotations

import uuid

from crm_shared.db import UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Handlers, Raw
from marketing.journeys import service
from marketing.journeys.definition import EVENTS, STARTS


async def react(uow: UnitOfWork, envelope: CloudEvent) -> None:
    """Enrol the event's person where journeys start from it; move on those waiting for it."""
    trigger = EVENTS[envelope.type]
    person = envelope.data.get(trigger.person_field)
    if person is None:
        return
    if envelope.type in STARTS:
        await service.enter_from_event(uow, envelope.type, envelope.data, envelope.time)
    await service.event_arrived(uow, envelope.type, uuid.UUID(str(person)))


def _after(first: Raw) -> Raw:
    async def both(uow: UnitOfWork, envelope: CloudEvent) -> None:
        await first(uow, envelope)
        await react(uow, envelope)

    return both


def with_journeys(handlers: Handlers) -> Handlers:
    """`handlers`, each journey event also reaching `react` (after the handler already there, if any)."""
    combined = Handlers()
    for topic, routes in handlers.routes.items():
        for type, handler in routes.items():
            joined = type in EVENTS and EVENTS[type].topic == topic
            combined.add_raw(topic, type, _after(handler) if joined else handler)
    for type, trigger in EVENTS.items():
        if type not in combined.routes.get(trigger.topic, {}):
            combined.add_raw(trigger.topic, type, react)
    return combined
