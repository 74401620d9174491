"""Every support table, for Alembic and the test templates."""

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryUser
from support.analytics.models import TicketFigures
from support.assignment.models import RoutingRule, Team, TeamMember
from support.calendars.models import BusinessCalendar
from support.contacts import ContactLink, ContactRef
from support.installed.models import InstalledProduct
from support.org import OrgUnitRef
from support.shifts.models import AgentShift
from support.sla.models import SlaNotice, SlaPolicy
from support.surveys.models import FollowUpTask, Survey
from support.tickets.models import Entry, StatusChange, Ticket

__all__ = [
    "AccountRef",
    "AgentShift",
    "BusinessCalendar",
    "ContactLink",
    "ContactRef",
    "DirectoryUser",
    "Entry",
    "FollowUpTask",
    "InstalledProduct",
    "OrgUnitRef",
    "RoutingRule",
    "SlaNotice",
    "SlaPolicy",
    "StatusChange",
    "Survey",
    "Team",
    "TeamMember",
    "Ticket",
    "TicketFigures",
]
