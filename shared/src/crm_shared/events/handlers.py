"""What a service consumes: typed handlers declared once, routed by topic and event type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from crm_shared.db.engine import UnitOfWork
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.model import Event

E = TypeVar("E", bound=Event)
Raw = Callable[[UnitOfWork, CloudEvent], Awaitable[None]]
Typed = Callable[[UnitOfWork, Any], Awaitable[None]]
Many = Callable[[UnitOfWork, list[CloudEvent]], Awaitable[None]]
TypedMany = Callable[[UnitOfWork, list[Any]], Awaitable[None]]
ANY_TYPE = "*"  # a raw route for every type on a topic that has no route of its own (rule engines, webhooks)


class Batched:
    """A route that takes a fetched batch's new events of its topic at once, in their order (`many`): a rule
    engine evaluates them set-wise. Called with one event, as the consumer does going one by one, it is `many`
    of that one."""

    def __init__(self, many: Many) -> None:
        self.many = many

    async def __call__(self, uow: UnitOfWork, envelope: CloudEvent) -> None:
        await self.many(uow, [envelope])


class Handlers:
    """A registry of event handlers: `@handlers.on(AccountCreated, AccountUpdated)`.

    Each handler receives its unit of work (the inbox row and its effects commit together) and the
    typed event. Registries combine with `+`, so the platform's projections join a service's own.
    """

    def __init__(self) -> None:
        self.routes: dict[str, dict[str, Raw]] = {}

    def on(self, *types: type[Event]) -> Callable[[Typed], Typed]:
        def register(handler: Typed) -> Typed:
            for event_type in types:
                self.add(event_type, handler)
            return handler

        return register

    def on_many(self, *types: type[Event]) -> Callable[[TypedMany], TypedMany]:
        """Like `on`, for a handler of a list of typed events: consecutive events of these types in a fetched batch
        reach it at once (see `Batched`), so a projection writes them in one statement."""

        def register(handler: TypedMany) -> TypedMany:
            by_type = {event_type.type: event_type for event_type in types}

            async def many(uow: UnitOfWork, envelopes: list[CloudEvent]) -> None:
                await handler(uow, [by_type[envelope.type].received(envelope) for envelope in envelopes])

            batched = Batched(many)
            for event_type in types:
                self.add_raw(event_type.topic, event_type.type, batched)
            return handler

        return register

    def add(self, event_type: type[Event], handler: Typed) -> None:
        async def typed(uow: UnitOfWork, envelope: CloudEvent) -> None:
            await handler(uow, event_type.received(envelope))

        self.add_raw(event_type.topic, event_type.type, typed)

    def add_many(self, topic: str, many: Many) -> None:
        """Every event of the topic, as a batch at once when the consumer applies batches (see `Batched`)."""
        self.add_raw(topic, ANY_TYPE, Batched(many))

    def add_raw(self, topic: str, type: str, handler: Raw) -> None:
        """For envelopes handled as they are (the audit chain stores them whole)."""
        routes = self.routes.setdefault(topic, {})
        if type in routes:
            raise ValueError(f"two handlers for {type} on {topic}")
        routes[type] = handler

    def then(self, other: Handlers) -> Handlers:
        """Both registries' routes; where both handle an event, `other`'s handler runs after this one's in
        the same unit of work (a projection built from what another projection has just written). Where both are
        batched, so is the pair: `other` takes a batch's run of events after this one has applied all of them."""
        combined = Handlers()
        for topic in {*self.routes, *other.routes}:
            first, second = self.routes.get(topic, {}), other.routes.get(topic, {})
            for type in {*first, *second}:
                chain = [handler for handler in (first.get(type), second.get(type)) if handler is not None]
                combined.add_raw(topic, type, chain[0] if len(chain) == 1 else _in_turn(*chain))
        return combined

    @property
    def topics(self) -> list[str]:
        return sorted(self.routes)

    def __add__(self, other: Handlers) -> Handlers:
        combined = Handlers()
        for registry in (self, other):
            for topic, routes in registry.routes.items():
                for type, handler in routes.items():
                    combined.add_raw(topic, type, handler)
        return combined


def _in_turn(*handlers: Raw) -> Raw:
    if all(isinstance(handler, Batched) for handler in handlers):
        steps = [handler.many for handler in handlers if isinstance(handler, Batched)]

        async def all_of(uow: UnitOfWork, envelopes: list[CloudEvent]) -> None:
            for many in steps:
                await many(uow, envelopes)

        return Batched(all_of)

    async def each(uow: UnitOfWork, envelope: CloudEvent) -> None:
        for handler in handlers:
            await handler(uow, envelope)

    return each
