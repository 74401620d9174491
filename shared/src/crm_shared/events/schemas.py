"""The JSON Schemas of the events the suite publishes, generated from the typed event models.

`tests/contract/events/<type>.schema.json` describes one event type in its CloudEvents envelope, for
downstream systems that read the topics without our code. `make compose` writes them;
`make compose-check` fails when a committed schema no longer matches its model.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from crm_shared.events.model import Event, event_types
from crm_shared.service import ServiceManifest

SCHEMA_DIR = Path("tests/contract/events")


def published(manifest: ServiceManifest) -> list[type[Event]]:
    """The event models in the service's events module that go to its own topics."""
    module = importlib.import_module(f"{manifest.package}.events")
    return [e for e in event_types(module) if e.topic in manifest.topics]


def schema(event: type[Event], source: str) -> dict[str, Any]:
    data = _untitled(event.model_json_schema(by_alias=True, mode="serialization"))
    definitions = data.pop("$defs", {})
    data["additionalProperties"] = False  # producers send exactly the contract; consumers ignore extras
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{event.topic}/{event.type}",
        "title": f"{event.topic}/{event.type}",
        "description": f"{event.type} on {event.topic}, keyed by {event.subject_field}. "
        "CloudEvents 1.0, structured JSON.",
        "type": "object",
        "required": ["specversion", "id", "source", "type", "subject", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"const": source},
            "type": {"const": event.type},
            "subject": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "traceparent": {"type": ["string", "null"]},
            "data": data,
        },
    }
    if definitions:
        document["$defs"] = definitions
    return document


def render(manifests: list[ServiceManifest]) -> dict[str, str]:
    """File name → content for every published event type."""
    files = {}
    for manifest in manifests:
        for event in published(manifest):
            text = json.dumps(schema(event, manifest.source), indent=2, ensure_ascii=False) + "\n"
            files[f"{event.type}.schema.json"] = text
    return files


def by_topic(manifests: list[ServiceManifest]) -> str:
    """Each topic's event types as JSON (`crm_contracts.published`)."""
    topics: dict[str, list[str]] = {}
    for manifest in manifests:
        for event in published(manifest):
            topics.setdefault(event.topic, []).append(event.type)
    return json.dumps({topic: sorted(types) for topic, types in sorted(topics.items())}, indent=2) + "\n"


def write(manifests: list[ServiceManifest], directory: Path = SCHEMA_DIR, check: bool = False) -> list[str]:
    """The schema files that were stale, missing or orphaned (rewritten unless checking)."""
    files = render(manifests)
    existing = {p.name for p in directory.glob("*.schema.json")}
    stale = sorted(n for n, t in files.items() if not (directory / n).exists() or (directory / n).read_text() != t)
    orphans = sorted(existing - set(files))
    if not check:
        directory.mkdir(parents=True, exist_ok=True)
        for name in stale:
            (directory / name).write_text(files[name])
        for name in orphans:
            (directory / name).unlink()
    return stale + orphans


def _untitled(node: Any) -> Any:
    """Pydantic's generated titles ("Fromownerid") say nothing the property names do not."""
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node
