"""Journeys: drafts saved and checked, published as immutable versions, and people enrolled into them.

Editing a live journey changes its draft; publishing makes the draft the next version. New people enter
the latest version, and everyone inside keeps the version they entered until they finish it. Enrolling
is idempotent (one enrolment per journey and person), so a redelivered event enrols no one twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.snapshots import table_of
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import required_text
from marketing import events
from marketing.campaigns.repository import Campaigns
from marketing.journeys import definition as defs
from marketing.journeys.definition import Definition, StepType, TriggerType
from marketing.journeys.models import Enrolment, EnrolmentState, Journey, JourneyContent, JourneyStatus, JourneyVersion
from marketing.segments.models import Segment
from marketing.sms.models import SmsTemplate
from marketing.templates import render
from marketing.templates.models import EmailTemplate
from marketing.templates.service import parts

RESOURCE = "marketing:journey"
CHANNEL = "marketing_journeys"  # NOTIFY wakes the runner when a timer nearer than its sleep is set
_ENROLMENT = (
    "id", "journey_id", "version_id", "person_id", "person_kind", "step", "state", "due_at", "event_seen", "seq",
    "data", "entered_at", "updated_at",
)  # fmt: skip
# made once on the table (every event of an import may enrol its person): the ORM's insert path compiles anew
ENROL = (
    insert(table_of(Enrolment))
    .values({name: bindparam(name) for name in _ENROLMENT})
    .on_conflict_do_nothing(constraint="uq_journey_enrolments_person")
    .returning(col(Enrolment.id), col(Enrolment.person_id))
)


@dataclass(frozen=True)
class JourneyInput:
    name: str
    campaign_id: uuid.UUID
    definition: Definition


@dataclass(frozen=True)
class StepCount:
    version: int
    step: str
    active: int
    waiting: int


@dataclass(frozen=True)
class Progress:
    enrolled: int
    active: int
    waiting: int
    finished: int
    exited: int
    goal_reached: int
    steps: list[StepCount]
    position: Enrolment | None


async def _templates(uow: UnitOfWork, d: Definition) -> tuple[set[uuid.UUID], frozenset[uuid.UUID]]:
    """The email and the SMS templates the steps name that exist."""
    wanted = [s.template_id for s in d.steps if s.template_id is not None]
    if not wanted:
        return set(), frozenset()
    email = await uow.session.scalars(select(col(EmailTemplate.id)).where(col(EmailTemplate.id).in_(wanted)))
    sms = await uow.session.scalars(select(col(SmsTemplate.id)).where(col(SmsTemplate.id).in_(wanted)))
    return set(email.all()), frozenset(sms.all())


async def _trigger_names(uow: UnitOfWork, d: Definition, principal: Principal | None) -> None:
    """The trigger's segment exists, and so does its form's campaign (one the caller may see, when saving): a
    journey from neither would wait for people who never come."""
    if d.segment_id is not None and await uow.session.get(Segment, d.segment_id) is None:
        raise BadInput("journey_unknown_segment", field="trigger.segmentId")
    if d.campaign_id is not None:
        try:
            await Campaigns(uow, principal).get(d.campaign_id, "read")
        except NotFound:
            raise BadInput("journey_unknown_campaign", field="trigger.campaignId") from None


async def get(uow: UnitOfWork, principal: Principal, journey_id: uuid.UUID, action: str = "read") -> Journey:
    principal.require(f"{RESOURCE}:{action}")
    journey = await uow.session.get(Journey, journey_id, with_for_update=action != "read")
    if journey is None:
        raise NotFound(entity="Journey")
    return journey


async def listed(uow: UnitOfWork, principal: Principal) -> list[Journey]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(Journey).order_by(col(Journey.created_at).desc()))).all())


async def save(uow: UnitOfWork, principal: Principal, journey_id: uuid.UUID | None, data: JourneyInput) -> Journey:
    """A new draft, or a changed draft of an existing journey (live people are not moved by it)."""
    name = required_text(data.name, "name", 100)
    try:
        await Campaigns(uow, principal).get(data.campaign_id, "read")
    except NotFound:
        raise BadInput("journey_unknown_campaign", field="campaignId") from None
    defs.check(data.definition, *await _templates(uow, data.definition))
    await _trigger_names(uow, data.definition, principal)
    now = utcnow()
    if journey_id is None:
        principal.require(f"{RESOURCE}:create")
        journey = Journey(name=name, campaign_id=data.campaign_id, created_by=principal.user_id, created_at=now)
        uow.session.add(journey)
    else:
        journey = await get(uow, principal, journey_id, "update")
        journey.name, journey.campaign_id = name, data.campaign_id
    journey.draft, journey.updated_at = defs.to_json(data.definition), now
    await uow.flush()
    await audit.record(uow, "journey.saved", "Journey", journey.id, after={"name": name}, actor=principal)
    return journey


async def publish(uow: UnitOfWork, principal: Principal, journey_id: uuid.UUID) -> Journey:
    """The draft becomes the next version, with its email steps' templates copied as they are now; a draft
    whose version would be the live one again (its templates unchanged too) is refused."""
    journey = await get(uow, principal, journey_id, "publish")
    d = defs.from_json(journey.draft)
    defs.check(d, *await _templates(uow, d))  # a template or the trigger's segment may have gone since
    await _trigger_names(uow, d, None)
    contents = await _contents(uow, d)
    if await _unchanged(uow, journey, contents):
        raise Conflict("journey_unchanged")
    number = (journey.live_version or 0) + 1
    version = JourneyVersion(
        journey_id=journey.id, version=number, definition=journey.draft, published_by=principal.user_id
    )
    uow.session.add(version)
    await uow.flush()
    uow.session.add_all(JourneyContent(version_id=version.id, **content) for content in contents)
    journey.status, journey.live_version, journey.updated_at = JourneyStatus.LIVE, number, utcnow()
    await uow.flush()
    await audit.record(uow, "journey.published", "Journey", journey.id, detail={"version": number}, actor=principal)
    return journey


async def _contents(uow: UnitOfWork, d: Definition) -> list[dict[str, Any]]:
    """What a new version copies of its email steps' templates."""
    contents = []
    for step in d.steps:
        if step.type is StepType.EMAIL and step.template_id is not None:
            template = await uow.session.get(EmailTemplate, step.template_id)
            assert template is not None
            variant = parts(template, "zh-CN")
            contents.append(
                {
                    "step": step.key,
                    "subject": variant.subject,
                    "html": variant.html,
                    "text": variant.text,
                    "links": render.links(variant.html),
                }
            )
    return contents


