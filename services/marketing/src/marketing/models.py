"""Every marketing table, for Alembic and the test templates."""

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.org import OrgUnitRef
from marketing.audience import ContactRef, LeadRef
from marketing.campaigns.models import BudgetLine, Campaign, CampaignCost, CampaignMember
from marketing.consent.models import ConsentRecord, DoNotContact
from marketing.intelligence.models import Competitor, IntelligenceEntry
from marketing.materials.models import Material, MaterialIssue
from marketing.performance.models import Attribution, CampaignRevenue, CampaignStats, OpportunityRef, Touch
from marketing.segments.models import Profile, Segment, SegmentAccount, SegmentMember, SegmentOpportunity, SegmentOrder
from marketing.sending.models import CampaignContent, CampaignSend
from marketing.sms.models import SmsContent, SmsSend, SmsTemplate
from marketing.templates.models import EmailTemplate

__all__ = [
    "AccountRef",
    "Attribution",
    "BudgetLine",
    "Campaign",
    "CampaignContent",
    "CampaignCost",
    "CampaignMember",
    "CampaignRevenue",
    "CampaignSend",
    "CampaignStats",
    "Competitor",
    "ConsentRecord",
    "ContactRef",
    "DirectoryServiceAccount",
    "DirectoryUser",
    "DoNotContact",
    "EmailTemplate",
    "IntelligenceEntry",
    "LeadRef",
    "Material",
    "MaterialIssue",
    "OpportunityRef",
    "OrgUnitRef",
    "Profile",
    "Segment",
    "SegmentAccount",
    "SegmentMember",
    "SegmentOpportunity",
    "SegmentOrder",
    "SmsContent",
    "SmsSend",
    "SmsTemplate",
    "Touch",
]

from marketing.journeys.models import (
    ContactTag,
    Enrolment,
    HandOver,
    Journey,
    JourneyContent,
    JourneyVersion,
    StepRun,
)

__all__ += ["ContactTag", "Enrolment", "HandOver", "Journey", "JourneyContent", "JourneyVersion", "StepRun"]
