"""Sales as the platform sees it: leads, pipeline, products, quotes to cash, targets and forecast."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest

SERVICE = ServiceManifest(
    name="sales",
    port=8003,
    topics=(
        "crm.sales.lead",
        "crm.sales.opportunity",
        "crm.sales.quote",
        "crm.sales.contract",
        "crm.sales.order",
        "crm.sales.invoice",
        "crm.sales.payment",
    ),
    resources={
        "sales:lead": (*CRUD, "assign", "convert", "import"),
        "sales:lead_rule": CRUD,  # assignment and scoring rules
        "sales:pipeline": CRUD,
        "sales:opportunity": CRUD,
        "sales:product": CRUD,
        "sales:quote": CRUD,
        "sales:contract": CRUD,
        "sales:order": CRUD,
        "sales:invoice": CRUD,
        "sales:payment": CRUD,
        "sales:target": CRUD,
        "sales:forecast": ("read",),
    },
    masked_fields=("sales:lead.phone", "sales:lead.email"),
    seed="sales.seed:seed_demo",
)
