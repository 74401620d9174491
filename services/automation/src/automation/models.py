"""Every automation table, for Alembic and the test templates."""

from automation.notifications.models import DigestSent, Notification, Preference
from automation.webhooks.models import WebhookDelivery, WebhookSubscription
from automation.workflows.models import RecordState, RunStep, Timer, Workflow, WorkflowRun, WorkflowVersion
from crm_shared.auth.directory import DirectoryUser

__all__ = [
    "DigestSent",
    "DirectoryUser",
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
