"""The event types each topic of the suite carries, so a consumer checks a type it is told to wait for, or to
pass on, against what is published without importing the producer. `make compose` writes `events.json` from
the services' event models; `make compose-check` fails when it is stale."""

from __future__ import annotations

import json
from pathlib import Path

FILE = Path(__file__).with_name("events.json")
PUBLISHED: dict[str, tuple[str, ...]] = {topic: tuple(types) for topic, types in json.loads(FILE.read_text()).items()}


def types_on(topics: list[str] | tuple[str, ...]) -> list[str]:
    """Every event type published on any of the topics, in order."""
    return sorted({kind for topic in topics for kind in PUBLISHED.get(topic, ())})