async def _unchanged(uow: UnitOfWork, journey: Journey, contents: list[dict[str, Any]]) -> bool:
    """Whether the live version has this draft and these templates already."""
    live = await uow.session.scalar(
        select(JourneyVersion).where(
            col(JourneyVersion.journey_id) == journey.id, col(JourneyVersion.version) == journey.live_version
        )
    )
    if live is None or live.definition != journey.draft:
        return False
    copied = await uow.session.scalars(select(JourneyContent).where(col(JourneyContent.version_id) == live.id))
    kept = {c.step: {k: getattr(c, k) for k in ("step", "subject", "html", "text", "links")} for c in copied}
    return kept == {c["step"]: c for c in contents}


async def versions(uow: UnitOfWork, journey_id: uuid.UUID) -> list[JourneyVersion]:
    found = await uow.session.scalars(
        select(JourneyVersion).where(col(JourneyVersion.journey_id) == journey_id).order_by(col(JourneyVersion.version))
    )
    return list(found.all())


async def progress(
    uow: UnitOfWork, principal: Principal, journey_id: uuid.UUID, person_id: uuid.UUID | None = None
) -> Progress:
    """How many people are at each step of each version, and how many finished or left; one person's place."""
    await get(uow, principal, journey_id)
    counted = await uow.session.execute(
        select(col(JourneyVersion.version), col(Enrolment.step), col(Enrolment.state), func.count())
        .join(JourneyVersion, col(JourneyVersion.id) == col(Enrolment.version_id))
        .where(col(Enrolment.journey_id) == journey_id)
        .group_by(col(JourneyVersion.version), col(Enrolment.step), col(Enrolment.state))
        .order_by(col(JourneyVersion.version), col(Enrolment.step))
    )
    totals = dict.fromkeys(EnrolmentState, 0)
    at: dict[tuple[int, str], dict[EnrolmentState, int]] = {}
    for number, step, state, count in counted:
        totals[state] += count
        if state in (EnrolmentState.ACTIVE, EnrolmentState.WAITING):
            at.setdefault((number, step), dict.fromkeys(EnrolmentState, 0))[state] += count
    goals = await uow.session.scalar(
        select(func.count()).where(col(Enrolment.journey_id) == journey_id, col(Enrolment.goal_at).is_not(None))
    )
    position = None
    if person_id is not None:
        position = await uow.session.scalar(
            select(Enrolment).where(col(Enrolment.journey_id) == journey_id, col(Enrolment.person_id) == person_id)
        )
    steps = [StepCount(v, s, c[EnrolmentState.ACTIVE], c[EnrolmentState.WAITING]) for (v, s), c in at.items()]
    return Progress(
        enrolled=sum(totals.values()),
        active=totals[EnrolmentState.ACTIVE],
        waiting=totals[EnrolmentState.WAITING],
        finished=totals[EnrolmentState.FINISHED],
        exited=totals[EnrolmentState.EXITED],
        goal_reached=goals or 0,
        steps=steps,
        position=position,
    )


