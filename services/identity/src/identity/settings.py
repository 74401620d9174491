"""Identity settings (env prefix `IDENTITY_`)."""

from typing import Annotated

from pydantic_settings import SettingsConfigDict

from crm_shared.config import Secret, ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    port: int = 8001
    database_url: Annotated[str, Secret()] = "postgresql+asyncpg://identity:identity-dev@127.0.0.1:55432/identity"
    # protects the private signing keys stored in the database; production refuses the default
    signing_key_passphrase: Annotated[str, Secret(min_length=16)] = "development-only-passphrase"
    access_token_seconds: int = 900
    refresh_token_days: int = 30
    # failed sign-ins within the window (see identity.auth.lockout): one account from one address,
    lockout_pair_failures: int = 5
    # one address for any accounts,
    lockout_address_failures: int = 20
    # one account from everywhere (then only addresses it signed in from before may try)
    lockout_account_failures: int = 100
    lockout_minutes: int = 15
    familiar_days: int = 90  # an address an account signed in from stays familiar this long
    # password changes, TOTP codes and reset mails within the window: per user or email, per address
    throttle_per_person: int = 5
    throttle_per_address: int = 20
    throttle_minutes: int = 15
    # reset mails to one email address within the window from everywhere; further requests mail nothing
    throttle_reset_mails: int = 10
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "CRM <no-reply@example.com>"
    reset_url: str = "http://127.0.0.1:4000/reset-password?token="
    reset_minutes: int = 30
    # the organisation's policy: administrators must sign in with a second factor
    require_admin_totp: bool = False
    # encrypts TOTP secrets at rest (Fernet, key derived with HKDF); empty: derived from the passphrase
    totp_encryption_key: Annotated[str, Secret(min_length=16, required=False)] = ""
