"""Each connector input once, by its own key: a replayed one changes nothing, a failed one is tried again
when it comes again; the same rows are the connectors' figures.

The boundary (a REST route, an event handler) runs the input's work in one unit of work with its ledger
row; when the work fails, that unit rolls back and the failure is written in a unit of its own, so it is
counted and shown while nothing half-done stays behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from automation.connectors.models import Connector, ConnectorInput, Outcome
from automation.workflows.remote import StepFailed
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import DomainError

Work = Callable[[UnitOfWork], Awaitable[Outcome]]
RELAYED = {"BAD_USER_INPUT": 422, "NOT_FOUND": 404, "CONFLICT": 409}


class Unreachable(ConnectionError):
    """The owning service is out of reach for now: the sender is answered SERVICE_UNAVAILABLE and tries again."""


class Refused(DomainError):
    """What the owning service refused, relayed with its code, field and message (in the sender's language)."""

    key = "connector_refused"

    def __init__(self, failed: StepFailed) -> None:
        extensions = failed.extensions
        self.code = str(extensions.get("code") or "BAD_USER_INPUT")
        self.status = RELAYED.get(self.code, 422)
        self.said = str(extensions.get("message") or failed)
        super().__init__(field=extensions.get("field"), said=self.said)

    def message(self, locale: str | None = None) -> str:
        return self.said


@dataclass(frozen=True)
class Taken:
    outcome: Outcome
    duplicate: bool  # taken before: nothing was done this time


async def note(
    uow: UnitOfWork, connector: Connector, key: str, kind: str, outcome: Outcome, error: str | None = None
) -> None:
    now = utcnow()
    row = {"connector": connector, "key": key, "kind": kind, "outcome": outcome, "error": error}
    statement = insert(ConnectorInput).values(**row, received_at=now, updated_at=now)
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["connector", "key"],
            set_={
                "outcome": outcome,
                "error": error,
                "attempts": ConnectorInput.attempts + 1,  # type: ignore[operator]
                "updated_at": now,
            },
        )
    )


async def take(db: Database, connector: Connector, key: str, kind: str, work: Work) -> Taken:
    """Run `work` once for this input; a transient failure answers SERVICE_UNAVAILABLE (the sender tries again)."""
    try:
        async with db.unit_of_work() as uow:
            seen = await uow.session.scalar(
                select(ConnectorInput)
                .where(col(ConnectorInput.connector) == connector, col(ConnectorInput.key) == key)
                .with_for_update()
            )
            if seen is not None and seen.outcome != Outcome.FAILED:
                return Taken(seen.outcome, True)
            outcome = await work(uow)
            await note(uow, connector, key, kind, outcome, None)
            return Taken(outcome, False)
    except (StepFailed, DomainError) as exc:
        async with db.unit_of_work() as uow:
            await note(uow, connector, key, kind, Outcome.FAILED, str(exc)[:2000])
        if isinstance(exc, StepFailed):
            raise (Unreachable(str(exc)) if exc.retry else Refused(exc)) from exc
        raise


@dataclass(frozen=True)
class Figures:
    connector: Connector
    received: int
    applied: int
    unmatched: int
    failed: int


async def figures(uow: UnitOfWork) -> list[Figures]:
    """Per connector: inputs received (each once), applied, kept unmatched, failed now."""
    rows = await uow.session.execute(
        select(col(ConnectorInput.connector), col(ConnectorInput.outcome), func.count()).group_by(
            col(ConnectorInput.connector), col(ConnectorInput.outcome)
        )
    )
    counts = {(connector, outcome): n for connector, outcome, n in rows.all()}
    return [
        Figures(
            c,
            sum(counts.get((c, o), 0) for o in Outcome),
            counts.get((c, Outcome.APPLIED), 0),
            counts.get((c, Outcome.UNMATCHED), 0),
            counts.get((c, Outcome.FAILED), 0),
        )
        for c in Connector
    ]
