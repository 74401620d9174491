"""Identity as the platform sees it: users, organisation, roles, sign-in, the audit trail."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest, Snapshots

SERVICE = ServiceManifest(
    name="identity",
    port=8001,
    topics=("crm.identity.user", "crm.identity.org_unit", "crm.identity.role"),
    resources={
        "identity:user": (*CRUD, "deactivate"),
        "identity:org_unit": CRUD,
        "identity:role": (*CRUD, "assign"),
        "identity:audit": ("read",),
        "identity:service_account": (*CRUD, "revoke"),
        "identity:signing_key": ("read", "rotate"),
        "identity:dead_letter": ("read", "replay"),  # every service's events that could not be applied
        # reading the API schema where production hides it (introspection, `_service`): tooling
        "identity:schema": ("read",),
    },
    masked_fields=("identity:user.email",),
    seed="identity.seed:seed_demo",
    banner="identity.seed:banner",
    catalogue_file="roles/catalogue.json",
    snapshots=(  # what every service's user directory projects, re-published by a reconciliation
        Snapshots("crm_contracts.identity:UserReconciled", "identity.events:reconciliation_snapshots"),
    ),
)
