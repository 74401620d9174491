"""Every automation table, for Alembic and the test templates."""

from automation.connectors.models import Call, ConnectorInput, LoggedMail, LoggingAddress
from automation.notifications.models import DigestSent, Notification, Preference
from automation.webhooks.models import WebhookDelivery, WebhookSubscription
from automation.workflows.models import RecordState, RunStep, Timer, Workflow, WorkflowRun, WorkflowVersion
from crm_shared.auth.directory import DirectoryUser

__all__ = [
    "Call",
    "ConnectorInput",
    "DigestSent",
    "DirectoryUser",
    "LoggedMail",
    "LoggingAddress",
    "Notification",
    "Preference",
    "RecordState",
    "RunStep",
    "Timer",
    "WebhookDelivery",
    "WebhookSubscription",
    "Workflow",
    "WorkflowRun",
    "WorkflowVersion",
]
