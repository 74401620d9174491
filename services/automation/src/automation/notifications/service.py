"""Notifying users, reading one's inbox, marking read and choosing channels; each caller only their own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlmodel import col

from automation import events
from automation.notifications.models import Kind, MailState, Notification, Preference
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput
from crm_shared.validate import optional_text, required_text

RESOURCE = "automation:notification"
# NOTIFY payload `<user id>:<notification id>`, for live streams: sent by the table's trigger for each row inserted
CHANNEL = "automation_notifications"


@dataclass(frozen=True)
class NewNotification:
    user_id: uuid.UUID
    kind: Kind
    title: str
    body: str = ""
    link: str | None = None
    run_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PreferenceInput:
    kind: str
    in_app: bool
    email: bool
    digest: bool


async def notify(uow: UnitOfWork, new: NewNotification) -> Notification:
    """Stored in the caller's transaction (a workflow step's ledger row goes with it), routed by preference. It is
    checked before anything is written: a refused one leaves nothing behind."""

    async def preference() -> Preference:
        found = await uow.session.get(Preference, (new.user_id, new.kind))
        return found or Preference(user_id=new.user_id, kind=new.kind)

    wanted = await uow.read_once(("notification_preference", new.user_id, new.kind), preference)
    row = Notification(
        user_id=new.user_id,
        kind=new.kind,
        title=required_text(new.title, "title", 200),
        body=optional_text(new.body, "body", 2000, multiline=True) or "",
        link=optional_text(new.link, "link", 500),
        in_app=wanted.in_app,
        mail_state=MailState.PENDING if wanted.email else MailState.NONE,
        in_digest=wanted.digest,
        run_id=new.run_id,
    )
    uow.session.add(row)
    await uow.publish(events.NotificationCreated(id=row.id, user_id=row.user_id, kind=row.kind, run_id=row.run_id))
    return row


def _mine(principal: Principal, unread: bool = False) -> list[object]:
    where: list[object] = [col(Notification.user_id) == principal.user_id, col(Notification.in_app).is_(True)]
    if unread:
        where.append(col(Notification.read_at).is_(None))
    return where


async def inbox(
    uow: UnitOfWork, principal: Principal, unread: bool, first: int, after: str | None
) -> Page[Notification]:
    principal.require(f"{RESOURCE}:read")
    query = select(Notification).where(*_mine(principal, unread))  # type: ignore[arg-type]
    return await page(
        uow, query, Order.by(col(Notification.created_at), col(Notification.id), descending=True), first, after
    )


async def unread_count(uow: UnitOfWork, principal: Principal) -> int:
    principal.require(f"{RESOURCE}:read")
    query = select(func.count()).select_from(Notification).where(*_mine(principal, unread=True))  # type: ignore[arg-type]
    return int(await uow.session.scalar(query) or 0)


async def mark_read(uow: UnitOfWork, principal: Principal, ids: list[uuid.UUID] | None) -> int:
    """The given notifications of the caller's, or all of them when no ids are given; returns how many changed."""
    principal.require(f"{RESOURCE}:update")
    query = update(Notification).where(*_mine(principal, unread=True))  # type: ignore[arg-type]
    if ids is not None:
        query = query.where(col(Notification.id).in_(ids))
    result = await uow.session.execute(query.values(read_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def preferences(uow: UnitOfWork, principal: Principal) -> list[Preference]:
    """One per kind: the stored choice or the default (in-app only)."""
    principal.require(f"{RESOURCE}:read")
    rows = (await uow.session.scalars(select(Preference).where(col(Preference.user_id) == principal.user_id))).all()
    stored = {row.kind: row for row in rows}
    return [stored.get(kind) or Preference(user_id=principal.user_id, kind=kind) for kind in Kind]


async def save_preferences(uow: UnitOfWork, principal: Principal, choices: list[PreferenceInput]) -> list[Preference]:
    """Each kind at most once: two choices for one would leave the last standing, as if the first were not given."""
    principal.require(f"{RESOURCE}:update")
    kinds: list[Kind] = []
    for position, choice in enumerate(choices):
        try:
            kind = Kind(choice.kind)
        except ValueError:
            raise BadInput(
                "notification_kind", field=f"input[{position}].kind", choices=", ".join(k.value for k in Kind)
            ) from None
        if kind in kinds:
            raise BadInput("notification_kind_twice", field=f"input[{position}].kind")
        kinds.append(kind)
    for kind, choice in zip(kinds, choices, strict=True):
        row = await uow.session.get(Preference, (principal.user_id, kind))
        if row is None:
            row = Preference(user_id=principal.user_id, kind=kind)
            uow.session.add(row)
        row.in_app, row.email, row.digest, row.updated_at = choice.in_app, choice.email, choice.digest, utcnow()
    await uow.flush()
    return await preferences(uow, principal)
