"""Identity refuses to start in production on the development secrets: no token can be forged with them."""

import pytest

from crm_shared.config import InsecureConfiguration, PlatformSettings
from identity.app import create_app
from identity.settings import IdentitySettings

VAULT = "from-the-vault-0123456789abcdef"
PRODUCTION = PlatformSettings(env="production", field_encryption_key=VAULT)


def refusal(**settings):
    with pytest.raises(InsecureConfiguration) as refused:
        create_app(IdentitySettings(**settings), PRODUCTION)
    return str(refused.value).removeprefix("CRM_ENV=production refuses to start: ")


def test_production_names_every_development_secret_of_identity():
    assert refusal() == (
        "IDENTITY_DATABASE_URL is the development default; IDENTITY_SIGNING_KEY_PASSPHRASE is the development default"
    )


def test_production_refuses_a_short_passphrase_or_totp_key():
    url = "postgresql+asyncpg://identity:real@identity-db/identity"
    assert refusal(database_url=url, signing_key_passphrase="short") == (
        "IDENTITY_SIGNING_KEY_PASSPHRASE is shorter than 16 characters"
    )
    assert refusal(database_url=url, signing_key_passphrase=VAULT, totp_encryption_key="short") == (
        "IDENTITY_TOTP_ENCRYPTION_KEY is shorter than 16 characters"
    )
    assert create_app(IdentitySettings(database_url=url, signing_key_passphrase=VAULT), PRODUCTION)
