"""The journeys' timers: people move on when their step is due, on time, each step exactly once.

A timer is an enrolment's `due_at`. The runner sleeps until the earliest one (woken sooner by
NOTIFY marketing_journeys when someone enters or an awaited event arrives, polling as a fallback),
claims the due enrolments in batches with `FOR UPDATE SKIP LOCKED` (replicas share the work, never the
row), and moves each as far as it goes now: through its steps until a wait or the end. Each step taken
is a `journey_step_runs` row keyed by enrolment and step number, written with the step's effect (a mail's
outbox row, a tag, a hand-over) and the enrolment's new position in one transaction: a crash or a
restart rolls a half-taken step back, and a committed one is never taken again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid

import asyncpg
from sqlalchemy import func, select, update
from sqlmodel import col

from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.db.engine import asyncpg_dsn
from marketing import events
from marketing.journeys import actions
from marketing.journeys.definition import MAX_STEPS, Definition, StepType, from_json
from marketing.journeys.models import Enrolment, EnrolmentState, Journey, JourneyVersion, StepRun
from marketing.journeys.service import CHANNEL
from marketing.journeys.transitions import Exit, Facts, Go, Wait, move
from marketing.sending.models import CampaignSend
from marketing.settings import MarketingSettings

log = logging.getLogger(__name__)
# steps a person may take without a delay: a journey that passes the checks reaches a delay or its end within
# MAX_STEPS, so more can only be a loop saved before the checks refused it, and the person leaves it
MAX_MOVES = 2 * MAX_STEPS
RETRY_SECONDS = 300  # an enrolment the runner failed to move is tried again this much later
ENGAGEMENT = ("opened", "clicked")


class JourneyRunner:
    def __init__(
        self,
        db: Database,
        batch: int = 500,
        poll_seconds: float = 5.0,
        domain: str = "crm.local",
        settings: MarketingSettings | None = None,
    ) -> None:
        self.db, self.batch, self.poll_seconds = db, batch, poll_seconds
        self.domain = domain  # of the sender's address: journey mails' Message-IDs end with it
        self.settings = settings or MarketingSettings()  # texts: their cap, default zone and provider
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._definitions: dict[uuid.UUID, tuple[int, Definition]] = {}  # versions never change
        self.moved = 0

    async def run(self) -> None:
        """Until cancelled: take what is due, then sleep until the next timer or a NOTIFY."""
        failures = 0
        try:
            while True:
                self._wake.clear()
                try:
                    while await self.run_once() == self.batch:
                        pass
                    sleep = await self._until_next()
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    failures += 1
                    log.warning("journey runner failed (attempt %s): %s", failures, exc)
                    sleep = min(30.0, 0.25 * 2**failures)
                await self._listen()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(sleep, self.poll_seconds))
        finally:
            if self._listener is not None:
                await self._listener.close()

    async def run_once(self) -> int:
        """One batch of due enrolments, in a transaction; returns how many were claimed."""
        async with self.db.unit_of_work() as uow:
            return await self.run_due(uow)

    async def run_due(self, uow: UnitOfWork) -> int:
        now = utcnow()
        due = list(
            (
                await uow.session.scalars(
                    select(Enrolment)
                    .where(
                        col(Enrolment.state).in_([EnrolmentState.ACTIVE, EnrolmentState.WAITING]),
                        col(Enrolment.due_at) <= now,
                    )
                    .order_by(col(Enrolment.due_at))
                    .limit(self.batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
        )
        if not due:
            return 0
        campaigns = dict(
            (
                await uow.session.execute(
                    select(col(Journey.id), col(Journey.campaign_id)).where(
                        col(Journey.id).in_({e.journey_id for e in due})
                    )
                )
            ).all()
        )
        batch = await self._move(uow, due, campaigns)
        await uow.flush()
        await batch.write(uow)
        self.moved += len(due)
        return len(due)

    async def _until_next(self) -> float:
        async with self.db.unit_of_work() as uow:
            earliest = await uow.session.scalar(
                select(func.min(col(Enrolment.due_at))).where(
                    col(Enrolment.state).in_([EnrolmentState.ACTIVE, EnrolmentState.WAITING])
                )
            )
        return self.poll_seconds if earliest is None else max(0.0, (earliest - utcnow()).total_seconds())

    async def _definition(self, uow: UnitOfWork, version_id: uuid.UUID) -> tuple[int, Definition]:
        if version_id not in self._definitions:
            version = await uow.session.get(JourneyVersion, version_id)
            assert version is not None
            self._definitions[version_id] = (version.version, from_json(version.definition))
        return self._definitions[version_id]

    async def _engagement(self, uow: UnitOfWork, enrolment: Enrolment) -> tuple[frozenset[str], frozenset[str]]:
        """The email steps whose mail this person opened, and clicked."""
        rows = await uow.session.execute(
            select(col(StepRun.step), col(CampaignSend.opened_at), col(CampaignSend.clicked_at))
            .join(CampaignSend, col(CampaignSend.id) == col(StepRun.send_id))
            .where(col(StepRun.enrolment_id) == enrolment.id)
        )
        found = rows.all()
        return frozenset(s for s, o, _ in found if o), frozenset(s for s, _, c in found if c)

    async def _move(
        self, uow: UnitOfWork, due: list[Enrolment], campaigns: dict[uuid.UUID, uuid.UUID]
    ) -> actions.Batch:
        """Everyone in one savepoint, cheaply; should anyone fail, each again in a savepoint of their own, so one
        enrolment the runner cannot move never holds up the rest of the batch."""
        people = [e.person_id for e in due if e.person_kind == "contact"]
        batch = await actions.Batch.of(uow, people)
        try:
            async with uow.savepoint():
                for enrolment in due:
                    await self._advance(uow, batch, enrolment, campaigns[enrolment.journey_id])
            return batch
        except Exception as exc:
            log.warning("journey runner: a batch of %s failed (%s); moving each alone", len(due), exc)
        for enrolment in due:
            await uow.session.refresh(enrolment)
        batch = await actions.Batch.of(uow, people)
        for enrolment in due:
            await self._isolated(uow, batch, enrolment, campaigns[enrolment.journey_id])
        return batch

    async def _isolated(self, uow: UnitOfWork, batch: actions.Batch, e: Enrolment, campaign_id: uuid.UUID) -> None:
        """Move one person in a savepoint: one that cannot be moved (a definition the runner cannot read) is
        logged and tried again later, and the rest of the batch goes on."""
        enrolment_id, kept_events, kept_tags = e.id, len(batch.events), dict(batch.tags)
        try:
            async with uow.savepoint():
                await self._advance(uow, batch, e, campaign_id)
        except Exception:
            log.exception("journey runner: enrolment %s failed, retrying in %s s", enrolment_id, RETRY_SECONDS)
            del batch.events[kept_events:]
            batch.tags = kept_tags
            retry = utcnow() + dt.timedelta(seconds=RETRY_SECONDS)
            await uow.session.execute(update(Enrolment).where(col(Enrolment.id) == enrolment_id).values(due_at=retry))

    async def _advance(self, uow: UnitOfWork, batch: actions.Batch, e: Enrolment, campaign_id: uuid.UUID) -> None:
        number, d = await self._definition(uow, e.version_id)
        due_at = e.due_at
        for _ in range(MAX_MOVES):
            step = d.step(e.step)
            now = utcnow()
            opened, clicked = frozenset[str](), frozenset[str]()
            if step.type is StepType.BRANCH and step.condition and step.condition.kind in ENGAGEMENT:
                opened, clicked = await self._engagement(uow, e)
            waiting = e.state is EnrolmentState.WAITING
            facts = Facts(now, waiting, e.event_seen, opened, clicked, e.data)
            going = move(step, facts)
            if isinstance(going, Wait):
                e.state, e.due_at, e.updated_at = EnrolmentState.WAITING, going.until, now
                return
            outcome, send_id = "done", None
            if step.type is StepType.BRANCH:
                outcome = "yes" if isinstance(going, Go) and going.next == step.yes else "no"
            elif step.type is StepType.WAIT:
                outcome = "event" if e.event_seen else "timeout" if step.wait_event else "done"
            elif step.type not in (StepType.GOAL, StepType.EXIT):
                outcome, send_id = await actions.perform(uow, batch, e, step, campaign_id, self.domain, self.settings)
            uow.session.add(
                StepRun(
                    enrolment_id=e.id, seq=e.seq, step=step.key, outcome=outcome, send_id=send_id, due_at=due_at, at=now
                )
            )
            base = {"id": e.id, "journey_id": e.journey_id, "version": number, "person_id": e.person_id}
            base |= {"person_kind": e.person_kind, "step": step.key, "at": now}
            batch.events.append(events.JourneyStepCompleted(**base, step_type=str(step.type), outcome=outcome))
            e.seq, e.event_seen, e.updated_at, due_at = e.seq + 1, False, now, None
            if isinstance(going, Go) and going.goal and e.goal_at is None:
                e.goal_at = now
            if isinstance(going, Exit) or going.next is None:
                self._end(batch, e, number, step.key, exited=isinstance(going, Exit))
                return
            e.step, e.state, e.due_at = going.next, EnrolmentState.ACTIVE, now
        log.warning("journey %s: enrolment %s took %s steps without a delay and leaves", e.journey_id, e.id, MAX_MOVES)
        self._end(batch, e, number, e.step, exited=True)

    @staticmethod
    def _end(batch: actions.Batch, e: Enrolment, number: int, step: str, exited: bool) -> None:
        now = utcnow()
        e.state = EnrolmentState.EXITED if exited else EnrolmentState.FINISHED
        e.due_at, e.ended_at, e.updated_at = None, now, now
        base = {"id": e.id, "journey_id": e.journey_id, "version": number, "person_id": e.person_id}
        ended = events.JourneyExited if exited else events.JourneyFinished
        batch.events.append(
            ended(**base, person_kind=e.person_kind, step=step, at=now, goal_reached=e.goal_at is not None)
        )

    async def _listen(self) -> None:
        """Keep a connection listening for NOTIFY; without one the runner polls."""
        if self._listener is not None and not self._listener.is_closed():
            return
        try:
            conn = await asyncpg.connect(asyncpg_dsn(self.db.url), timeout=5)
            await conn.add_listener(CHANNEL, lambda *_: self._wake.set())
            conn.add_termination_listener(lambda _: self._wake.set())
        except Exception as exc:
            log.warning("journey runner: LISTEN unavailable, polling: %s", exc)
            self._listener = None
            return
        self._listener = conn
        self._wake.set()  # what was committed while no one listened is looked at now
