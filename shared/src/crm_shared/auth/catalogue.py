"""The suite's permission catalogue: `<service>:<resource>:<action>`, the contract roles are built from.

Each service checks only its own entries; identity offers the whole list to administrators who
compose roles, so it lives here, beside the other cross-service contracts.
"""

from __future__ import annotations

CRUD = ("read", "create", "update", "delete")

RESOURCES: dict[str, tuple[str, ...]] = {
    "identity:user": (*CRUD, "deactivate"),
    "identity:org_unit": CRUD,
    "identity:role": (*CRUD, "assign"),
    "identity:audit": ("read",),
    "identity:service_account": (*CRUD, "revoke"),
    "identity:signing_key": ("read", "rotate"),
    "customer:account": (*CRUD, "transfer", "merge", "import", "export"),
    "customer:contact": CRUD,
    "customer:activity": CRUD,
    "customer:task": CRUD,
    "customer:pool": ("read", "release", "claim"),
    "customer:custom_field": CRUD,
    "sales:lead": (*CRUD, "assign", "convert", "import"),
    "sales:lead_rule": CRUD,  # assignment and scoring rules
    "sales:pipeline": CRUD,
    "sales:opportunity": CRUD,
    "sales:product": CRUD,
    "sales:quote": (*CRUD, "approve"),
    "sales:contract": (*CRUD, "approve"),
    "sales:order": CRUD,
    "sales:invoice": CRUD,
    "sales:payment": CRUD,
    "sales:target": CRUD,
    "sales:forecast": ("read",),
    "marketing:campaign": CRUD,
    "marketing:segment": CRUD,
    "marketing:message": ("read", "send"),
    "support:ticket": (*CRUD, "assign", "escalate"),
    "support:knowledge": CRUD,
    "support:survey": CRUD,
}

# fields a role may be denied; the service returns them masked
MASKABLE_FIELDS: tuple[str, ...] = (
    "customer:contact.phone",
    "customer:contact.email",
    "customer:contact.id_number",
    "customer:account.phone",
    "identity:user.email",
    "sales:lead.phone",
    "sales:lead.email",
)


def permissions() -> list[str]:
    return [f"{resource}:{action}" for resource, actions in RESOURCES.items() for action in actions]


def is_grantable(permission: str) -> bool:
    """Exact entries, `<service>:<resource>:*`, `<service>:*` and `*`."""
    if permission == "*":
        return True
    service, _, rest = permission.partition(":")
    if rest == "*":
        return any(r.startswith(f"{service}:") for r in RESOURCES)
    resource, _, action = rest.rpartition(":")
    key = f"{service}:{resource}"
    return key in RESOURCES and (action == "*" or action in RESOURCES[key])
