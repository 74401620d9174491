"""Typed events as a consumer receives them, for tests that call a handler directly."""

from __future__ import annotations

from typing import TypeVar

from crm_shared.events.model import Event

E = TypeVar("E", bound=Event)


def delivered(event: E, source: str = "/crm/test") -> E:
    """The event after a round trip through its CloudEvents envelope, with an id and a time."""
    return type(event).received(event.envelope(source))
