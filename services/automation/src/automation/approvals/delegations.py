"""Delegating one's approvals while away: to an active user who may read what one approves, one delegation at a
time, never back to someone who stands in for oneself meanwhile; ended early by its maker or an administrator."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, text
from sqlmodel import col

from automation.approvals.approvers import SUBJECT_RESOURCE, reads
from automation.approvals.models import Delegation
from crm_shared import audit
from crm_shared.auth.directory import DirectoryUser
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound

MAX_DAYS = 366
LEEWAY = dt.timedelta(minutes=5)  # a `from` of "now" from a client whose clock runs a little behind
ADMINISTERS = "automation:approval_chain:update"  # approvals' administrators end anyone's delegation


async def delegate(
    uow: UnitOfWork, principal: Principal, to: uuid.UUID, starts: dt.datetime | None, ends: dt.datetime
) -> Delegation:
    """From `starts` (now when None) until `ends`, `to` decides what waits on the caller (the caller still may)."""
    me, now = principal.user_id, utcnow()
    starts = starts or now
    if to == me:
        raise BadInput("approval_self_delegate", field="toUserId")
    user = await uow.session.get(DirectoryUser, to)
    if user is None or not user.is_active:
        raise BadInput("unassignable_user", field="toUserId")
    mine = [kind for kind, resource in SUBJECT_RESOURCE.items() if principal.can(f"{resource}:read")]
    if mine and not any(reads(user.permissions, kind) for kind in mine):
        raise BadInput("assignee_cannot_read", field="toUserId")
    if starts < now - LEEWAY:
        raise BadInput("approval_delegation_started", field="from")
    if ends <= starts:
        raise BadInput("approval_delegation_dates", field="until")
    if ends <= now:
        raise BadInput("approval_delegation_past", field="until")
    if ends - starts > dt.timedelta(days=MAX_DAYS):
        raise BadInput("approval_delegation_long", field="until", days=MAX_DAYS)
    for user_id in sorted({me, to}):  # both people's delegations stay as read until commit; in one order
        await uow.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"delegation:{user_id}"}
        )
    if (same := await _overlapping(uow, me, None, starts, ends)) is not None:
        raise Conflict("approval_delegation_overlaps", starts=_shown(same.starts_at), ends=_shown(same.ends_at))
    if await _overlapping(uow, to, me, starts, ends) is not None:
        raise BadInput("approval_delegation_cycle", field="toUserId")
    row = Delegation(user_id=me, delegate_id=to, starts_at=starts, ends_at=ends)
    uow.session.add(row)
    await uow.flush()
    after = {"delegateId": str(to), "from": starts.isoformat(), "until": ends.isoformat()}
    await audit.record(uow, "approval.delegated", "Delegation", row.id, None, after, actor=principal)
    return row


async def _overlapping(
    uow: UnitOfWork, user: uuid.UUID, to: uuid.UUID | None, starts: dt.datetime, ends: dt.datetime
) -> Delegation | None:
    """The user's delegation (to `to`, when given) whose time overlaps the one from `starts` until `ends`."""
    query = select(Delegation).where(
        col(Delegation.user_id) == user, col(Delegation.starts_at) < ends, col(Delegation.ends_at) > starts
    )
    if to is not None:
        query = query.where(col(Delegation.delegate_id) == to)
    return await uow.session.scalar(query.order_by(col(Delegation.starts_at)).limit(1))


def _shown(at: dt.datetime) -> str:
    return f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


async def end(uow: UnitOfWork, principal: Principal, delegation_id: uuid.UUID) -> Delegation:
    """The caller's delegation (anyone's, for an administrator) ends now; one not yet begun never will."""
    row = await uow.session.get(Delegation, delegation_id, with_for_update=True)
    if row is None or (row.user_id != principal.user_id and not principal.can(ADMINISTERS)):
        raise NotFound(entity="ApprovalDelegation")
    now = utcnow()
    if row.ends_at <= now:
        raise Conflict("approval_delegation_over")
    before = {"from": row.starts_at.isoformat(), "until": row.ends_at.isoformat()}
    row.starts_at, row.ends_at = min(row.starts_at, now), now
    after = {"from": row.starts_at.isoformat(), "until": now.isoformat()}
    await audit.record(uow, "approval.delegation_ended", "Delegation", row.id, before, after, actor=principal)
    await uow.flush()
    return row


async def mine(uow: UnitOfWork, principal: Principal) -> list[Delegation]:
    """The caller's delegations not yet over."""
    rows = await uow.session.scalars(
        select(Delegation)
        .where(col(Delegation.user_id) == principal.user_id, col(Delegation.ends_at) > utcnow())
        .order_by(col(Delegation.starts_at))
    )
    return list(rows.all())


async def delegates_of(uow: UnitOfWork, users: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Who stands in now for each of `users` who is away."""
    now = utcnow()
    rows = await uow.session.scalars(
        select(Delegation).where(
            col(Delegation.user_id).in_(users), col(Delegation.starts_at) <= now, col(Delegation.ends_at) > now
        )
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for d in rows.all():
        found.setdefault(d.user_id, []).append(d.delegate_id)
    return found


async def standing_in_for(uow: UnitOfWork, me: uuid.UUID) -> list[uuid.UUID]:
    """Those away for whom the user stands in now."""
    now = utcnow()
    rows = await uow.session.scalars(
        select(col(Delegation.user_id)).where(
            col(Delegation.delegate_id) == me, col(Delegation.starts_at) <= now, col(Delegation.ends_at) > now
        )
    )
    return list(rows.all())
