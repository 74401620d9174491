"""Dead letters for administrators: list what could not be applied, and replay it after a fix.

    python -m crm_shared.events.deadletters list [crm.customer.account]
    python -m crm_shared.events.deadletters replay crm.customer.account [--event-id ID]

Identity offers the same through GraphQL (`deadLetters`, `replayDeadLetters`) and records who replayed
what; this command line is for operators with access to the broker, and records nothing.

Replaying sends the event back to its original topic with its original key and headers. Consumers
apply it once: a dead-lettered event never reached their inbox, and a second replay is a repeat.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import ConsumerRecord

from crm_shared.config import PlatformSettings
from crm_shared.events import kafka
from crm_shared.service import topics as suite_topics

SUFFIX = ".dlq"


@dataclass(frozen=True)
class DeadLetter:
    """One record of `<topic>.dlq`: the event as it was sent, and why a consumer could not apply it."""

    dlq_topic: str
    partition: int
    offset: int
    dead_lettered_at: dt.datetime
    event_id: str | None  # None: the record was not an event at all
    type: str | None
    subject: str | None
    time: dt.datetime | None
    topic: str
    error: str
    attempts: int
    consumer: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    @classmethod
    def of(cls, record: ConsumerRecord) -> DeadLetter:
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        event = _decoded(record.value)
        return cls(
            dlq_topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            dead_lettered_at=dt.datetime.fromtimestamp(record.timestamp / 1000, dt.UTC),
            event_id=_text(event.get("id")),
            type=_text(event.get("type")),
            subject=_text(event.get("subject")),
            time=_time(event.get("time")),
            topic=headers.get("dlq.original_topic", record.topic.removesuffix(SUFFIX)),
            error=headers.get("dlq.error", ""),
            attempts=int(headers.get("dlq.attempts", "0")),
            consumer=headers.get("dlq.consumer_group", ""),
            key=record.key,
            value=record.value or b"",
            headers=[(k, v) for k, v in record.headers or () if not k.startswith("dlq.")],
        )

    @property
    def identity(self) -> str:
        """What one replay sends once: the event, or the record itself when it is not an event."""
        return self.event_id or f"{self.dlq_topic}:{self.partition}:{self.offset}"


def _decoded(value: bytes | None) -> dict[str, Any]:
    try:
        event = json.loads(value or b"")
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _time(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


async def dead_letters(platform: PlatformSettings, topics: Iterable[str]) -> list[DeadLetter]:
    """Everything the dead-letter topics of `topics` hold, oldest first."""
    records = await kafka.held(platform.kafka_bootstrap_servers, [f"{topic}{SUFFIX}" for topic in topics])
    letters = [DeadLetter.of(record) for record in records]
    return sorted(letters, key=lambda d: (d.dead_lettered_at, d.dlq_topic, d.partition, d.offset))


async def replay(platform: PlatformSettings, letters: Iterable[DeadLetter]) -> int:
    """Send each event among `letters` back to where it came from, once; how many were sent."""
    chosen = {letter.identity: letter for letter in letters}
    if not chosen:
        return 0
    producer = kafka.producer(platform)
    try:
        await producer.start()  # a broker out of reach fails the replay now, with nothing sent
        for letter in chosen.values():
            await producer.send_and_wait(letter.topic, value=letter.value, key=letter.key, headers=letter.headers)
    finally:
        await producer.stop()
    return len(chosen)


async def _main(command: str, topic: str | None, event_id: str | None) -> None:
    platform = PlatformSettings()
    letters = await dead_letters(platform, [topic] if topic else suite_topics())
    if command == "replay":
        sent = await replay(platform, [d for d in letters if event_id is None or d.event_id == event_id])
        print(f"replayed {sent} event(s) to their topics")
        return
    for d in letters:
        print(f"{d.event_id}  {d.topic:<24} {d.type or '?':<32} {d.consumer:<12} x{d.attempts}  {d.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("list", "replay"))
    parser.add_argument("topic", nargs="?", help="the original topic, e.g. crm.customer.account (list: all if none)")
    parser.add_argument("--event-id", help="replay only this event")
    args = parser.parse_args()
    if args.command == "replay" and not args.topic:
        parser.error("replay needs the topic")
    asyncio.run(_main(args.command, args.topic, args.event_id))


if __name__ == "__main__":
    main()
