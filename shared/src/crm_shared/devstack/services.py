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
    ServiceSpec("identity", 8001, ("crm.identity.user", "crm.identity.org_unit", "crm.identity.role", "crm.audit")),
    ServiceSpec(
        "customer",
        8002,
        ("crm.customer.account", "crm.customer.contact", "crm.customer.activity", "crm.customer.task"),
    ),
    ServiceSpec(
        "sales",
        8003,
        (
            "crm.sales.lead",
            "crm.sales.opportunity",
            "crm.sales.quote",
            "crm.sales.contract",
            "crm.sales.order",
            "crm.sales.invoice",
            "crm.sales.payment",
        ),
    ),
)

TOPICS = tuple(topic for service in SERVICES for topic in service.topics)
