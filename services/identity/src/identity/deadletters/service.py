"""Every service's dead letters, for administrators: listed with their replays, replayed after a fix.

The letters live on the broker (`<topic>.dlq`, written by the consumers); identity records who
replayed which of them, so a replayed letter is shown as such instead of as a failure still open,
and audits each replay. Replaying everything of a topic sends only the letters not replayed yet;
naming event ids sends those again, whatever their past.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.config import PlatformSettings
from crm_shared.db import UnitOfWork
from crm_shared.db.pages import MAX_PAGE, Count, Page, check_page_size, decode_cursor, encode_cursor
from crm_shared.errors import BadInput
from crm_shared.events import deadletters
from crm_shared.events.deadletters import DeadLetter
from identity.deadletters.models import DeadLetterReplay
from identity.deadletters.repository import Replays, place
from identity.roles.catalogue import CATALOGUE

Key = tuple[int, str, int, int]
LIST = "deadLetters"  # what its cursors say they belong to


@dataclass(frozen=True)
class Listed:
    letter: DeadLetter
    replay: DeadLetterReplay | None


def suite_topics(topic: str | None) -> list[str]:
    """The one topic asked for, or every topic of the suite; BAD_USER_INPUT for any other name."""
    if topic is None:
        return list(CATALOGUE.topics)
    if topic not in CATALOGUE.topics:
        raise BadInput("unknown_topic", field="topic")
    return [topic]


def _key(letter: DeadLetter) -> Key:
    """Oldest first, as the broker's timestamps say; the place on the broker breaks ties."""
    return (round(letter.dead_lettered_at.timestamp() * 1000), *place(letter))


def _after(cursor: str) -> Key:
    values = decode_cursor(cursor, LIST, 4)
    if not all(isinstance(v, t) for v, t in zip(values, (int, str, int, int), strict=True)):
        raise BadInput("malformed_cursor", field="after")
    return (values[0], values[1], values[2], values[3])


async def page(
    uow: UnitOfWork, principal: Principal, platform: PlatformSettings, topic: str | None, first: int, after: str | None
) -> Page[Listed]:
    principal.require("identity:dead_letter:read")
    topics, start = suite_topics(topic), _after(after) if after else None
    check_page_size(first)
    letters = [(_key(d), d) for d in await deadletters.dead_letters(platform, topics)]
    past = [(key, d) for key, d in letters if start is None or key > start]
    shown = past[:first]
    replays = await Replays(uow, principal).of(d for _, d in shown)

    async def count() -> Count:
        return Count(len(letters))

    items = [Listed(d, replays.get(place(d))) for _, d in shown]
    return Page(items, [encode_cursor(LIST, key) for key, _ in shown], len(past) > first, count)


async def replay(
    uow: UnitOfWork, principal: Principal, platform: PlatformSettings, topic: str, event_ids: list[str] | None
) -> int:
    """Send the chosen letters back to their topic, mark them replayed and audit it; how many were sent."""
    principal.require("identity:dead_letter:replay")
    topics = suite_topics(topic)
    if event_ids is not None and len(event_ids) > MAX_PAGE:
        raise BadInput("too_many_items", field="eventIds", maximum=MAX_PAGE)
    letters = await deadletters.dead_letters(platform, topics)
    replays = Replays(uow, principal)
    if event_ids is None:
        done = await replays.of(letters)
        chosen = [d for d in letters if place(d) not in done]
    else:
        held = {d.event_id for d in letters}
        unknown = next((i for i in event_ids if i not in held), None)
        if unknown is not None:
            raise BadInput("unknown_dead_letter", field="eventIds", event_id=unknown[:64])
        chosen = [d for d in letters if d.event_id in set(event_ids)]
    await replays.record(chosen, principal.user_id)
    sent = await deadletters.replay(platform, chosen)
    if sent:
        ids = sorted({d.identity for d in chosen})
        await audit.record(uow, "dead_letters.replayed", "DeadLetter", topic, detail={"eventIds": ids, "sent": sent})
    return sent
