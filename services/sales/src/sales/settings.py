"""Sales settings (env prefix `SALES_`)."""

from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crm_shared.config import ServiceSettings


class SalesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SALES_", extra="ignore")

    port: int = 8003
    database_url: str = "postgresql+asyncpg://sales:sales-dev@127.0.0.1:55432/sales"
    base_currency: str = "CNY"  # analytics, targets and forecasts are reported in it
    # units of base currency per unit of another currency (SALES_EXCHANGE_RATES='{"USD": "7.1"}')
    exchange_rates: dict[str, Decimal] = Field(
        default_factory=lambda: {"USD": Decimal("7.10"), "EUR": Decimal("7.70"), "HKD": Decimal("0.91")}
    )
    quote_approval_discount: Decimal = Decimal("15")  # percent; a deeper discount needs a manager's approval
    invoice_due_days: int = 30
    renewal_notice_days: int = 30  # days before a contract ends that renewal_due is published
    webform_per_minute: int = 5  # web-form submissions accepted per source address per minute
    scheduler_seconds: float = 30  # contract status, renewal reminders and forecast snapshots
