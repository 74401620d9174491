"""Identity's domain operations: the only place that changes identity state."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from crm_shared.auth import Principal
from crm_shared.config import PlatformSettings
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound, Unauthenticated
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update

from identity import messages  # noqa: F401  (registers the catalogue)
from identity.events import USER_TOPIC, user_created
from identity.keys import KeyRing
from identity.models import RefreshToken, User
from identity.passwords import hash_password, verify_password
from identity.roles import BUILTIN_ROLES
from identity.settings import IdentitySettings
from identity.tokens import TokenPair, access_token, hash_refresh, new_refresh_secret

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    password: str
    roles: list[str]


def normalise_email(email: str, field: str = "email") -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise BadInput(field=field, reason=str(exc)) from exc


class IdentityService:
    def __init__(self, db: Database, keys: KeyRing, settings: IdentitySettings, platform: PlatformSettings):
        self.db = db
        self.keys = keys
        self.settings = settings
        self.platform = platform

    async def login(self, email: str, password: str) -> TokenPair:
        """Tokens for valid credentials; one message for every failure, so it never says which was wrong."""
        if not password:
            raise BadInput("required_field", field="password")
        address = normalise_email(email)
        async with self.db.unit_of_work() as uow:
            user = await uow.session.scalar(select(User).where(User.email == address))
            valid = await verify_password(user.password_hash if user else None, password)
            if user is None or not valid or not user.is_active:
                raise Unauthenticated("invalid_credentials")
            return await self._issue(uow, user, family_id=uuid.uuid4())

    async def refresh(self, token: str) -> TokenPair:
        """Rotate a refresh token; presenting one that was already used revokes its whole family."""
        async with self.db.unit_of_work() as uow:
            stored = await uow.session.scalar(
                select(RefreshToken).where(RefreshToken.token_hash == hash_refresh(token)).with_for_update()
            )
            if stored is None:
                raise Unauthenticated("invalid_refresh_token")
            if stored.used_at is not None or stored.revoked_at is not None:
                await self._revoke_family(uow, stored.family_id)
                reused = True
            else:
                reused = False
            user = await uow.session.get(User, stored.user_id)
            if not reused and stored.expires_at > utcnow() and user is not None and user.is_active:
                stored.used_at = utcnow()
                return await self._issue(uow, user, family_id=stored.family_id)
        raise Unauthenticated("invalid_refresh_token")

    async def me(self, principal: Principal) -> User:
        return await self.get_user(principal, principal.user_id)

    async def get_user(self, principal: Principal, user_id: uuid.UUID) -> User:
        if user_id != principal.user_id:
            principal.require("identity:user:read")
        async with self.db.read() as session:
            user = await session.get(User, user_id)
        if user is None:
            raise NotFound(entity="User")
        return user

    async def create_user(self, principal: Principal | None, data: NewUser) -> User:
        """Create a user; `principal` None is the system itself (installation and demo seeding)."""
        if principal is not None:
            principal.require("identity:user:create")
        email = normalise_email(data.email)
        name = data.display_name.strip()
        if not name or len(name) > 200:
            raise BadInput(field="displayName", reason="1-200 characters")
        if len(data.password) < MIN_PASSWORD_LENGTH:
            raise BadInput(field="password", reason=f"at least {MIN_PASSWORD_LENGTH} characters")
        for role in data.roles:
            if role not in BUILTIN_ROLES:
                raise BadInput("unknown_role", field="roles", role=role)
        password_hash = await hash_password(data.password)
        async with self.db.unit_of_work() as uow:
            if await uow.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
                raise Conflict("email_taken", field="email")
            user = User(
                email=email, display_name=name, password_hash=password_hash, roles=sorted(set(data.roles))
            )
            uow.session.add(user)
            await uow.flush()
            await uow.emit(USER_TOPIC, user_created(user))
        return user

    async def find_by_email(self, email: str) -> User | None:
        async with self.db.read() as session:
            return await session.scalar(select(User).where(User.email == normalise_email(email)))

    async def _issue(self, uow: UnitOfWork, user: User, family_id: uuid.UUID) -> TokenPair:
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
        return TokenPair(await access_token(user, self.keys, self.platform, lifetime), token, lifetime)

    async def _revoke_family(self, uow: UnitOfWork, family_id: uuid.UUID) -> None:
        await uow.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr]
            .values(revoked_at=utcnow())
        )
