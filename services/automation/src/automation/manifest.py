"""Automation as the platform sees it: workflow rules run on the suite's events and schedules, in-app
notifications with their preferences, and signed webhooks to outside systems."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import CallsAs, InboundMail, ServiceManifest

SERVICE = ServiceManifest(
    name="automation",
    port=8006,
    topics=(
        "crm.automation.workflow",
        "crm.automation.notification",
        "crm.automation.webhook",
        "crm.automation.approval",
        "crm.automation.erp",
    ),
    resources={
        "automation:workflow": (*CRUD, "publish"),  # rules, their dry runs and run logs; administrators'
        "automation:webhook": CRUD,  # outgoing webhook subscriptions and their delivery log
        "automation:notification": ("read", "update"),  # one's own inbox and preferences
        "automation:call": ("read", "create", "update"),  # the call log (own, or the scope's), click-to-call, linking
        "automation:mail": ("read",),  # one's own email logging address and logged mail
        "automation:connector": ("read",),  # the connectors' figures
        "automation:erp": ("create",),  # pushing ERP documents as a signed-in caller (the ERP's key needs none)
        # approval chains are administrators'; what waits on a user is theirs to decide, without a permission
        "automation:approval_chain": ("read", "create", "update"),
    },
    # mail to log+<token>@... (a user's logging address) is handed over as raw messages
    inbound_mail=InboundMail("log@crm.local", "/api/v1/connectors/email/inbound", setting="LOGGING_ADDRESS"),
    cti_events="/api/v1/connectors/cti/events",
    seed="automation.seed:seed_demo",
    # rules act through the owning services' APIs, so their permission and validation rules still apply
    calls_as=CallsAs(
        "API_KEY",
        permissions=(
            "customer:task:create",
            "customer:account:read",
            "customer:contact:read",  # connectors: contacts by phone or email hash
            "customer:activity:create",  # connectors: call and email activities
            "sales:order:read",  # connectors: orders for the ERP
            "sales:order:update",
            "sales:quote:read",
            "sales:invoice:read",
            "sales:payment:create",  # connectors: the ERP's payments, deliveries and stock
            "sales:product:update",
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
            "customer:contact": "all",
            "customer:activity": "all",
            "sales:order": "all",
            "sales:quote": "all",
            "sales:invoice": "all",
            "sales:payment": "all",
            "sales:product": "all",
            "sales:lead": "all",
            "sales:opportunity": "all",
            "support:ticket": "all",
        },
    ),
)
