"""The services of the suite, their local ports and the topics they publish."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    topics: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


SERVICES = (
    ServiceSpec(
        "identity", 8001, ("crm.identity.user", "crm.identity.org_unit", "crm.identity.role", "crm.audit")
    ),
)

TOPICS = tuple(topic for service in SERVICES for topic in service.topics)
