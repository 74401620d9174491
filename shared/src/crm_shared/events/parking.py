"""Events that came before the one their aggregate needs first (`NotYetApplicable`): kept in `parked_events`,
and applied, in arrival order, in the transaction of the next event of their aggregate."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.db.engine import Database, UnitOfWork, utcnow
from crm_shared.errors import NotYetApplicable
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import ANY_TYPE
from crm_shared.events.outbox import ParkedEvent, remember

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, CloudEvent], Awaitable[None]]


class Parking:
    """One consumer group's kept events."""

    def __init__(self, db: Database, consumer: str, handlers: Mapping[str, Mapping[str, Handler]]) -> None:
        self.db, self.consumer, self.handlers = db, consumer, handlers

    async def park(self, topic: str, event: CloudEvent, reason: Exception) -> None:
        """Keep an event that came before the one it needs; the next event of its aggregate applies it."""
        parked = {
            "consumer": self.consumer,
            "event_id": uuid.UUID(event.id),
            "topic": topic,
            "subject": event.subject or "",
            "payload": event.model_dump(mode="json"),
            "reason": str(reason)[:500],
            "parked_at": utcnow(),
        }
        async with self.db.unit_of_work() as uow:
            await uow.session.execute(insert(ParkedEvent).values(**parked).on_conflict_do_nothing())
        log.info("%s: %s for %s kept until it can be applied", self.consumer, event.type, event.subject)

    async def unpark(self, uow: UnitOfWork, topic: str, subject: str | None) -> None:
        """Apply what was kept for this aggregate, in arrival order; what still cannot wait stays. The consumer
        calls it only for aggregates that `waiting` named for the fetched batch (or that it kept on the way)."""
        kept = await uow.session.scalars(
            select(ParkedEvent)
            .where(
                col(ParkedEvent.consumer) == self.consumer,
                col(ParkedEvent.topic) == topic,
                col(ParkedEvent.subject) == (subject or ""),
            )
            .order_by(col(ParkedEvent.parked_at))
        )
        for parked in kept.all():
            event = CloudEvent.model_validate(parked.payload)
            routes = self.handlers.get(topic, {})
            handler = routes.get(event.type) or routes.get(ANY_TYPE)
            try:
                async with uow.savepoint():
                    if handler is not None and await remember(uow.session, self.consumer, event):
                        await handler(uow, event)
            except NotYetApplicable:
                continue
            await uow.session.delete(parked)

    async def waiting(self, uow: UnitOfWork, subjects: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (topic, subject) pairs have events kept for them, in one query."""
        if not subjects:
            return set()
        pairs = tuple_(col(ParkedEvent.topic), col(ParkedEvent.subject)).in_(subjects)
        found = await uow.session.execute(
            select(col(ParkedEvent.topic), col(ParkedEvent.subject))
            .where(col(ParkedEvent.consumer) == self.consumer, pairs)
            .distinct()
        )
        return {(topic, subject) for topic, subject in found.all()}
