"""Every marketing table, for Alembic and the test templates."""

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryUser
from marketing.audience import ContactRef, LeadRef
from marketing.campaigns.models import BudgetLine, Campaign, CampaignCost, CampaignMember
from marketing.consent.models import ConsentRecord, DoNotContact
from marketing.org import OrgUnitRef
from marketing.sending.models import CampaignContent, CampaignSend
from marketing.sms.models import SmsContent, SmsSend, SmsTemplate
from marketing.templates.models import EmailTemplate

__all__ = [
    "AccountRef",
    "BudgetLine",
    "Campaign",
    "CampaignContent",
    "CampaignCost",
    "CampaignMember",
    "CampaignSend",
    "ConsentRecord",
    "ContactRef",
    "DirectoryUser",
    "DoNotContact",
    "EmailTemplate",
    "LeadRef",
    "OrgUnitRef",
    "SmsContent",
    "SmsSend",
    "SmsTemplate",
]
