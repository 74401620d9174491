"""Dead letters for administrators: what consumers could never apply, and replaying it after a fix."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from crm_shared.config import PlatformSettings
from crm_shared.errors import DomainError
from crm_shared.graphql import Connection, Info
from identity.deadletters import service as dead_letters
from identity.deadletters.service import Listed
from identity.graphql.types import User, user_view


@strawberry.type(description="An event a consumer could never apply, kept on `<topic>.dlq`.")
class DeadLetter:
    event_id: str | None = strawberry.field(description="Null when the record was not an event at all.")
    type: str | None
    topic: str = strawberry.field(description="Where the event was published, and where a replay sends it.")
    consumer_group: str = strawberry.field(description="The service that could not apply it.")
    error: str = strawberry.field(description="What went wrong, without the event's values.")
    attempts: int
    time: dt.datetime | None = strawberry.field(description="When the event happened.")
    subject: str | None = strawberry.field(description="The aggregate it concerns.")
    dead_lettered_at: dt.datetime
    replayed_at: dt.datetime | None = strawberry.field(description="The latest replay; null: not replayed yet.")
    replayed_by_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, listed: Listed) -> DeadLetter:
        d, replay = listed.letter, listed.replay
        return cls(
            event_id=d.event_id,
            type=d.type,
            topic=d.topic,
            consumer_group=d.consumer,
            error=d.error,
            attempts=d.attempts,
            time=d.time,
            subject=d.subject,
            dead_lettered_at=d.dead_lettered_at,
            replayed_at=replay.replayed_at if replay else None,
            replayed_by_id=replay.replayed_by if replay else None,
        )

    @strawberry.field(description="Who replayed it last.")
    async def replayed_by(self, info: Info) -> User | None:
        if self.replayed_by_id is None:
            return None
        try:
            return await user_view(info, self.replayed_by_id)
        except DomainError:  # a service account or a since-removed user
            return None


def _platform(info: Info) -> PlatformSettings:
    platform: PlatformSettings = info.context.state.platform
    return platform


@strawberry.type
class DeadLetterQuery:
    @strawberry.field(description="Dead letters of one topic, or of every topic of the suite, oldest first.")
    async def dead_letters(
        self, info: Info, topic: str | None = None, first: int = 50, after: str | None = None
    ) -> Connection[DeadLetter]:
        async with info.context.uow() as uow:
            found = await dead_letters.page(uow, info.context.principal, _platform(info), topic, first, after)
        return Connection.of(found, DeadLetter.of)


@strawberry.type
class DeadLetterMutation:
    @strawberry.mutation(
        description="Send dead letters back to their topic after a fix: those with `eventIds`, or every one of"
        " the topic not replayed yet. Answers how many events were sent."
    )
    async def replay_dead_letters(self, info: Info, topic: str, event_ids: list[str] | None = None) -> int:
        async with info.context.uow() as uow:
            return await dead_letters.replay(uow, info.context.principal, _platform(info), topic, event_ids)
