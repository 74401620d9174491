"""Support settings (env prefix `SUPPORT_`)."""

from typing import Annotated

from pydantic_settings import SettingsConfigDict

from crm_shared.config import Secret, ServiceSettings


class SupportSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUPPORT_", extra="ignore")

    port: int = 8005
    database_url: str = "postgresql+asyncpg://support:support-dev@127.0.0.1:55432/support"
    reopen_days: int = 7  # a resolved or closed ticket may be reopened this many days after its resolution
    sla_check_seconds: float = 1.0  # how often due SLA warnings and breaches are looked for
    sla_batch: int = 500  # tickets the SLA monitor looks at per run
    # mail: the support address customers write to, and the relay replies leave through
    mail_address: str = "support@crm.local"
    mail_name: str = "客户服务 Customer Service"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_seconds: float = 10.0
    # the bearer token of the inbound-mail endpoint (the dev SMTP server, a provider's webhook, a mailbox poller)
    inbound_mail_token: Annotated[str, Secret(min_length=16)] = "support-inbound-dev-token"
    mail_send_seconds: float = 1.0  # how often queued replies are sent
    mail_batch: int = 20  # replies sent per run
    mail_retry_seconds: float = 30.0  # the first wait after a failed send; it doubles on each failure
    mail_retry_max_seconds: float = 3600.0
    mail_max_attempts: int = 12  # then the reply's mail is given up (`failed`), shown on the ticket
    attachment_max_bytes: int = 10 * 1024 * 1024  # per attachment
    attachment_max_count: int = 10  # per message
    # attachment types taken in and sent (by MIME type, `image/*` for a whole family)
    attachment_types: str = (
        "image/*,application/pdf,text/plain,text/csv,application/zip,application/msword,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.ms-excel,"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    public_kb_per_minute: int = 60  # public knowledge-base reads per client address and minute
    public_kb_burst: int = 30

    def attachment_allowed(self, content_type: str) -> bool:
        kind = content_type.lower()
        for allowed in (t.strip().lower() for t in self.attachment_types.split(",")):
            if allowed == kind or (allowed.endswith("/*") and kind.startswith(allowed[:-1])):
                return True
        return False
