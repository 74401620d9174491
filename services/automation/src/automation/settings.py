"""Automation settings (env prefix `AUTOMATION_`)."""

from pydantic_settings import SettingsConfigDict

from crm_shared.config import ServiceSettings, proxy_networks
from crm_shared.http.outgoing import Network

# the domain topics whose events rules and webhooks react to (identity's directory is not a trigger)
TRIGGER_TOPICS = (
    "crm.customer.account",
    "crm.customer.contact",
    "crm.sales.lead",
    "crm.sales.opportunity",
    "crm.sales.quote",
    "crm.sales.contract",
    "crm.sales.order",
    "crm.sales.invoice",
    "crm.sales.payment",
    "crm.marketing.campaign",
    "crm.support.ticket",
    "crm.support.survey",
)


class AutomationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUTOMATION_", extra="ignore")

    port: int = 8006
    database_url: str = "postgresql+asyncpg://automation:automation-dev@127.0.0.1:55432/automation"
    api_key: str = ""  # automation's service-account key: rules' tasks and updates go through the services' APIs
    trigger_topics: list[str] = list(TRIGGER_TOPICS)
    call_timeout_seconds: float = 10.0  # one call of another service or a webhook
    timer_max_sleep_seconds: float = 30.0  # the timer worker looks again at least this often
    step_retry_seconds: float = 5.0  # the first wait after a failed step; it doubles on each failure
    step_max_attempts: int = 8  # then the run fails, its error in the log
    # runs one chain may hold, each started by an event the run before caused (a rule updating what triggers it):
    # the next is stopped as a loop
    workflow_chain_limit: int = 5
    webhook_check_seconds: float = 1.0  # retries due are found this often; what is queued is sent at once
    webhook_retry_seconds: float = 5.0  # the first wait after a failed delivery; it doubles on each failure
    webhook_retry_max_seconds: float = 3600.0
    webhook_max_attempts: int = 8  # then the delivery is given up
    webhook_disable_after: int = 20  # failed attempts in a row that switch a subscription off
    # networks webhooks (subscriptions and rules' steps) may reach besides public addresses, comma-separated CIDRs;
    # unset: none in production, loopback elsewhere (the demo's receiver)
    webhook_private_networks: str | None = None
    mail_address: str = "automation@crm.local"  # the sender of notification mail and digests
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_seconds: float = 10.0
    mail_check_seconds: float = 5.0
    digest_hour_utc: int = 0  # daily digests go out on the first run after this hour (08:00 in Beijing)
    cti_url: str = ""  # the phone system's click-to-call endpoint (`/calls` is posted to); `make run`: its simulator
    cti_secret: str = ""  # shared with the phone system: signs its call events and our click-to-call requests
    cti_tolerance_seconds: float = 300.0  # a call event signed further from now is refused (no replays later)
    erp_api_key: str = ""  # the ERP's key for the inbound ERP API (`X-Api-Key`); empty: only signed-in callers
    logging_address: str = "log@crm.local"  # users' logging addresses are its sub-addresses, log+<token>@crm.local
    inbound_mail_token: str = ""  # what the mail provider's inbound webhook (or the dev SMTP server) signs in with

    @property
    def webhook_networks(self) -> tuple[Network, ...]:
        """Where a webhook may go besides the public internet (`crm_shared.http.outgoing.public`)."""
        value = self.webhook_private_networks
        if value is None:
            value = "" if self.platform.production else "127.0.0.0/8,::1/128"
        return proxy_networks(value)
