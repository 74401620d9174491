"""Who a level's approvers are: users named, holders of a role, or the requester's managers up identity's
organisation tree; never the requester, owner or creator of the subject (four eyes), and only active users whose
roles let them read the subject's kind (an approval shows the subject's amount and discount, and decides it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from automation.approvals.models import UserRoles
from crm_contracts.automation import SubjectKind
from crm_contracts.identity import UserSnapshot
from crm_shared.auth.directory import DirectoryUser, may_read, unit_of
from crm_shared.db import UnitOfWork
from crm_shared.db.snapshots import keep_newer
from crm_shared.org import managers_above

if TYPE_CHECKING:  # chains checks its roles with `holders`
    from automation.approvals.chains import Approver

FALLBACK_ROLE = "admin"  # a level whose approvers are all missing or excluded goes to the administrators
# the permission (and data scope) that lets a user read a subject, and so see and decide its approval
SUBJECT_RESOURCE = {
    SubjectKind.QUOTE: "sales:quote",
    SubjectKind.CONTRACT: "sales:contract",
    SubjectKind.CAMPAIGN_BUDGET: "marketing:campaign",
}


def reads(permissions: list[str] | None, kind: SubjectKind) -> bool:
    """Whether a directory user's permissions let them read subjects of the kind."""
    return may_read(permissions, SUBJECT_RESOURCE[kind])


async def resolve(
    uow: UnitOfWork,
    kind: SubjectKind,
    specs: Sequence[Approver],
    requester: uuid.UUID | None,
    excluded: Iterable[uuid.UUID | None],
) -> list[uuid.UUID]:
    """The approvers the specs name now, each once, in the order named."""
    found: list[uuid.UUID] = []
    managers: list[uuid.UUID] | None = None
    for spec in specs:
        if spec.type == "user" and spec.user_id is not None:
            found.append(spec.user_id)
        elif spec.type == "role" and spec.role is not None:
            found.extend(await holders(uow, spec.role))
        elif spec.type == "manager" and spec.level is not None and requester is not None:
            if managers is None:
                managers = await managers_above(uow, await unit_of(uow, requester), skip=requester)
            if spec.level <= len(managers):
                found.append(managers[spec.level - 1])
    return await readers(uow, kind, found, excluded)


async def fallback(uow: UnitOfWork, kind: SubjectKind, excluded: Iterable[uuid.UUID | None]) -> list[uuid.UUID]:
    return await readers(uow, kind, await holders(uow, FALLBACK_ROLE), excluded)


async def holders(uow: UnitOfWork, role: str) -> list[uuid.UUID]:
    rows = await uow.session.scalars(
        select(col(UserRoles.user_id)).where(col(UserRoles.roles).contains([role])).order_by(col(UserRoles.user_id))
    )
    return list(rows.all())


async def readers(
    uow: UnitOfWork, kind: SubjectKind, users: list[uuid.UUID], excluded: Iterable[uuid.UUID | None] = ()
) -> list[uuid.UUID]:
    """The users, each once and in order, but those excluded, inactive, or whose roles do not let them read the
    subject's kind."""
    skip = set(excluded)
    unique = [u for i, u in enumerate(users) if u not in users[:i] and u not in skip]
    found = await standing(uow, unique)
    return [u for u in unique if u in found and reads(found[u], kind)]


async def standing(uow: UnitOfWork, users: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str] | None]:
    """The active ones of the users, with their permissions (None before identity sent them)."""
    wanted = set(users)
    if not wanted:
        return {}
    rows = await uow.session.execute(
        select(col(DirectoryUser.user_id), col(DirectoryUser.permissions)).where(
            col(DirectoryUser.user_id).in_(wanted), col(DirectoryUser.is_active).is_(True)
        )
    )
    return {user: permissions for user, permissions in rows.all()}


async def project_roles(uow: UnitOfWork, user: UserSnapshot) -> None:
    """The user's roles from any user event (each carries the whole snapshot); a late older one changes nothing."""
    await keep_newer(uow, UserRoles, {"user_id": user.id, "roles": list(user.roles), "updated_at": user.time})
