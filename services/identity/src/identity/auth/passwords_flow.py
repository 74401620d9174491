"""Changing a password, and resetting a forgotten one by a single-use link sent by email."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, NotFound, Unauthenticated
from identity.auth import mail
from identity.auth.lockout import clear_account
from identity.auth.models import PasswordReset
from identity.auth.passwords import check_policy, hash_password, verify_password
from identity.auth.sessions import revoke_sessions, void_reset_links
from identity.auth.throttle import Throttle
from identity.auth.tokens import hash_secret, new_refresh_secret
from identity.settings import IdentitySettings
from identity.transactions import after_commit
from identity.users.models import User
from identity.users.repository import Users
from identity.users.service import normalise_email


class Passwords:
    """Password changes and resets, with the reset link's lifetime and the mail relay from the settings."""

    def __init__(self, settings: IdentitySettings, throttle: Throttle) -> None:
        self.settings = settings
        self.throttle = throttle
        self.mailer = mail.Mailer(settings)

    async def change(self, uow: UnitOfWork, principal: Principal, current: str, new: str, source: str) -> None:
        """Requires the current password (tries are throttled); every session of the user must sign in again."""
        await self.throttle.count(uow, "password_change", str(principal.user_id), source)
        user = await uow.session.get(User, principal.user_id, with_for_update=True)
        if user is None:
            raise NotFound(entity="User")
        if not await verify_password(user.password_hash, current):
            raise BadInput("wrong_password", field="currentPassword")
        if new == current:  # no change at all: whoever knew the old password would still know it
            raise BadInput("password_unchanged", field="newPassword")
        check_policy(new, user.email, field="newPassword")
        await _set_password(uow, user, new)
        await audit.record(uow, "auth.password_changed", "User", user.id, actor_id=user.id)

    async def request_reset(self, uow: UnitOfWork, email: str, source: str) -> None:
        """Mail a reset link to an active user, voiding the links mailed before.

        Requests are throttled per address asked for from one source address and per source address
        (whether it exists or not, so the answer never tells); past a cap per address asked for, no mail
        goes. The answer is otherwise the same whether the address exists or not.
        """
        if not await self.throttle.count_reset(uow, email.strip().lower()[:320], source):
            return
        try:
            address = normalise_email(email)
        except BadInput:
            return
        user = await Users(uow).by_email(address)
        if user is None or not user.is_active:
            return
        await void_reset_links(uow, user.id)
        token, token_hash = new_refresh_secret()
        expires = utcnow() + dt.timedelta(minutes=self.settings.reset_minutes)
        uow.session.add(PasswordReset(user_id=user.id, token_hash=token_hash, expires_at=expires))
        await audit.record(uow, "auth.password_reset_requested", "User", user.id, actor_id=user.id)
        subject, body = mail.reset_mail(self.settings.reset_url + token, self.settings.reset_minutes)
        # sent in the background once the link exists: waiting for it would tell by timing that the address exists
        after_commit(uow, lambda: self.mailer.send_later(address, subject, body))

    async def reset(self, uow: UnitOfWork, token: str, new: str) -> None:
        """Single use; every session ends, and the account's failed sign-ins are forgotten."""
        query = select(PasswordReset).where(col(PasswordReset.token_hash) == hash_secret(token)).with_for_update()
        reset = await uow.session.scalar(query)
        if reset is None or not reset.usable(utcnow()):
            raise BadInput("invalid_reset_token", field="token")
        user = await uow.session.get(User, reset.user_id, with_for_update=True)
        if user is None or not user.is_active:
            raise Unauthenticated("invalid_reset_token")
        check_policy(new, user.email, field="newPassword")
        await _set_password(uow, user, new)
        await clear_account(uow, user.email)
        await audit.record(uow, "auth.password_reset", "User", user.id, actor_id=user.id)


async def _set_password(uow: UnitOfWork, user: User, new: str) -> None:
    """A new password ends every session and voids every reset link mailed before."""
    user.password_hash, user.password_changed_at = await hash_password(new), utcnow()
    await revoke_sessions(uow, user.id)
    await void_reset_links(uow, user.id)
