"""Marketing as the platform sees it: campaigns with their budgets and costs, consent and suppression,
email templates and the sending of email campaigns."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import CallsAs, ServiceManifest

SERVICE = ServiceManifest(
    name="marketing",
    port=8004,
    topics=(
        "crm.marketing.campaign",
        "crm.marketing.consent",
        "crm.marketing.message",
        "crm.marketing.segment",
        "crm.marketing.journey",
    ),
    resources={
        # approve: decide a budget (as a manager above its submitter); send: send an email or SMS campaign
        "marketing:campaign": (*CRUD, "send"),
        "marketing:template": CRUD,
        "marketing:consent": ("read", "update"),  # opt-ins, opt-outs and the do-not-contact list
        "marketing:intelligence": ("read", "create", "update"),  # competitors and intelligence entries
        "marketing:material": ("read", "create", "update", "issue"),  # issue: hand materials to a campaign
        "marketing:segment": ("read", "create", "update", "delete"),  # dynamic segments and static lists of contacts
        "marketing:journey": (*CRUD, "publish"),  # publish: the draft becomes the live version
    },
    seed="marketing.seed:seed_demo",
    # journeys hand people over: tasks for account owners in customer, leads in sales
    calls_as=CallsAs(
        "SERVICE_API_KEY",
        permissions=("customer:task:create", "customer:account:read", "sales:lead:create"),
        scopes={"customer:task": "all", "customer:account": "all", "sales:lead": "all"},
    ),
    sms_replies="/api/v1/public/sms/replies",
)
