"""The suite's permission catalogue, `<service>:<resource>:<action>`, gathered from the services' manifests.

Each service declares its own resources, maskable fields and topics; identity offers the whole
catalogue to administrators who compose roles, and knows the suite's topics from it (dead letters).
Identity's image holds no other service, so the catalogue it loads is a file written by
`make compose` from the installed manifests (and checked for staleness).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crm_shared.service import ServiceManifest, topics

CRUD = ("read", "create", "update", "delete")


@dataclass(frozen=True)
class Catalogue:
    resources: dict[str, tuple[str, ...]]
    masked_fields: tuple[str, ...]
    topics: tuple[str, ...]

    @classmethod
    def of(cls, manifests: Iterable[ServiceManifest]) -> Catalogue:
        declared = list(manifests)
        resources: dict[str, tuple[str, ...]] = {}
        masked: list[str] = []
        for manifest in declared:
            for resource, actions in manifest.resources.items():
                if not resource.startswith(f"{manifest.name}:"):
                    raise ValueError(f"{manifest.name} declares another service's resource {resource}")
                resources[resource] = tuple(actions)
            masked += manifest.masked_fields
        return cls(resources, tuple(masked), tuple(topics(declared)))

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        data = json.loads(path.read_text())
        resources = {k: tuple(v) for k, v in data["resources"].items()}
        return cls(resources, tuple(data["maskedFields"]), tuple(data["topics"]))

    def dumps(self) -> str:
        body = {
            "resources": {k: list(v) for k, v in self.resources.items()},
            "maskedFields": list(self.masked_fields),
            "topics": list(self.topics),
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    def permissions(self) -> list[str]:
        return [f"{resource}:{action}" for resource, actions in self.resources.items() for action in actions]

    def is_grantable(self, permission: str) -> bool:
        """Exact entries, `<service>:<resource>:*`, `<service>:*` and `*`."""
        if permission == "*":
            return True
        service, _, rest = permission.partition(":")
        if rest == "*":
            return any(r.startswith(f"{service}:") for r in self.resources)
        resource, _, action = rest.rpartition(":")
        key = f"{service}:{resource}"
        return key in self.resources and (action == "*" or action in self.resources[key])
