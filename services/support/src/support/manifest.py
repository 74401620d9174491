"""Support as the platform sees it: tickets, business-hours calendars, SLA policies and escalation, teams."""

from crm_shared.auth.catalogue import CRUD
from crm_shared.service import ServiceManifest

SERVICE = ServiceManifest(
    name="support",
    port=8005,
    topics=("crm.support.ticket", "crm.support.survey"),
    resources={
        "support:ticket": (*CRUD, "assign", "review"),  # review: a service manager signs off a complaint
        "support:sla_policy": CRUD,
        "support:calendar": CRUD,
        "support:team": CRUD,  # teams, their agents and the assignment rules
        "support:survey": ("read", "create"),  # results; create: send relationship surveys now
        "support:shift": ("read", "update"),  # agents' shift rosters
        "support:analytics": ("read",),
    },
    seed="support.seed:seed_demo",
)
