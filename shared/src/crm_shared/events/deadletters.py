"""Dead letters for administrators: list what could not be applied, and replay it after a fix.

    python -m crm_shared.events.deadletters list crm.customer.account
    python -m crm_shared.events.deadletters replay crm.customer.account [--event-id ID]

Replaying sends the event back to its original topic with its original key and headers. Consumers
apply it once: a dead-lettered event never reached their inbox, and a second replay is a repeat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import dataclass

from crm_shared.config import PlatformSettings
from crm_shared.events import kafka


@dataclass(frozen=True)
class DeadLetter:
    event_id: str
    type: str
    topic: str
    error: str
    attempts: int
    consumer: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]


async def dead_letters(platform: PlatformSettings, topic: str) -> list[DeadLetter]:
    """Everything `<topic>.dlq` holds, oldest first."""
    letters = []
    for record in await kafka.read_topic(platform.kafka_bootstrap_servers, f"{topic}.dlq", None, timeout=10):
        headers = dict(record.headers or ())
        event = json.loads(record.value or b"{}")
        letters.append(
            DeadLetter(
                event_id=str(event.get("id")),
                type=str(event.get("type")),
                topic=headers.get("dlq.original_topic", topic.encode()).decode(),
                error=headers.get("dlq.error", b"").decode(),
                attempts=int(headers.get("dlq.attempts", b"0")),
                consumer=headers.get("dlq.consumer_group", b"").decode(),
                key=record.key,
                value=record.value or b"",
                headers=[(k, v) for k, v in record.headers or () if not k.startswith("dlq.")],
            )
        )
    return letters


async def replay(platform: PlatformSettings, topic: str, event_id: str | None = None) -> int:
    """Send dead letters of `topic` (or the one with `event_id`) back to where they came from."""
    chosen = [d for d in await dead_letters(platform, topic) if event_id is None or d.event_id == event_id]
    producer = kafka.producer(platform)
    await kafka.start_with_retry(producer)
    try:
        for letter in chosen:
            await producer.send_and_wait(letter.topic, value=letter.value, key=letter.key, headers=letter.headers)
    finally:
        await producer.stop()
    return len(chosen)


async def _main(command: str, topic: str, event_id: str | None) -> None:
    platform = PlatformSettings()
    if command == "replay":
        print(f"replayed {await replay(platform, topic, event_id)} event(s) to their topics")
        return
    for letter in await dead_letters(platform, topic):
        print(f"{letter.event_id}  {letter.type:<32} {letter.consumer:<12} x{letter.attempts}  {letter.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("list", "replay"))
    parser.add_argument("topic", help="the original topic, e.g. crm.customer.account")
    parser.add_argument("--event-id", help="replay only this event")
    args = parser.parse_args()
    asyncio.run(_main(args.command, args.topic, args.event_id))


if __name__ == "__main__":
    main()
