"""Settings shared by every service; each knob is an environment variable with a safe default."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformSettings(BaseSettings):
    """Infrastructure settings common to all services (prefix `CRM_`)."""

    model_config = SettingsConfigDict(env_prefix="CRM_", extra="ignore")

    env: str = "development"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # The embedded development broker has no idempotent producer; real Kafka does.
    kafka_idempotence: bool = False
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "crm-identity"
    jwt_audience: str = "crm"
    outbox_poll_seconds: float = 0.5
    # published outbox rows are kept this long, so a broker that lost its data can be re-fed
    outbox_retention_days: float = 7
    outbox_purge_seconds: float = 3600
    # how often each service checks that the broker still holds what its outbox published
    refeed_check_seconds: float = 30
    consumer_max_attempts: int = 3
    # peers whose X-Forwarded-For is believed (the gateway); comma-separated addresses
    trusted_proxies: str = "127.0.0.1,::1"
    # how long a fetch waits for new records; short keeps commit-to-handler latency low
    consumer_fetch_wait_ms: int = 100
    # how long a service trusts its last look at a user's status and grants version (revocation delay)
    authz_cache_seconds: float = 1.0
    # `name=url,...`: the services' APIs, for reads one service makes of another on the caller's behalf
    service_urls: str = ""

    @property
    def production(self) -> bool:
        return self.env == "production"

    def service_url(self, name: str) -> str | None:
        """Where another service's API answers, when one is configured to be asked directly."""
        for entry in self.service_urls.split(","):
            service, _, url = entry.partition("=")
            if service.strip() == name and url.strip():
                return url.strip()
        return None


class ServiceSettings(BaseSettings):
    """Base for a service's own settings; subclasses set `env_prefix` (e.g. `IDENTITY_`)."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/postgres"
    port: int = 8000
    platform: PlatformSettings = Field(default_factory=PlatformSettings)
