"""Marketing as the platform sees it: campaigns with their budgets and costs, consent and suppression,
email templates and the sending of email campaigns."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest

SERVICE = ServiceManifest(
    name="marketing",
    port=8004,
    topics=("crm.marketing.campaign", "crm.marketing.consent", "crm.marketing.message"),
    resources={
        # approve: decide a budget (as a manager above its submitter); send: send an email or SMS campaign
        "marketing:campaign": (*CRUD, "approve", "send"),
        "marketing:template": CRUD,
        "marketing:consent": ("read", "update"),  # opt-ins, opt-outs and the do-not-contact list
    },
    seed="marketing.seed:seed_demo",
    sms_replies="/api/v1/public/sms/replies",
)
