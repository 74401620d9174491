"""Every support table, for Alembic and the test templates."""

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.contacts import ContactLink, ContactRef
from crm_shared.org import OrgUnitRef
from support.analytics.models import TicketFigures
from support.assignment.models import RoutingRule, Team, TeamMember
from support.calendars.models import BusinessCalendar
from support.installed.models import InstalledProduct
from support.kb.models import Article, ArticleLink, ArticleVersion, ArticleVote, Category
from support.macros.models import Macro
from support.mail.models import Attachment, InboundMessage, OutgoingMail
from support.shifts.models import AgentShift
from support.sla.models import SlaNotice, SlaPolicy, SlaRecheck
from support.surveys.models import FollowUpTask, Survey
from support.tickets.models import Entry, StatusChange, Ticket

__all__ = [
    "AccountRef",
    "AgentShift",
    "Article",
    "ArticleLink",
    "ArticleVersion",
    "ArticleVote",
    "Attachment",
    "BusinessCalendar",
    "Category",
    "ContactLink",
    "ContactRef",
    "DirectoryServiceAccount",
    "DirectoryUser",
    "Entry",
    "FollowUpTask",
    "InboundMessage",
    "InstalledProduct",
    "Macro",
    "OrgUnitRef",
    "OutgoingMail",
    "RoutingRule",
    "SlaNotice",
    "SlaPolicy",
    "SlaRecheck",
    "StatusChange",
    "Survey",
    "Team",
    "TeamMember",
    "Ticket",
    "TicketFigures",
]
