"""Every automation table, for Alembic and the test templates."""

from automation.approvals.models import Approval, ApprovalChain, ApprovalEntry, Delegation, UserRoles
from automation.connectors.models import Call, ConnectorInput, LoggedMail, LoggingAddress
from automation.notifications.models import DigestSent, Notification, Preference
from automation.webhooks.models import WebhookDelivery, WebhookSubscription
from automation.workflows.models import RecordState, RunStep, Timer, Workflow, WorkflowRun, WorkflowVersion
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.org import OrgUnitRef

__all__ = [
    "Approval",
    "ApprovalChain",
    "ApprovalEntry",
    "Call",
    "ConnectorInput",
    "Delegation",
    "DigestSent",
    "DirectoryServiceAccount",
    "DirectoryUser",
    "LoggedMail",
    "LoggingAddress",
    "Notification",
    "OrgUnitRef",
    "Preference",
    "RecordState",
    "RunStep",
    "Timer",
    "UserRoles",
    "WebhookDelivery",
    "WebhookSubscription",
    "Workflow",
    "WorkflowRun",
    "WorkflowVersion",
]
