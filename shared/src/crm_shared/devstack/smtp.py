"""A local SMTP server that keeps what it receives: in memory for tests, as .eml files for `make run`.

It also stands in for the mail provider's inbound side: mail to a routed address (the support
address, or a sub-address `local+tag@domain` of one) is handed to the service that owns it, as the
raw message with the envelope recipient written as `Delivered-To` (a Bcc shows only there), the way a
provider's inbound-mail webhook would. A route that fails answers `451`, so the sender tries again later.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller

log = logging.getLogger(__name__)

Deliver = Callable[[bytes], Awaitable[None]]


def http_route(url: str, token: str, transport: httpx.AsyncBaseTransport | None = None) -> Deliver:
    """Delivers a raw message by POSTing it to `url` with `Authorization: Bearer <token>` (`message/rfc822`)."""

    async def deliver(raw: bytes) -> None:
        async with httpx.AsyncClient(transport=transport, timeout=10) as client:
            response = await client.post(
                url, content=raw, headers={"Authorization": f"Bearer {token}", "Content-Type": "message/rfc822"}
            )
        response.raise_for_status()

    return deliver


class Pipelining:
    """An aiosmtpd handler whose EHLO offers PIPELINING (RFC 2920): aiosmtpd reads a connection's commands in
    order from its stream, so a client may send a mail's envelope in one write and read the replies after."""

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]


class _Store(Pipelining):
    def __init__(self, directory: Path | None, routes: Mapping[str, Deliver]) -> None:
        self.directory = directory
        self.routes = {address.lower(): deliver for address, deliver in routes.items()}
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()

    def route_of(self, address: str) -> Deliver | None:
        """The route of the address, or of the address without its `+tag` (a sub-address of the same mailbox)."""
        local, at, domain = address.lower().rpartition("@")
        return self.routes.get(address.lower()) or self.routes.get(local.split("+", 1)[0] + at + domain)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        routed = [(r, route) for r in envelope.rcpt_tos if (route := self.route_of(r)) is not None]
        for recipient, deliver in routed:
            try:
                await deliver(f"Delivered-To: {recipient}\r\n".encode() + raw)
            except (httpx.HTTPError, OSError):
                log.warning("inbound mail could not be handed over; the sender will try again", exc_info=True)
                return "451 4.3.0 Try again later"
        if len(routed) == len(envelope.rcpt_tos):
            return "250 Message accepted for delivery"
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / f"{len(self.messages):05d}.eml").write_bytes(raw)
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, port: int, directory: Path | None = None, routes: Mapping[str, Deliver] | None = None) -> None:
        self.port = port
        self.store = _Store(directory, routes or {})
        self.controller = Controller(self.store, hostname="127.0.0.1", port=port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.store.messages

    def route(self, address: str, deliver: Deliver) -> None:
        """Hand mail to `address` to `deliver` from now on (a service that started after the sink)."""
        self.store.routes[address.lower()] = deliver

    def refuse(self, address: str) -> None:
        """Answer `550` for `address` from now on, as a relay does for a mailbox that does not exist."""
        self.store.refused.add(address.lower())

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        with contextlib.suppress(AssertionError, RuntimeError):  # never started
            self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]
