"""Changing a password, and resetting a forgotten one by a single-use link sent by email."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlalchemy import select, update

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, NotFound, Unauthenticated
from identity.auth import mail
from identity.auth.lockout import clear_account
from identity.auth.models import PasswordReset, RefreshToken
from identity.auth.passwords import check_policy, hash_password, verify_password
from identity.auth.tokens import hash_secret, new_refresh_secret
from identity.settings import IdentitySettings
from identity.users.models import User
from identity.users.service import normalise_email

log = logging.getLogger(__name__)


async def revoke_sessions(uow: UnitOfWork, user_id: object) -> None:
    await uow.session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=utcnow())
    )


async def void_reset_links(uow: UnitOfWork, user_id: object) -> None:
    """Once the password changed, no reset link mailed before may change it again."""
    await uow.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=utcnow())
    )


class PasswordService:
    def __init__(self, db: Database, settings: IdentitySettings) -> None:
        self.db = db
        self.settings = settings
        self._mailing: set[asyncio.Task[None]] = set()

    async def change(self, principal: Principal, current: str, new: str) -> None:
        """Requires the current password; every session of the user must sign in again."""
        async with self.db.unit_of_work() as uow:
            user = await uow.session.get(User, principal.user_id, with_for_update=True)
            if user is None:
                raise NotFound(entity="User")
            if not await verify_password(user.password_hash, current):
                raise BadInput("wrong_password", field="currentPassword")
            check_policy(new, user.email, field="newPassword")
            user.password_hash, user.password_changed_at = await hash_password(new), utcnow()
            await revoke_sessions(uow, user.id)
            await void_reset_links(uow, user.id)
            await audit.record(uow, "auth.password_changed", "User", user.id, actor_id=user.id)

    async def request_reset(self, email: str) -> None:
        """Mail a reset link to an active user; the answer is the same whether the address exists or not."""
        try:
            address = normalise_email(email)
        except BadInput:
            return
        async with self.db.unit_of_work() as uow:
            user = await uow.session.scalar(select(User).where(User.email == address))
            if user is None or not user.is_active:
                return
            token, token_hash = new_refresh_secret()
            expires = utcnow() + dt.timedelta(minutes=self.settings.reset_minutes)
            uow.session.add(PasswordReset(user_id=user.id, token_hash=token_hash, expires_at=expires))
            await audit.record(uow, "auth.password_reset_requested", "User", user.id, actor_id=user.id)
        # sent in the background: waiting for the relay would tell by timing that the address exists
        task = asyncio.create_task(self._mail_link(address, token))
        self._mailing.add(task)
        task.add_done_callback(self._mailing.discard)

    async def _mail_link(self, address: str, token: str) -> None:
        subject, body = mail.reset_mail(self.settings.reset_url + token, self.settings.reset_minutes)
        try:
            await mail.send(self.settings, address, subject, body)
        except OSError:
            log.exception("could not send the password-reset mail")

    async def reset(self, token: str, new: str) -> None:
        """Single use; every session ends, and the account's failed sign-ins are forgotten."""
        async with self.db.unit_of_work() as uow:
            reset = await uow.session.scalar(
                select(PasswordReset).where(PasswordReset.token_hash == hash_secret(token)).with_for_update()
            )
            if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
                raise BadInput("invalid_reset_token", field="token")
            user = await uow.session.get(User, reset.user_id, with_for_update=True)
            if user is None or not user.is_active:
                raise Unauthenticated("invalid_reset_token")
            check_policy(new, user.email, field="newPassword")
            user.password_hash, user.password_changed_at = await hash_password(new), utcnow()
            await revoke_sessions(uow, user.id)
            await void_reset_links(uow, user.id)
            await clear_account(uow, user.email)
            await audit.record(uow, "auth.password_reset", "User", user.id, actor_id=user.id)
