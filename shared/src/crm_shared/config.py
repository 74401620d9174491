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
    refeed_check_seconds: float = 5
    consumer_max_attempts: int = 3
    # peers whose X-Forwarded-For is believed (the gateway); comma-separated addresses
    trusted_proxies: str = "127.0.0.1,::1"
    # how long a fetch waits for new records; short keeps commit-to-handler latency low
    consumer_fetch_wait_ms: int = 100
    # how often a consumer refreshes what it knows of its topics: partitions it did not know (a topic
    # a restarted broker created again on demand, partitions an operator added) are rebalanced onto
    # within seconds instead of the client's default five minutes, so nothing keyed into them waits
    consumer_metadata_max_age_ms: int = 5000
    # how long a consumer that stopped heartbeating keeps its partitions: a replica that crashed
    # has usually been given up on by the time it is started again, so it joins once, not twice
    consumer_session_timeout_ms: int = 6000
    # `name=url,...`: the services' APIs, for reads one service makes of another on the caller's behalf
    service_urls: str = ""
    # file imports: the largest upload (bytes), what an XLSX may unpack to, and a file's rows and columns
    upload_max_bytes: int = 20 * 1024 * 1024
    import_max_unpacked_bytes: int = 100 * 1024 * 1024
    import_max_rows: int = 100_000
    import_max_columns: int = 200
    # a mutation's first answer is replayed to a retry with the same Idempotency-Key for this long
    idempotency_retention_minutes: float = 60
    # GraphQL demand control in every subgraph (the gateway has its own CRM_GATEWAY_* limits)
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2000
    graphql_max_cost: int = 10000
    graphql_assumed_list_size: int = 10  # what a list field without `first` is taken to hold
    # requests per principal per minute, per service process (0: no limit), and the burst allowed at once
    rate_limit_per_minute: int = 1200
    rate_limit_burst: int = 200
    # no statement runs longer; and one caller holds at most this many of a service's pooled connections
    db_statement_timeout_ms: int = 30000
    db_sessions_per_caller: int = 4

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
