"""Keeping segment members current: only the contacts an event changed are evaluated again, never all.

`refresh` copies a contact's (or an account's contacts') current facts onto their profiles and
returns the rows; `reevaluate` runs each dynamic segment's predicate over those rows and writes the
difference. Saving a segment (`evaluate`) is one set-based statement over every profile instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, delete, exists, literal, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.db import UnitOfWork, utcnow
from marketing.segments import rules
from marketing.segments.models import Profile, Segment, SegmentMember

DYNAMIC, STATIC = "dynamic", "static"
ACCOUNT_FACTS = (
    "level",
    "industry",
    "province",
    "lifecycle_stage",
    "tags",
    "custom",
    "open_opportunity",
    "last_order_at",
    "lost_to",
)
REFRESH = f"""
INSERT INTO segment_profiles AS p (contact_id, account_id, active, {", ".join(ACCOUNT_FACTS)})
SELECT c.id, c.account_id, NOT c.deleted AND NOT coalesce(a.deleted, false),
       a.level, a.industry, a.province, a.lifecycle_stage, coalesce(a.tags, '{{}}'), coalesce(a.custom, '{{}}'),
       coalesce(a.open_opportunity, false), a.last_order_at, coalesce(a.lost_to, '{{}}')
FROM audience_contacts c LEFT JOIN segment_accounts a ON a.id = c.account_id
WHERE {{where}}
ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, active = excluded.active,
    {", ".join(f"{f} = excluded.{f}" for f in ACCOUNT_FACTS)}
