"""Identity settings (env prefix `IDENTITY_`)."""

from crm_shared.config import ServiceSettings
from pydantic_settings import SettingsConfigDict


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    port: int = 8001
    database_url: str = "postgresql+asyncpg://identity:identity-dev@127.0.0.1:55432/identity"
    # protects the private signing keys stored in the database; set a real secret in production
    signing_key_passphrase: str = "development-only-passphrase"
    access_token_seconds: int = 900
    refresh_token_days: int = 30
