"""Segment operations: save (rules or a static list), delete, preview a rule's live count, read members, and
add a segment's members to a campaign. Membership changes leave through `record_membership_changes`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import scope_filter
from crm_shared.auth.principal import DataScope, Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Count, Order, Page, page
from crm_shared.db.repository import Repository, contains_text
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import items, note, required_text
from marketing import events
from marketing.audience import ContactRef, require_contact
from marketing.journeys.models import Journey, JourneyVersion
from marketing.segments import counts, membership, rules
from marketing.segments.membership import DYNAMIC
from marketing.segments.models import Profile, Segment, SegmentMember

RESOURCE = "marketing:segment"
EVENT_CHUNK = 1000  # contact ids per membership event
MAX_LISTED = 1000  # contacts added to or removed from a static list per call
SAMPLES = 5


class Segments(Repository[Segment]):
    model = Segment
    resource = RESOURCE

    async def find(self, search: str | None, first: int, after: str | None) -> Page[Segment]:
        clauses = [contains_text(search, col(Segment.name))] if search and search.strip() else []
        query = await self.select(*clauses)
        return await self.page(query, Order.by(col(Segment.updated_at), col(Segment.id), descending=True), first, after)


@dataclass(frozen=True)
class SegmentInput:
    name: str
    kind: str  # dynamic, static
    description: str | None = None
    rules: rules.Group | None = None
    add_contact_ids: list[uuid.UUID] = field(default_factory=list)
    remove_contact_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    count: Count
    samples: list[ContactRef]


async def record_membership_changes(
    uow: UnitOfWork, segment_id: uuid.UUID, added: list[uuid.UUID], removed: list[uuid.UUID]
) -> None:
    """The one way membership changes are announced, in parts of at most EVENT_CHUNK contacts."""
    for start in range(0, max(len(added), len(removed)), EVENT_CHUNK):
        await uow.publish(
            events.SegmentMembershipChanged(
                segment_id=segment_id,
                added=added[start : start + EVENT_CHUNK],
                removed=removed[start : start + EVENT_CHUNK],
            )
        )


async def save(uow: UnitOfWork, principal: Principal, segment_id: uuid.UUID | None, data: SegmentInput) -> Segment:
    """Create or change a segment; its membership is computed at once (dynamic) or edited (static)."""
    name = required_text(data.name, "name", 200)
    description = note(data.description, "description", 2000)
    if data.kind == DYNAMIC:
        if data.rules is None:
            raise BadInput("required_field", field="rules")
        if data.add_contact_ids or data.remove_contact_ids:
            raise BadInput("segment_static_only", field="addContactIds" if data.add_contact_ids else "removeContactIds")
        group = rules.checked(data.rules)
    elif data.rules is not None:
        raise BadInput("segment_dynamic_only", field="rules")
    now = utcnow()
    if segment_id is None:
        principal.require(f"{RESOURCE}:create")
        segment = Segment(name=name, kind=data.kind, owner_id=principal.user_id, created_at=now, checked_at=now)
        uow.session.add(segment)
    else:
        segment = await Segments(uow, principal).get(segment_id, "update", lock=True)
        if segment.kind != data.kind:
            raise BadInput("segment_kind_fixed", field="kind")
    segment.name, segment.description, segment.updated_at = name, description, now
    if data.kind == DYNAMIC:
        segment.rules, segment.checked_at = group.model_dump(mode="json"), now
        await uow.session.flush()
        added, removed = await membership.evaluate(uow, segment)
    else:
        await uow.session.flush()
        added, removed = await _edit_list(uow, principal, segment, data, now)
    await record_membership_changes(uow, segment.id, added, removed)
    detail = {"name": name, "kind": data.kind, "added": len(added), "removed": len(removed)}
    await audit.record(uow, "segment.saved", "Segment", segment.id, detail=detail, actor=principal)
    return segment


async def remove(uow: UnitOfWork, principal: Principal, segment_id: uuid.UUID) -> None:
    """Delete a segment and its members; refused while a journey starts from it (its draft or live version),
    which would otherwise wait for entries that never come."""
    segment = await Segments(uow, principal).get(segment_id, "delete", lock=True)
    if users := await journeys_using(uow, segment.id):
        raise Conflict("segment_in_use", journeys="、".join(users))
    removed = await uow.session.scalar(
        select(func.count()).select_from(SegmentMember).where(col(SegmentMember.segment_id) == segment.id)
    )
    await uow.session.execute(delete(SegmentMember).where(col(SegmentMember.segment_id) == segment.id))
    await uow.session.delete(segment)
    await uow.flush()
    await uow.publish(events.SegmentDeleted(segment_id=segment.id, name=segment.name, removed=int(removed or 0)))
    detail = {"name": segment.name, "removed": int(removed or 0)}
    await audit.record(uow, "segment.deleted", "Segment", segment.id, detail=detail, actor=principal)


async def journeys_using(uow: UnitOfWork, segment_id: uuid.UUID) -> list[str]:
    """The journeys whose draft or live version starts from the segment, by name."""
    live = (col(JourneyVersion.journey_id) == col(Journey.id)) & (
        col(JourneyVersion.version) == col(Journey.live_version)
    )
    names = await uow.session.scalars(
        select(col(Journey.name))
        .outerjoin(JourneyVersion, live)
        .where(
            or_(
                col(Journey.draft)["segment_id"].astext == str(segment_id),
                col(JourneyVersion.definition)["segment_id"].astext == str(segment_id),
            )
        )
        .order_by(col(Journey.name))
    )
    return list(names.all())


async def _edit_list(
    uow: UnitOfWork, principal: Principal, segment: Segment, data: SegmentInput, now: dt.datetime
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    adding = items(list(dict.fromkeys(data.add_contact_ids)), "addContactIds", MAX_LISTED)
    removing = items(list(dict.fromkeys(data.remove_contact_ids)), "removeContactIds", MAX_LISTED)
    for contact_id in adding:
        await require_contact(uow, principal, contact_id, "addContactIds")
    present = set(
        (
            await uow.session.scalars(
                select(col(SegmentMember.contact_id)).where(
                    col(SegmentMember.segment_id) == segment.id, col(SegmentMember.contact_id).in_(adding + removing)
                )
            )
        ).all()
    )
    added = sorted(c for c in adding if c not in present and c not in removing)
    removed = sorted(c for c in removing if c in present)
    await membership.write(uow, segment.id, added, removed, now)
    return added, removed


async def get(uow: UnitOfWork, principal: Principal, segment_id: uuid.UUID) -> Segment:
    return await Segments(uow, principal).get(segment_id)


async def find(
    uow: UnitOfWork, principal: Principal, search: str | None, first: int, after: str | None
) -> Page[Segment]:
    principal.require(f"{RESOURCE}:read")
    return await Segments(uow, principal).find(search, first, after)


async def visible_profiles(uow: UnitOfWork, principal: Principal) -> list[ColumnElement[bool]]:
    """Active contacts the caller may see as customers: their account's owner in scope, or in the pool."""
    clauses: list[ColumnElement[bool]] = [col(Profile.active).is_(True)]
    if principal.scope("customer:account") is not DataScope.ALL:
        owners = await scope_filter(uow.session, principal, "customer:account", col(AccountRef.owner_id))
        accounts = select(col(AccountRef.id)).where(or_(owners, col(AccountRef.in_pool)))
        clauses.append(col(Profile.account_id).in_(accounts))
    return clauses


