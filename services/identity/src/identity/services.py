"""What identity's service layer needs from the settings, wired once per process."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from identity.auth.keys import KeyRing
from identity.auth.passwords_flow import Passwords
from identity.auth.service import SignIn
from identity.auth.throttle import Throttle
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class Identity:
    settings: IdentitySettings
    keys: KeyRing
    signin: SignIn
    passwords: Passwords
    throttle: Throttle

    @classmethod
    def wire(cls, db: Database, settings: IdentitySettings, platform: PlatformSettings) -> Identity:
        keys = KeyRing(db, settings.signing_key_passphrase)
        throttle = Throttle.of(settings)
        return cls(settings, keys, SignIn(keys, settings, platform), Passwords(settings, throttle), throttle)