RETURNING p.*
"""
_compiled: dict[uuid.UUID, tuple[dt.datetime, rules.Predicate]] = {}
DYNAMIC_VERSIONS = select(col(Segment.id), col(Segment.updated_at)).where(col(Segment.kind) == DYNAMIC)


async def refresh(
    uow: UnitOfWork, contact_ids: list[uuid.UUID] | None = None, account_ids: list[uuid.UUID] | None = None
) -> list[dict[str, Any]]:
    """The profiles of these contacts (or of the accounts'), brought up to date from the projections."""
    if contact_ids:
        statement = text(REFRESH.replace("{where}", "c.id = ANY(:ids)")).bindparams(ids=contact_ids)
    elif account_ids:
        statement = text(REFRESH.replace("{where}", "c.account_id = ANY(:ids)")).bindparams(ids=account_ids)
    else:
        return []
    result = await uow.session.execute(statement)
    return [dict(row) for row in result.mappings().all()]


async def changed(
    uow: UnitOfWork, contact_ids: list[uuid.UUID] | None = None, account_ids: list[uuid.UUID] | None = None
) -> None:
    """After contacts' or accounts' facts changed (a batch of events' at once): their profiles, then their
    memberships."""
    await reevaluate(uow, await refresh(uow, contact_ids, account_ids))


async def dynamic_predicates(uow: UnitOfWork) -> dict[uuid.UUID, rules.Predicate]:
    """Every dynamic segment's predicate, compiled once per version of its rules: each event (or batch of events
    applied together) reads the segments' versions, and the rules only of a segment new or changed since (a
    marketing team keeps hundreds)."""
    return await uow.read_once("dynamic segments", lambda: _predicates(uow))


async def _predicates(uow: UnitOfWork) -> dict[uuid.UUID, rules.Predicate]:
    versions = dict((await uow.session.execute(DYNAMIC_VERSIONS)).all())
    stale = [segment_id for segment_id, at in versions.items() if _compiled.get(segment_id, (None,))[0] != at]
    if stale:
        changed = await uow.session.execute(
            select(col(Segment.id), col(Segment.updated_at), col(Segment.rules)).where(col(Segment.id).in_(stale))
        )
        for segment_id, at, group in changed:
            _compiled[segment_id] = (at, rules.predicate(rules.Group.model_validate(group)))
    return {segment_id: _compiled[segment_id][1] for segment_id in versions if segment_id in _compiled}


async def reevaluate(uow: UnitOfWork, profiles: list[dict[str, Any]]) -> None:
    """Each dynamic segment's verdict on these profiles, written as membership changes; an inactive contact
    (deleted, or its account deleted) also leaves the static lists."""
    from marketing.segments.service import record_membership_changes

    if not profiles:
        return
    ids = [p["contact_id"] for p in profiles]
    now = utcnow()
    predicates = await dynamic_predicates(uow)
    current: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    rows = await uow.session.execute(
        select(col(SegmentMember.segment_id), col(SegmentMember.contact_id)).where(
            col(SegmentMember.contact_id).in_(ids)
        )
    )
    for segment_id, contact_id in rows:
        current[segment_id].add(contact_id)
    inactive = {p["contact_id"] for p in profiles if not p["active"]}
    changes: dict[uuid.UUID, tuple[set[uuid.UUID], set[uuid.UUID]]] = {}
    for segment_id, test in predicates.items():
        should = {p["contact_id"] for p in profiles if p["active"] and test(p, now)}
        changes[segment_id] = (should - current[segment_id], current[segment_id] - should)
    for segment_id, members in current.items():
        if segment_id not in changes and members & inactive:
            changes[segment_id] = (set(), members & inactive)
    for segment_id, (added, removed) in changes.items():
        if added or removed:
            await write(uow, segment_id, sorted(added), sorted(removed), now)
            await record_membership_changes(uow, segment_id, sorted(added), sorted(removed))


async def write(
    uow: UnitOfWork, segment_id: uuid.UUID, added: list[uuid.UUID], removed: list[uuid.UUID], now: dt.datetime
) -> None:
    if added:
        rows = [{"segment_id": segment_id, "contact_id": c, "added_at": now} for c in added]
        await uow.session.execute(insert(SegmentMember).values(rows).on_conflict_do_nothing())
    if removed:
        await uow.session.execute(
            delete(SegmentMember).where(
                col(SegmentMember.segment_id) == segment_id, col(SegmentMember.contact_id).in_(removed)
            )
        )


async def evaluate(uow: UnitOfWork, segment: Segment) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """A dynamic segment's whole membership in one statement: (contacts added, contacts removed)."""
    group = rules.Group.model_validate(segment.rules)
    now = utcnow()
    target = select(col(Profile.contact_id)).where(col(Profile.active), rules.where(group, now)).cte("target")
    gone = (
        delete(SegmentMember)
        .where(
            col(SegmentMember.segment_id) == segment.id,
            ~exists().where(target.c.contact_id == col(SegmentMember.contact_id)),
        )
        .returning(col(SegmentMember.contact_id))
        .cte("gone")
    )
    new = (
        insert(SegmentMember)
        .from_select(
            ["segment_id", "contact_id", "added_at"], select(literal(segment.id), target.c.contact_id, literal(now))
        )
        .on_conflict_do_nothing()
        .returning(col(SegmentMember.contact_id))
        .cte("new")
    )
    statement = select(literal(True).label("added"), new.c.contact_id).union_all(
        select(literal(False), gone.c.contact_id)
    )
    result = await uow.session.execute(statement)
    added: list[uuid.UUID] = []
    removed: list[uuid.UUID] = []
    for is_added, contact_id in result:
        (added if is_added else removed).append(contact_id)
    return sorted(added), sorted(removed)


async def expire_windows(uow: UnitOfWork, segment: Segment, until: dt.datetime) -> int:
    """Contacts whose relative-time condition changed verdict since the segment was last checked (a last
    order now 31 days old leaves "ordered within 30 days"): only they are evaluated again."""
    since = segment.checked_at
    ids: set[uuid.UUID] = set()
    for subject, days in rules.windows(rules.Group.model_validate(segment.rules)):
        column = col(getattr(Profile, subject.value))
        span = dt.timedelta(days=days)
        found = await uow.session.scalars(
            select(col(Profile.contact_id)).where(and_(column >= since - span, column < until - span))
        )
        ids.update(found.all())
    segment.checked_at = until
    if ids:
        rows = await uow.session.execute(select(Profile).where(col(Profile.contact_id).in_(sorted(ids))))
        await reevaluate(uow, [row.model_dump() for row in rows.scalars().all()])
    return len(ids)
