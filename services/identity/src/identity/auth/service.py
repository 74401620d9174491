"""Signing in and staying signed in: login (with lockout and TOTP), refresh-token rotation, logout."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.config import PlatformSettings
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Unauthenticated
from identity.auth.apikeys import ServiceAccounts
from identity.auth.keys import KeyRing
from identity.auth.lockout import Lockout
from identity.auth.models import RefreshToken
from identity.auth.passwords import verify_password
from identity.auth.policy import SecuritySettings
from identity.auth.tokens import Subject, TokenPair, access_token, hash_secret, new_refresh_secret
from identity.auth.totp import TotpCipher, TotpFactor, TotpRequired
from identity.org.service import subtree_ids
from identity.roles.service import Grants, RoleService
from identity.settings import IdentitySettings
from identity.users.models import User
from identity.users.service import normalise_email


class AuthService:
    def __init__(
        self,
        db: Database,
        keys: KeyRing,
        roles: RoleService,
        settings: IdentitySettings,
        platform: PlatformSettings,
    ) -> None:
        self.db = db
        self.keys = keys
        self.roles = roles
        self.settings = settings
        self.platform = platform
        self.lockout = Lockout.of(db, settings)
        self.policy = SecuritySettings(db, settings)
        self.totp = TotpFactor(db, TotpCipher.of(settings))

    async def login(
        self, email: str, password: str, source: str = "unknown", totp_code: str | None = None
    ) -> TokenPair:
        """Tokens for valid credentials; one message for every failure, so it never says which was wrong."""
        if not password:
            raise BadInput("required_field", field="password")
        address = normalise_email(email)
        attempt = await self.lockout.begin(address, source)
        try:
            async with self.db.unit_of_work() as uow:
                user, valid = await self._check(uow, address, password, totp_code)
                if valid and user is not None:
                    await audit.record(uow, "auth.login", "User", user.id, actor_id=user.id, detail={"source": source})
                    pair = await self.issue(uow, user, family_id=uuid.uuid4())
        except TotpRequired:
            await self.lockout.release(attempt)
            raise
        if valid:
            await self.lockout.succeeded(attempt)
            return pair
        await audit.record_alone(
            self.db,
            "auth.login_failed",
            "User",
            user.id if user else None,
            actor_id=user.id if user else None,
            detail={"email": address, "source": source},
        )
        await self.lockout.failed(attempt)
        raise Unauthenticated("invalid_credentials")

    async def _check(
        self, uow: UnitOfWork, address: str, password: str, totp_code: str | None
    ) -> tuple[User | None, bool]:
        """The user the email names, and whether the password (and the TOTP code, once enabled) are right."""
        user = await uow.session.scalar(select(User).where(User.email == address))
        valid = await verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.is_active:
            return user, False
        if not user.totp_enabled:
            return user, True
        if not totp_code:
            raise TotpRequired(field="totpCode")
        return user, self.totp.cipher.verify(user.totp_secret_enc, totp_code)

    async def refresh(self, token: str) -> TokenPair:
        """Rotate a refresh token; presenting one that was already used revokes its whole family."""
        async with self.db.unit_of_work() as uow:
            stored = await uow.session.scalar(
                select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token)).with_for_update()
            )
            if stored is None:
                raise Unauthenticated("invalid_refresh_token")
            reused = stored.used_at is not None or stored.revoked_at is not None
            if reused:
                await self.revoke_family(uow, stored.family_id)
                await audit.record(uow, "auth.refresh_reuse", "User", stored.user_id, actor_id=stored.user_id)
            user = await uow.session.get(User, stored.user_id)
            if not reused and stored.expires_at > utcnow() and user is not None and user.is_active:
                stored.used_at = utcnow()
                return await self.issue(uow, user, family_id=stored.family_id)
        raise Unauthenticated("invalid_refresh_token")

    async def logout(self, token: str) -> bool:
        """Revoke the refresh token's whole family: no device of this session can refresh again."""
        async with self.db.unit_of_work() as uow:
            stored = await uow.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token)))
            if stored is None:
                return False
            await self.revoke_family(uow, stored.family_id)
            await audit.record(uow, "auth.logout", "User", stored.user_id, actor_id=stored.user_id)
        return True

    async def subject(self, uow: UnitOfWork, user: User) -> Subject:
        """Whom the token speaks for; an administrator the policy requires TOTP of gets only `identity:self:mfa`."""
        if "admin" in user.roles and not user.totp_enabled and await self.policy.admin_totp_required(uow.session):
            # an administrator without a second factor may only set one up
            return Subject(user.id, user.email, user.display_name, [], Grants(["identity:self:mfa"], {}), None, [])
        grants = await self.roles.grants_for(uow.session, user.roles)
        units = await subtree_ids(uow.session, user.org_unit_id) if user.org_unit_id else []
        return Subject(user.id, user.email, user.display_name, user.roles, grants, user.org_unit_id, units)

    async def issue(self, uow: UnitOfWork, user: User, family_id: uuid.UUID) -> TokenPair:
        token, token_hash = new_refresh_secret()
        uow.session.add(
            RefreshToken(
                user_id=user.id,
                family_id=family_id,
                token_hash=token_hash,
                expires_at=utcnow() + dt.timedelta(days=self.settings.refresh_token_days),
            )
        )
        lifetime = self.settings.access_token_seconds
        subject = await self.subject(uow, user)
        return TokenPair(await access_token(subject, self.keys, self.platform, lifetime), token, lifetime)

    async def revoke_family(self, uow: UnitOfWork, family_id: uuid.UUID) -> None:
        await uow.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr]
            .values(revoked_at=utcnow())
        )

    async def enroll_totp(self, principal: Principal) -> tuple[str, str]:
        return await self.totp.enroll(principal)

    async def set_totp(self, principal: Principal, code: str, enabled: bool) -> None:
        await self.totp.set_enabled(principal, code, enabled)

    async def api_key_token(self, secret: str, accounts: ServiceAccounts) -> TokenPair:
        """Client-credentials exchange: an access token for the key's service account (no refresh token)."""
        subject = await accounts.subject_for(secret)
        lifetime = self.settings.access_token_seconds
        return TokenPair(await access_token(subject, self.keys, self.platform, lifetime), "", lifetime)
