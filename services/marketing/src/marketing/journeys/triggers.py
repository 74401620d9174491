"""The events journeys start from and wait for, joined to the handlers the service already has.

Marketing's projections already consume `contact.created` and `lead.created`; joined with
`Handlers.then`, a journey's reaction runs after the projection's, in the same unit of work (and inbox
row), so a redelivered event changes nothing. Segment entries arrive as segments announce them.
"""

from __future__ import annotations

import uuid

from crm_shared.db import UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Handlers
from marketing import events
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


JOURNEYS = Handlers()
for _type, _trigger in EVENTS.items():
    JOURNEYS.add_raw(_trigger.topic, _type, react)


@JOURNEYS.on(events.SegmentMembershipChanged)
async def segment_entered(uow: UnitOfWork, event: events.SegmentMembershipChanged) -> None:
    """Contacts entering a segment enter the live journeys that start from it."""
    if event.added:
        await service.enter_from_segment(uow, event.segment_id, event.added)