async def wake(uow: UnitOfWork) -> None:
    """Tell the runner (on commit) that a timer may be due sooner than it thinks."""
    await uow.session.execute(text(f"NOTIFY {CHANNEL}"))


async def _live(uow: UnitOfWork, trigger: TriggerType, **where: str) -> list[tuple[Journey, JourneyVersion]]:
    """Live journeys whose latest version starts from `trigger` (and matches `where` on the definition), read once
    for a batch of events applied together."""
    return await uow.read_once(
        ("live journeys", trigger, *sorted(where.items())), lambda: _read_live(uow, trigger, where)
    )


async def _read_live(
    uow: UnitOfWork, trigger: TriggerType, where: dict[str, str]
) -> list[tuple[Journey, JourneyVersion]]:
    query = (
        select(Journey, JourneyVersion)
        .join(
            JourneyVersion,
            (col(JourneyVersion.journey_id) == col(Journey.id))
            & (col(JourneyVersion.version) == col(Journey.live_version)),
        )
        .where(
            col(Journey.status) == JourneyStatus.LIVE,
            col(JourneyVersion.definition)["trigger_type"].astext == str(trigger),
        )
    )
    for key, value in where.items():
        query = query.where(col(JourneyVersion.definition)[key].astext == value)
    return list((await uow.session.execute(query)).all())


@dataclass(frozen=True)
class Entry:
    """A person entering a journey, with the event that brought them (branches test its fields), due at once or
    at `due_at`."""

    person: uuid.UUID
    data: dict[str, Any] = field(default_factory=dict)
    due_at: dt.datetime | None = None


