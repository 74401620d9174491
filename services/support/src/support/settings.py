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
