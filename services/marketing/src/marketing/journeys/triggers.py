"""The events journeys start from and wait for, joined to the handlers the service already has.

Marketing's projections already consume `contact.created` and `lead.created`; joined with
`Handlers.then`, a journey's reaction runs after the projection's, in the same unit of work (and inbox
row), so a redelivered event changes nothing. Segment entries arrive as segments announce them.
"""

from __future__ import annotations

import uuid

from crm_shared.db import UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Batched, Handlers
from marketing import events
from marketing.journeys import service
from marketing.journeys.definition import EVENTS, STARTS


async def react(uow: UnitOfWork, envelopes: list[CloudEvent]) -> None:
    """Enrol the events' people where journeys start from them; move on those waiting for them. A batch's run of
    events at once, a statement or two for each type."""
    by_type: dict[str, list[CloudEvent]] = {}
    for envelope in envelopes:
        if envelope.data.get(EVENTS[envelope.type].person_field) is not None:
            by_type.setdefault(envelope.type, []).append(envelope)
    for event_type, arrived in by_type.items():
        if event_type in STARTS:
            await service.enter_from_events(uow, event_type, [(e.data, e.time) for e in arrived])
        person_field = EVENTS[event_type].person_field
        await service.event_arrived(uow, event_type, [uuid.UUID(str(e.data[person_field])) for e in arrived])


JOURNEYS = Handlers()
for _type, _trigger in EVENTS.items():
    JOURNEYS.add_raw(_trigger.topic, _type, Batched(react))


@JOURNEYS.on(events.SegmentMembershipChanged)
async def segment_entered(uow: UnitOfWork, event: events.SegmentMembershipChanged) -> None:
    """Contacts entering a segment enter the live journeys that start from it."""
    if event.added:
        await service.enter_from_segment(uow, event.segment_id, event.added)
