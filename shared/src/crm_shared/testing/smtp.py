"""Mail in tests through the real SMTP sink (the `smtp_sink` fixture), never through a mock.

`wait_for_mail` reads what services sent; `send_mail` speaks SMTP to a sink; `app_route` lets a sink
hand mail to a routed address to a test app over its REST endpoint, as `make run`'s sink does over HTTP.
"""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

import httpx
from fastapi import FastAPI

from crm_shared.devstack.smtp import Deliver, SmtpSink, http_route

__all__ = ["SmtpSink", "app_route", "send_mail", "wait_for_mail"]


async def wait_for_mail(sink: SmtpSink, to: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
    """The mail `to` received, once at least `count` arrived (services send in the background)."""
    for _ in range(int(timeout / 0.05)):
        if len(found := sink.to(to)) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} mail(s) to {to} expected, {len(sink.to(to))} arrived")


async def send_mail(port: int, message: EmailMessage | bytes, sender: str, to: str) -> None:
    """Submit a message to the SMTP server on `port` (off the event loop, which the server may call back into)."""

    def submit() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            if isinstance(message, bytes):
                smtp.sendmail(sender, [to], message)
            else:
                smtp.send_message(message, sender, [to])

    await asyncio.to_thread(submit)


def app_route(app: FastAPI, path: str, token: str) -> Deliver:
    """A route into `app` (in process): the sink's thread runs the POST on the test's event loop, where the
    app's connections live."""
    loop = asyncio.get_running_loop()
    post = http_route(f"http://test{path}", token, httpx.ASGITransport(app=app))

    async def posted(raw: bytes) -> None:
        await post(raw)

    async def deliver(raw: bytes) -> None:
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(posted(raw), loop))

    return deliver
