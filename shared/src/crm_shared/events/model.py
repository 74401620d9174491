"""Typed domain events: one Pydantic model per event type, carried as the `data` of a CloudEvent.

A model names its `type` and `topic`; its fields are snake_case in Python and camelCase on the
wire. Consumers read tolerantly (unknown fields are ignored); the JSON Schemas producers are held
to are generated from the same models (`python -m crm_shared.events.schemas`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr
from pydantic.alias_generators import to_camel

from crm_shared.events.envelope import CloudEvent, new_event


class Event(BaseModel):
    """The data of one event type; `subject_field` names the aggregate id that keys the topic."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)

    type: ClassVar[str]
    topic: ClassVar[str]
    subject_field: ClassVar[str] = "id"
    _envelope: CloudEvent | None = PrivateAttr(default=None)

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def subject(self) -> str:
        return str(getattr(self, self.subject_field))

    def envelope(self, source: str) -> CloudEvent:
        """The CloudEvent to publish, carrying the current trace context."""
        return new_event(source, self.type, self.subject(), self.data())

    @classmethod
    def received(cls, envelope: CloudEvent) -> Self:
        """The typed event from a consumed envelope; its id and time stay reachable."""
        event = cls.model_validate(envelope.data)
        event._envelope = envelope
        return event

    @property
    def event_id(self) -> uuid.UUID:
        return uuid.UUID(self._received().id)

    @property
    def time(self) -> dt.datetime:
        """When the producer committed the change: later events win in projections."""
        return self._received().time

    def _received(self) -> CloudEvent:
        if self._envelope is None:
            raise RuntimeError(f"{self.type} was not received from the broker")
        return self._envelope


def event_types(*modules: Any) -> list[type[Event]]:
    """Every Event subclass defined in the given modules, for registries and schema generation."""
    found = []
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Event) and "type" in value.__dict__:
                found.append(value)
    return sorted(found, key=lambda e: (e.topic, e.type))
