"""Customer as the platform sees it: accounts, contacts, activities, tasks and the public pool."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest, Snapshots

SERVICE = ServiceManifest(
    name="customer",
    port=8002,
    topics=("crm.customer.account", "crm.customer.contact", "crm.customer.activity", "crm.customer.task"),
    resources={
        "customer:account": (*CRUD, "transfer", "merge", "import", "export"),
        "customer:contact": CRUD,
        "customer:activity": CRUD,
        "customer:task": CRUD,
        "customer:pool": ("read", "release", "claim"),
        "customer:custom_field": CRUD,
    },
    masked_fields=(
        "customer:contact.phone",
        "customer:contact.email",
        "customer:contact.id_number",
        "customer:account.phone",
    ),
    seed="customer.seed:seed_demo",
    snapshots=(  # what other services project (crm_shared.accounts), re-published by a reconciliation
        Snapshots("crm_contracts.customer:AccountReconciled", "customer.accounts.snapshot:reconciliation_snapshots"),
    ),
)
