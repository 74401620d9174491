"""A local SMTP server that keeps what it receives: in memory for tests, as .eml files for `make run`."""

from __future__ import annotations

import contextlib
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _Store:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / f"{len(self.messages):05d}.eml").write_bytes(raw)
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, port: int, directory: Path | None = None) -> None:
        self.port = port
        self.store = _Store(directory)
        self.controller = Controller(self.store, hostname="127.0.0.1", port=port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.store.messages

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        with contextlib.suppress(AssertionError, RuntimeError):  # never started
            self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]
