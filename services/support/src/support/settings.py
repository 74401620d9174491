"""Support settings (env prefix `SUPPORT_`)."""

from pydantic_settings import SettingsConfigDict

from crm_shared.config import ServiceSettings


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
