"""The CloudEvents 1.0 envelope every event travels in (structured JSON mode)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, Field

from crm_shared.telemetry import current_traceparent


class CloudEvent(BaseModel):
    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    datacontenttype: str = "application/json"
    data: dict[str, Any] = Field(default_factory=dict)
    traceparent: str | None = None

    def headers(self) -> list[tuple[str, bytes]]:
        return headers(self.id, self.type, self.source, self.traceparent)


def headers(event_id: str, type: str, source: str, traceparent: str | None) -> list[tuple[str, bytes]]:
    """Kafka headers: the CloudEvents binary attributes a router can use without parsing."""
    pairs = [
        ("content-type", b"application/cloudevents+json"),
        ("ce_id", event_id.encode()),
        ("ce_type", type.encode()),
        ("ce_source", source.encode()),
    ]
    if traceparent:
        pairs.append(("traceparent", traceparent.encode()))
    return pairs


def new_event(source: str, type: str, subject: str | uuid.UUID, data: dict[str, Any]) -> CloudEvent:
    """A new event carrying the current trace context, so consumers continue the trace."""
    return CloudEvent(source=source, type=type, subject=str(subject), data=data, traceparent=current_traceparent())
