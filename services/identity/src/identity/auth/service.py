"""Signing in and staying signed in: login (with lockout and TOTP), refresh-token rotation, logout."""

from __future__ import annotations

import datetime as dt
import uuid

from crm_shared import audit
from crm_shared.config import PlatformSettings
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Unauthenticated
from identity.auth import apikeys, sessions
from identity.auth.keys import KeyRing
from identity.auth.lockout import Lockout
from identity.auth.models import RefreshToken
from identity.auth.passwords import verify_password
from identity.auth.policy import SecuritySettings
from identity.auth.tokens import Subject, TokenPair, access_token, new_refresh_secret
from identity.auth.totp import TotpCipher, TotpRequired
from identity.org.repository import OrgUnits
from identity.roles.grants import Grants, grants_for
from identity.settings import IdentitySettings
from identity.transactions import apart
from identity.users.models import User
from identity.users.repository import Users
from identity.users.service import normalise_email


class SignIn:
    """Issues tokens with the key ring, token lifetimes, lockout limits and policy of the settings."""

    def __init__(self, keys: KeyRing, settings: IdentitySettings, platform: PlatformSettings) -> None:
        self.keys = keys
        self.settings = settings
        self.platform = platform
        self.lockout = Lockout.of(settings)
        self.policy = SecuritySettings(settings)
        self.cipher = TotpCipher.of(settings)

    async def login(
        self, uow: UnitOfWork, email: str, password: str, source: str = "unknown", totp_code: str | None = None
    ) -> TokenPair:
        """Tokens for valid credentials; one message for every failure, so it never says which was wrong."""
        if not password:
            raise BadInput("required_field", field="password")
        address = normalise_email(email)
        attempt = await self.lockout.begin(uow, address, source)
        try:
            user, valid = await self._check(uow, address, password, totp_code)
        except TotpRequired:
            await self.lockout.release(uow, attempt)
            raise
        if not valid or user is None:
            user_id = user.id if user else None
            detail = {"email": address, "source": source}
            async with apart(uow) as alone:  # recorded although the request fails
                await audit.record(alone, "auth.login_failed", "User", user_id, actor_id=user_id, detail=detail)
            await self.lockout.failed(uow, attempt)
            raise Unauthenticated("invalid_credentials")
        await audit.record(uow, "auth.login", "User", user.id, actor_id=user.id, detail={"source": source})
        pair = await self.issue(uow, user, family_id=uuid.uuid4())
        await self.lockout.succeeded(uow, attempt)
        return pair

    async def _check(
        self, uow: UnitOfWork, address: str, password: str, totp_code: str | None
    ) -> tuple[User | None, bool]:
        """The user the email names, and whether the password (and the TOTP code, once enabled) are right.

        The user is read apart and the password checked holding no connection: argon2id takes tens of
        milliseconds of a busy core, and a burst of sign-ins each holding a connection meanwhile would
        drain the pool, leaving every other request of the service waiting for one."""
        async with uow.db.unit_of_work() as lookup:
            user = await Users(lookup).by_email(address)
        valid = await verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.is_active:
            return user, False
        if not user.totp_enabled:
            return user, True
        if not totp_code:
            raise TotpRequired(field="totpCode")
        return user, self.cipher.verify(user.totp_secret_enc, totp_code)

    async def refresh(self, uow: UnitOfWork, token: str) -> TokenPair:
        """Rotate a refresh token; presenting one that was already used revokes its whole family."""
        stored = await sessions.by_secret(uow, token, lock=True)
        if stored is None:
            raise Unauthenticated("invalid_refresh_token")
        if stored.spent:
            await self._reused(uow, stored)
            raise Unauthenticated("invalid_refresh_token")
        user = await uow.session.get(User, stored.user_id)
        if stored.expires_at <= utcnow() or user is None or not user.is_active:
            raise Unauthenticated("invalid_refresh_token")
        stored.use(utcnow())
        return await self.issue(uow, user, family_id=stored.family_id)

    async def _reused(self, uow: UnitOfWork, stored: RefreshToken) -> None:
        """A stolen token: the family ends for good, although the request fails (the used one is spent already)."""
        async with apart(uow) as alone:
            await sessions.revoke_family(alone, stored.family_id, keep=stored.id)
            await audit.record(alone, "auth.refresh_reuse", "User", stored.user_id, actor_id=stored.user_id)

    async def logout(self, uow: UnitOfWork, token: str) -> bool:
        """Revoke the refresh token's whole family: no device of this session can refresh again."""
        stored = await sessions.by_secret(uow, token)
        if stored is None:
            return False
        await sessions.revoke_family(uow, stored.family_id)
        await audit.record(uow, "auth.logout", "User", stored.user_id, actor_id=stored.user_id)
        return True

    async def subject(self, uow: UnitOfWork, user: User) -> Subject:
        """Whom the token speaks for; an administrator the policy requires TOTP of gets only `identity:self:mfa`."""
        if "admin" in user.roles and not user.totp_enabled and await self.policy.admin_totp_required(uow):
            # an administrator without a second factor may only set one up
            mfa_only = Grants(["identity:self:mfa"], {})
            return Subject(user.id, user.email, user.display_name, [], mfa_only, None, [], user.authz_version)
        grants = await grants_for(uow, user.roles)
        units = await OrgUnits(uow).subtree_ids(user.org_unit_id) if user.org_unit_id else []
        return Subject(
            user.id, user.email, user.display_name, user.roles, grants, user.org_unit_id, units, user.authz_version
        )

    async def issue(self, uow: UnitOfWork, user: User, family_id: uuid.UUID) -> TokenPair:
        token, token_hash = new_refresh_secret()
        expires = utcnow() + dt.timedelta(days=self.settings.refresh_token_days)
        uow.session.add(RefreshToken(user_id=user.id, family_id=family_id, token_hash=token_hash, expires_at=expires))
        subject = await self.subject(uow, user)
        return await self._pair(subject, token)

    async def api_key_token(self, uow: UnitOfWork, secret: str) -> TokenPair:
        """Client-credentials exchange: an access token for the key's service account (no refresh token)."""
        return await self._pair(await apikeys.subject_for(uow, secret), "")

    async def _pair(self, subject: Subject, refresh_token: str) -> TokenPair:
        lifetime = self.settings.access_token_seconds
        return TokenPair(await access_token(subject, self.keys, self.platform, lifetime), refresh_token, lifetime)
