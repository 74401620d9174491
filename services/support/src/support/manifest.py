"""Support as the platform sees it: tickets and their mail, business-hours calendars, SLA policies and escalation,
teams, canned responses and the knowledge base."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import InboundMail, ServiceManifest

SERVICE = ServiceManifest(
    name="support",
    port=8005,
    topics=("crm.support.ticket", "crm.support.article"),
    resources={
        "support:ticket": (*CRUD, "assign", "review"),  # review: a service manager signs off a complaint
        "support:sla_policy": CRUD,
        "support:calendar": CRUD,
        "support:team": CRUD,  # teams, their agents and the assignment rules
        "support:macro": CRUD,  # canned responses
        "support:article": (*CRUD, "publish"),  # the knowledge base; publish also keeps its categories
    },
    seed="support.seed:seed_demo",
    inbound_mail=InboundMail(address="support@crm.local", path="/api/v1/inbound-mail"),
)
