"""Identity settings (env prefix `IDENTITY_`)."""

from pydantic_settings import SettingsConfigDict

from crm_shared.config import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    port: int = 8001
    database_url: str = "postgresql+asyncpg://identity:identity-dev@127.0.0.1:55432/identity"
    # protects the private signing keys stored in the database; set a real secret in production
    signing_key_passphrase: str = "development-only-passphrase"
    access_token_seconds: int = 900
    refresh_token_days: int = 30
    lockout_account_failures: int = 5  # failed sign-ins for one account within the window
    lockout_address_failures: int = 20  # failed sign-ins from one source address within the window
    lockout_minutes: int = 15
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "CRM <no-reply@example.com>"
    reset_url: str = "http://127.0.0.1:4000/reset-password?token="
    reset_minutes: int = 30
    # the organisation's policy: administrators must sign in with a second factor
    require_admin_totp: bool = False
    # encrypts TOTP secrets at rest (Fernet, key derived with HKDF); empty: derived from the passphrase
    totp_encryption_key: str = ""
