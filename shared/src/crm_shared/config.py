"""Settings shared by every service; each knob is an environment variable with a safe default.

Secrets are the exception: their defaults only serve development, so a setting annotated with
`Secret` must be given a value of its own before `CRM_ENV=production` starts (`require_secrets`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# the field key `make run` and the tests use; production refuses it (see `require_secrets`)
DEV_FIELD_KEY = "crm-development-field-key-change-me"


@dataclass(frozen=True)
class Secret:
    """Marks a setting as a secret: in production it must be set, differ from its default and be long enough."""

    min_length: int = 0
    required: bool = True  # False: empty means "derived from another secret", checked there


class InsecureConfiguration(RuntimeError):
    """Production was asked to start on a missing, development or too short secret."""


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
    # peers whose X-Forwarded-For is believed (the gateway): comma-separated addresses or CIDRs
    trusted_proxies: str = "127.0.0.1/32,::1/128"
    # encrypts personal fields at rest and keys their lookup hashes (read by `crm_shared.crypto`)
    field_encryption_key: Annotated[str, Secret(min_length=16)] = DEV_FIELD_KEY
    # how long a fetch waits for new records; short keeps commit-to-handler latency low
    consumer_fetch_wait_ms: int = 100
    # how often a consumer refreshes what it knows of its topics: partitions it did not know (a topic
    # a restarted broker created again on demand, partitions an operator added) are rebalanced onto
    # within seconds instead of the client's default five minutes, so nothing keyed into them waits
    consumer_metadata_max_age_ms: int = 5000
    # how long a consumer that stopped heartbeating keeps its partitions: a replica that crashed
    # has usually been given up on by the time it is started again, so it joins once, not twice
    consumer_session_timeout_ms: int = 6000
    # how long a service trusts its last look at a user's status and grants version (revocation delay)
    authz_cache_seconds: float = 1.0
    # as long, where the directory announces its changes and a connection listens to them (it empties the cache)
    authz_told_seconds: float = 30.0
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
    # no statement runs longer; a service process holds at most `db_pool_size` connections (opened as
    # requests need them, then kept), and one caller at most `db_sessions_per_caller` of them at once
    db_statement_timeout_ms: int = 30000
    db_pool_size: int = Field(default=10, ge=1)
    db_sessions_per_caller: int = 4

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        """Refuse an address that is not one, rather than trusting nobody (or everybody) by surprise."""
        proxy_networks(value)
        return value

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def proxies(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return proxy_networks(self.trusted_proxies)

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

    # holds the database password: the development default is refused in production
    database_url: Annotated[str, Secret()] = "postgresql+asyncpg://postgres@127.0.0.1:55432/postgres"
    port: int = 8000
    platform: PlatformSettings = Field(default_factory=PlatformSettings)


def proxy_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`CRM_TRUSTED_PROXIES` as networks: `10.0.0.0/8,127.0.0.1` (a bare address is a network of one)."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"CRM_TRUSTED_PROXIES: {exc}") from exc


def _secrets(settings: BaseSettings) -> dict[str, Secret]:
    """The secret settings of `settings`' class, including those a subclass re-declared without the marker."""
    found: dict[str, Secret] = {}
    for cls in reversed(type(settings).__mro__):
        for name, info in getattr(cls, "model_fields", {}).items():
            marker = next((m for m in info.metadata if isinstance(m, Secret)), None)
            if marker is not None:
                found[name] = marker
    return found


def weak_secrets(settings: BaseSettings) -> list[str]:
    """What is wrong with each secret of `settings`, naming its environment variable."""
    prefix = settings.model_config.get("env_prefix", "")
    problems = []
    for name, secret in _secrets(settings).items():
        value, default = getattr(settings, name), type(settings).model_fields[name].default
        variable = f"{prefix}{name}".upper()
        if not value:
            if secret.required:
                problems.append(f"{variable} is not set")
        elif value in (default, DEV_FIELD_KEY):
            problems.append(f"{variable} is the development default")
        elif len(value) < secret.min_length:
            problems.append(f"{variable} is shorter than {secret.min_length} characters")
    return problems


def require_secrets(platform: PlatformSettings, *settings: BaseSettings) -> None:
    """In production, refuse to start on any missing, development or too short secret, naming each."""
    if not platform.production:
        return
    problems = [problem for each in (platform, *settings) for problem in weak_secrets(each)]
    if problems:
        raise InsecureConfiguration("CRM_ENV=production refuses to start: " + "; ".join(problems))
