"""Automation as the platform sees it: workflow rules run on the suite's events and schedules, in-app
notifications with their preferences, and signed webhooks to outside systems."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import CallsAs, ServiceManifest

SERVICE = ServiceManifest(
    name="automation",
    port=8006,
    topics=(
        "crm.automation.workflow",
        "crm.automation.notification",
        "crm.automation.webhook",
        "crm.automation.approval",
    ),
    resources={
        "automation:workflow": (*CRUD, "publish"),  # rules, their dry runs and run logs; administrators'
        "automation:webhook": CRUD,  # outgoing webhook subscriptions and their delivery log
        "automation:notification": ("read", "update"),  # one's own inbox and preferences
        # approval chains are administrators'; what waits on a user is theirs to decide, without a permission
        "automation:approval_chain": ("read", "create", "update"),
    },
    seed="automation.seed:seed_demo",
    # rules act through the owning services' APIs, so their permission and validation rules still apply
    calls_as=CallsAs(
        "API_KEY",
        permissions=(
            "customer:task:create",
            "customer:account:read",
            "customer:account:update",
            "sales:lead:read",
            "sales:lead:update",
            "sales:opportunity:read",
            "sales:opportunity:update",
            "support:ticket:read",
            "support:ticket:update",
        ),
        scopes={
            "customer:task": "all",
            "customer:account": "all",
            "sales:lead": "all",
            "sales:opportunity": "all",
            "support:ticket": "all",
        },
    ),
)