async def enrol(uow: UnitOfWork, journey: Journey, version: JourneyVersion, entries: list[Entry]) -> int:
    """Enrol who is not in the journey yet (a person named twice enters once, as first named); returns how many
    entered."""
    d = defs.from_json(version.definition)
    now = utcnow()
    unique: dict[uuid.UUID, Entry] = {}
    for entry in entries:
        unique.setdefault(entry.person, entry)
    rows = [
        {
            "id": uuid.uuid4(),
            "journey_id": journey.id,
            "version_id": version.id,
            "person_id": entry.person,
            "person_kind": d.person,
            "step": d.entry,
            "state": EnrolmentState.ACTIVE,
            "due_at": entry.due_at or now,
            "event_seen": False,
            "seq": 0,
            "data": entry.data,
            "entered_at": now,
            "updated_at": now,
        }
        for entry in unique.values()
    ]
    if not rows:
        return 0
    entered = (await uow.session.execute(ENROL, rows)).all()
    await uow.publish_many(
        [
            events.JourneyEnrolled(
                id=eid,
                journey_id=journey.id,
                version=version.version,
                person_id=person,
                person_kind=d.person,
                step=d.entry,
                at=now,
                trigger=str(d.trigger_type),
            )
            for eid, person in entered
        ]
    )
    if entered:
        await wake(uow)
    return len(entered)


async def enter_from_segment(uow: UnitOfWork, segment_id: uuid.UUID, contact_ids: list[uuid.UUID]) -> int:
    """Contacts that just entered the segment enter the live journeys that start from it."""
    entered = 0
    for journey, version in await _live(uow, TriggerType.SEGMENT, segment_id=str(segment_id)):
        entered += await enrol(uow, journey, version, [Entry(contact) for contact in contact_ids])
    return entered


async def enter_from_events(uow: UnitOfWork, event_type: str, arrived: list[tuple[dict[str, Any], dt.datetime]]) -> int:
    """Trigger events of one type (a batch's, each its data and time) enrol their people into the live journeys that
    start from them and whose conditions hold, a statement a journey."""
    person_field = defs.EVENTS[event_type].person_field
    people = [(uuid.UUID(str(data[person_field])), data, at) for data, at in arrived]
    entered = 0
    for journey, version in await _live(uow, TriggerType.EVENT, event_type=event_type):
        d = defs.from_json(version.definition)
        entered += await enrol(
            uow, journey, version, [Entry(p, data) for p, data, _ in people if defs.matches(d, data)]
        )
    forms = [(p, data) for p, data, _ in people if event_type == "lead.created" and data.get("source") == "web_form"]
    if forms:
        for journey, version in await _live(uow, TriggerType.FORM):
            d = defs.from_json(version.definition)
            wanted = [
                Entry(p, data)
                for p, data in forms
                if (d.campaign_id is None or str(d.campaign_id) == data.get("campaignId")) and defs.matches(d, data)
            ]
            entered += await enrol(uow, journey, version, wanted)
    if event_type == "contact.created":
        for journey, version in await _live(uow, TriggerType.DATE):
            d = defs.from_json(version.definition)
            assert d.offset_days is not None
            offset = dt.timedelta(days=d.offset_days)
            dated = [Entry(p, data, at + offset) for p, data, at in people if defs.matches(d, data)]
            entered += await enrol(uow, journey, version, dated)
    return entered


async def event_arrived(uow: UnitOfWork, event_type: str, person_ids: list[uuid.UUID]) -> int:
    """People waiting at a step for this event about them (a batch's of one type at once) go on now; returns how
    many."""
    now = utcnow()
    waiting = (
        select(col(Enrolment.id))
        .join(JourneyVersion, col(JourneyVersion.id) == col(Enrolment.version_id))
        .where(
            col(Enrolment.person_id).in_(person_ids),
            col(Enrolment.state) == EnrolmentState.WAITING,
            col(Enrolment.event_seen).is_(False),
            func.jsonb_path_exists(
                col(JourneyVersion.definition),
                text("'$.steps[*] ? (@.key == $step && @.wait_event == $event)'::jsonpath"),
                func.jsonb_build_object("step", col(Enrolment.step), "event", event_type),
            ),
        )
    )
    moved = await uow.session.execute(
        update(Enrolment)
        .where(col(Enrolment.id).in_(waiting))
        .values(event_seen=True, due_at=now, updated_at=now)
        .returning(col(Enrolment.id))
    )
    count = len(moved.all())
    if count:
        await wake(uow)
    return count
