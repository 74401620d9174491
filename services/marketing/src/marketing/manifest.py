"""Marketing as the platform sees it: campaigns with their budgets and costs, consent and suppression,
email templates and the sending of email campaigns."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest

SERVICE = ServiceManifest(
    name="marketing",
    port=8004,
    topics=("crm.marketing.campaign", "crm.marketing.consent", "crm.marketing.message", "crm.marketing.segment"),
    resources={
        # approve: decide a budget (as a manager above its submitter); send: mail an email campaign
        "marketing:campaign": (*CRUD, "approve", "send"),
        "marketing:template": CRUD,
        "marketing:consent": ("read", "update"),  # opt-ins, opt-outs and the do-not-contact list
        "marketing:intelligence": ("read", "create", "update"),  # competitors and intelligence entries
        "marketing:material": ("read", "create", "update", "issue"),  # issue: hand materials to a campaign
        "marketing:segment": ("read", "create", "update"),  # dynamic segments and static lists of contacts
    },
    seed="marketing.seed:seed_demo",
)
