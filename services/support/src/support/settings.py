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
    survey_days: int = 14  # a survey link works this many days
    survey_base_url: str = "http://127.0.0.1:8005"  # where contacts reach the public survey form
    nps_interval_days: int = 90  # each contact of an account is asked for an NPS this often
    survey_check_seconds: float = 30.0  # how often resolved tickets and due NPS rounds are looked for
    survey_batch: int = 200
    follow_up_days: int = 2  # a low score's task for the account owner is due this many days later
    customer_api_key: str = ""  # support's service-account key: follow-up tasks are created in customer with it
    warranty_months: int = 12  # products' warranty from delivery (sales keeps none per product)

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
