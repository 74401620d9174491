"""Which dead letters were replayed: looked up and recorded by their place on the broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.db import utcnow
from crm_shared.events.deadletters import DeadLetter
from identity.deadletters.models import DeadLetterReplay
from identity.repository import Unscoped

Place = tuple[str, int, int]


def place(letter: DeadLetter) -> Place:
    return letter.dlq_topic, letter.partition, letter.offset


class Replays(Unscoped[DeadLetterReplay]):
    model = DeadLetterReplay
    resource = "identity:dead_letter"

    async def of(self, letters: Iterable[DeadLetter]) -> dict[Place, DeadLetterReplay]:
        """The replay of each letter that has one."""
        wanted = {place(d): d.identity for d in letters}
        topics = sorted({topic for topic, _, _ in wanted})
        rows = await self.session.scalars(select(DeadLetterReplay).where(col(DeadLetterReplay.dlq_topic).in_(topics)))
        found = {(r.dlq_topic, r.dlq_partition, r.dlq_offset): r for r in rows.all()}
        return {key: row for key, row in found.items() if wanted.get(key) == row.event_id}

    async def record(self, letters: Iterable[DeadLetter], by: uuid.UUID | None) -> None:
        """Mark the letters replayed now by `by` (a repeated replay moves the mark)."""
        now = utcnow()
        rows = [
            {
                "dlq_topic": d.dlq_topic,
                "dlq_partition": d.partition,
                "dlq_offset": d.offset,
                "event_id": d.identity,
                "replayed_at": now,
                "replayed_by": by,
            }
            for d in letters
        ]
        if not rows:
            return
        statement = insert(DeadLetterReplay).values(rows)
        excluded = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["dlq_topic", "dlq_partition", "dlq_offset"],
                set_={"event_id": excluded.event_id, "replayed_at": now, "replayed_by": by},
            )
        )