async def preview(uow: UnitOfWork, principal: Principal, group: rules.Group) -> Preview:
    """How many contacts the rules select now (estimated on a large projection: see `counts`), and a few of them,
    without saving anything."""
    principal.require(f"{RESOURCE}:read")
    clause = rules.where(rules.checked(group), utcnow())
    visible = await visible_profiles(uow, principal)
    count = await counts.live_count(uow.session, [*visible, clause])
    samples = await uow.session.scalars(
        select(ContactRef)
        .join(Profile, col(Profile.contact_id) == col(ContactRef.id))
        .where(*visible, clause)
        .limit(SAMPLES)
    )
    return Preview(count, list(samples.all()))


async def member_counts(
    uow: UnitOfWork, principal: Principal, segment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each segment's members among the contacts the caller may see, counted in one statement."""
    segment = col(SegmentMember.segment_id)
    query = select(segment, func.count()).where(segment.in_(segment_ids)).group_by(segment)
    if principal.scope("customer:account") is not DataScope.ALL:
        query = query.join(Profile, col(Profile.contact_id) == col(SegmentMember.contact_id)).where(
            *await visible_profiles(uow, principal)
        )
    counted = {found: int(count) for found, count in (await uow.session.execute(query)).all()}
    return {i: counted.get(i, 0) for i in segment_ids}


async def members(
    uow: UnitOfWork, principal: Principal, segment: Segment, first: int, after: str | None
) -> Page[ContactRef]:
    """The member contacts the caller may see, by name."""
    query = (
        select(ContactRef)
        .join(SegmentMember, col(SegmentMember.contact_id) == col(ContactRef.id))
        .join(Profile, col(Profile.contact_id) == col(ContactRef.id))
        .where(col(SegmentMember.segment_id) == segment.id, *await visible_profiles(uow, principal))
    )
    return await page(uow, query, Order.by(col(ContactRef.name), col(ContactRef.id)), first, after)


async def expire_windows(uow: UnitOfWork) -> int:
    """Re-check the contacts whose relative-time conditions changed verdict as time passed."""
    now = utcnow()
    segments = await uow.session.scalars(
        select(Segment).where(col(Segment.kind) == DYNAMIC).with_for_update(skip_locked=True)
    )
    checked = 0
    for segment in segments.all():
        if rules.windows(rules.Group.model_validate(segment.rules)):
            checked += await membership.expire_windows(uow, segment, now)
    return checked
