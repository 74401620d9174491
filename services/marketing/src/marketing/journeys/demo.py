"""The demo's live journey: new contacts are invited to the webinar; three days later those who opened the
invitation become a task for their account's owner, the others are tagged and invited again a week on.
The demo contacts are inside already, some still waiting after the first invitation, some (who entered
earlier) waiting for the second."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import Database, utcnow
from marketing.journeys import service as journeys
from marketing.journeys.definition import Condition, ConditionKind, Definition, Step, StepType, TriggerType
from marketing.journeys.models import Enrolment, JourneyVersion
from marketing.journeys.runner import JourneyRunner

DAY = 86400


def definition(template_id: uuid.UUID) -> Definition:
    opened = Condition(ConditionKind.OPENED, step="welcome")
    return Definition(
        trigger_type=TriggerType.EVENT,
        event_type="contact.created",
        steps=(
            Step("welcome", StepType.EMAIL, next="pause", template_id=template_id),
            Step("pause", StepType.WAIT, next="opened", wait_seconds=3 * DAY),
            Step("opened", StepType.BRANCH, condition=opened, yes="call", no="dormant"),
            Step("call", StepType.TASK, next="engaged", title="跟进新品意向 Follow up", due_days=2),
            Step("engaged", StepType.GOAL),
            Step("dormant", StepType.ADD_TAG, next="later", tag="待唤醒 dormant"),
            Step("later", StepType.WAIT, next="reminder", wait_seconds=7 * DAY),
            Step("reminder", StepType.EMAIL, template_id=template_id),
        ),
    )


async def seed_journey(
    db: Database, marketer: Principal, campaign_id: uuid.UUID, template_id: uuid.UUID, contacts: list[uuid.UUID]
) -> None:
    async with db.unit_of_work() as uow:
        data = journeys.JourneyInput(
            "新客邀约 Webinar invitations for new contacts", campaign_id, definition(template_id)
        )
        journey = await journeys.save(uow, marketer, None, data)
        await journeys.publish(uow, marketer, journey.id)
        version = await uow.session.get(JourneyVersion, (await journeys.versions(uow, journey.id))[-1].id)
        assert version is not None
        await journeys.enrol(uow, journey, version, [journeys.Entry(c) for c in contacts])
    runner = JourneyRunner(db)
    await runner.run_once()  # everyone gets the welcome mail and waits
    earlier = contacts[: len(contacts) // 2]  # these entered three days ago: their wait is over
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            update(Enrolment)
            .where(col(Enrolment.journey_id) == journey.id, col(Enrolment.person_id).in_(earlier))
            .values(due_at=utcnow(), entered_at=utcnow() - dt.timedelta(days=3))
        )
    await runner.run_once()
