"""Support as the platform sees it: tickets and their mail, business-hours calendars, SLA policies and escalation,
teams and shifts, canned responses, the knowledge base, satisfaction surveys and the installed base."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import CallsAs, InboundMail, ServiceManifest

SERVICE = ServiceManifest(
    name="support",
    port=8005,
    topics=("crm.support.ticket", "crm.support.article", "crm.support.survey"),
    resources={
        "support:ticket": (*CRUD, "assign", "review"),  # review: a service manager signs off a complaint
        "support:sla_policy": CRUD,
        "support:calendar": CRUD,
        "support:team": CRUD,  # teams, their agents and the assignment rules
        "support:macro": CRUD,  # canned responses
        "support:article": (*CRUD, "publish"),  # the knowledge base; publish also keeps its categories
        "support:survey": ("read", "create"),  # results; create: send relationship surveys now
        "support:shift": ("read", "update"),  # agents' shift rosters
        "support:analytics": ("read",),
    },
    seed="support.seed:seed_demo",
    inbound_mail=InboundMail(address="support@crm.local", path="/api/v1/inbound-mail"),
    # low scores' follow-up tasks are created in customer, for the account's owner
    calls_as=CallsAs(
        "CUSTOMER_API_KEY",
        permissions=("customer:task:create", "customer:account:read"),
        scopes={"customer:task": "all", "customer:account": "all"},
    ),
)
