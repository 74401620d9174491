"""Customer settings (env prefix `CUSTOMER_`)."""

import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crm_shared.config import ServiceSettings


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    port: int = 8002
    database_url: str = "postgresql+asyncpg://customer:customer-dev@127.0.0.1:55432/customer"
    pool_claim_limit: int = 50  # accounts one representative may hold from the public pool
    pool_return_days: int = 30  # days without follow-up before an account returns to the pool
    at_risk_days: int = 60  # days without activity or order before an active account is at risk
    churn_days: int = 120  # days without activity or order before it is churned
    scheduler_seconds: float = 5  # how often reminders and lifecycle rules are evaluated
    # uploaded files wait here while their job runs
    import_dir: str = Field(default_factory=lambda: str(Path(tempfile.gettempdir()) / "crm-customer-imports"))
