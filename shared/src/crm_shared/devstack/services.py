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
    ServiceSpec(
        "customer",
        8002,
        ("crm.customer.account", "crm.customer.contact", "crm.customer.activity", "crm.customer.task"),
    ),
)
# topics consumed here whose publishing service is not part of the suite yet
EXTERNAL_TOPICS = ("crm.sales.order",)

TOPICS = (*(topic for service in SERVICES for topic in service.topics), *EXTERNAL_TOPICS)
