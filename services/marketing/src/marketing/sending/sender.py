"""The scheduled job that delivers queued campaign mail through SMTP, each mail exactly once.

A run takes the sender's lock (one run at a time across replicas; a crashed run's connection lets it go),
reads a batch of due rows, and sends them side by side over a few SMTP connections it keeps open between
runs, each connection rendering its next mail while the others wait on the relay. Each mail is recorded as
sent, with its `message.sent` event, as soon as the relay accepted it: a writer commits what was accepted
while its previous commit was in flight, and a connection sends a mail's data, whose final dot lets the
relay take it, only while fewer than `send_unrecorded` are taken and not yet recorded. A crash repeats at most
those few mails, under the same Message-IDs, which receivers recognise as one mail. Fewer is impossible
with SMTP: the relay's acceptance and our commit cannot be one atomic step. A relay that is away leaves
the rows queued with a backoff; a recipient the relay refuses for good is given up and reported as bounced.
The frequency cap is checked again here: other campaigns may have reached the contact since it was queued.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import queue
import re
import smtplib
import socket
import threading
import uuid
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.crypto import decrypt
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.events import outbox
from crm_shared.service import RunAgain
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns.models import Campaign
from marketing.consent.rules import Channel
from marketing.sending import caps, links, mime
from marketing.sending.contents import Content, contents_of
from marketing.sending.dkim import Signer, signer
from marketing.sending.models import CampaignSend, SendStatus
from marketing.sending.rules import Cap
from marketing.settings import MarketingSettings
from marketing.templates import render

log = logging.getLogger(__name__)
LOCK = zlib.crc32(b"marketing:campaign-sender")  # one sender run at a time, whichever replica
LEADING_DOT = re.compile(rb"(?m)^\.")  # doubled in the data (RFC 5321 4.5.2), as `smtplib` does


@dataclass(frozen=True)
class Mail:
    row: CampaignSend
    to: str
    parts: tuple[Content, str, str, str]  # what `compose` renders: the content, the campaign's, contact's and
    # account's names


@dataclass(frozen=True)
class Result:
    """What the relay said of one mail: None sent, else the failure's kind and whether it is final."""

    error: str | None = None
    permanent: bool = False
    bounced: int | None = None
    relay_away: bool = False


class _Marks:
    """Records accepted mails as sent in transactions of their own, each taking what the relay accepted while
    the previous one was committing. At most `unrecorded` mails are accepted and not yet recorded: a
    connection waits for room before it sends a mail's data, so a crash repeats no more, whatever the load."""

    def __init__(self, db: Database, unrecorded: int) -> None:
        self.db = db
        self.loop = asyncio.get_running_loop()
        self.room = threading.Semaphore(unrecorded)
        self.broken = threading.Event()
        self.taken: collections.deque[CampaignSend] = collections.deque()  # appended from the connections
        self.woken = False  # a wake-up is on its way to the writer
        self.wake = asyncio.Event()
        self.closing = False
        self.count = 0
        self.writer = asyncio.create_task(self._write())

    def reserve(self) -> None:
        """From a connection's thread, before the relay may take a mail: room for one more not yet recorded."""
        while not self.room.acquire(timeout=1.0):
            if self.broken.is_set():
                raise Unrecorded

    def accepted(self, mail: Mail) -> None:
        """From a connection's thread: the relay took `mail`. The writer is woken once for all it will find,
        not once a mail: it clears `woken` before it takes what was accepted."""
        self.taken.append(mail.row)
        if not self.woken:
            self.woken = True
            self.loop.call_soon_threadsafe(self.wake.set)

    async def close(self) -> int:
        """Once every accepted mail is recorded (the connections' calls came before theirs ended); how many."""
        self.closing = True
        self.wake.set()
        await self.writer
        return self.count

    async def _write(self) -> None:
        try:
            # one connection for the run, no checkout per commit; each `mark_sent` is a transaction of its own
            async with self.db.engine.connect() as held:
                conn = await held.execution_options(isolation_level="AUTOCOMMIT")
                while True:
                    await self.wake.wait()
                    self.wake.clear()
                    self.woken = False
                    rows = [self.taken.popleft() for _ in range(len(self.taken))]
                    if rows:
                        await mark_sent(conn, self.db.source, rows)
                        self.count += len(rows)
                        self.room.release(len(rows))
                    if self.closing and not self.taken:
                        return
        except BaseException:
            self.broken.set()
            raise


class Unrecorded(Exception):
    """The mails the relay accepts can no longer be recorded: sending stops."""


class CampaignSender:
    """Delivers up to `send_batch` due mails per run over `smtp_connections` connections."""

    def __init__(self, settings: MarketingSettings) -> None:
        self.settings = settings
        self.signer: Signer | None = signer(settings)
        self._idle: list[smtplib.SMTP] = []
        # threads of the sender's own: the loop's default pool has fewer on a small machine, and others use it
        self._lanes = ThreadPoolExecutor(settings.smtp_connections, thread_name_prefix="campaign-smtp")

    async def run(self, uow: UnitOfWork) -> RunAgain | int:
        """Sends one batch; runs again at once while more are due. Returns how many mails went out."""
        s, now = self.settings, utcnow()
        if not await uow.session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": LOCK}):
            return 0  # another replica's run is sending
        rows = list(
            (
                await uow.session.scalars(
                    select(CampaignSend)
                    .where(col(CampaignSend.status) == SendStatus.QUEUED, col(CampaignSend.next_attempt_at) <= now)
                    .order_by(col(CampaignSend.next_attempt_at), col(CampaignSend.id))
                    .limit(s.send_batch)
                )
            ).all()
        )
        if not rows:
            return 0
        going = await self._under_cap(uow, rows, now)
        mails = await self._compose_all(uow, going)
        marks = _Marks(uow.db, s.send_unrecorded)
        try:
            results = await self._deliver_all(mails, marks)
        finally:
            sent = await marks.close()
        for mail, result in zip(mails, results, strict=True):
            if result.error is not None:
                await self._failed(uow, mail.row, result)
        if any(r.relay_away for r in results):
            return sent  # the relay is away: the next run, at its interval, tries again
        return RunAgain() if len(rows) == s.send_batch else sent

    async def _under_cap(self, uow: UnitOfWork, rows: list[CampaignSend], now: dt.datetime) -> list[CampaignSend]:
        cap = Cap(self.settings.email_cap, self.settings.cap_days)
        already = await caps.received(uow, Channel.EMAIL, {r.contact_id for r in rows}, cap.since(now), False)
        going = []
        for row in rows:
            if not cap.allows(already.get(row.contact_id, 0)):
                row.status, row.last_error = SendStatus.SKIPPED, "frequency_cap"
                continue
            already[row.contact_id] = already.get(row.contact_id, 0) + 1
            going.append(row)
        return going

    async def _compose_all(self, uow: UnitOfWork, rows: list[CampaignSend]) -> list[Mail]:
        """Every mail of the batch with what it needs read once; the connections render them as they go."""
        campaign_ids = {r.campaign_id for r in rows}
        contents = await contents_of(uow, rows)
        campaigns = {c.id: c.name for c in await _columns(uow, col(Campaign.id), col(Campaign.name), keys=campaign_ids)}
        people = await _columns(
            uow, col(ContactRef.id), col(ContactRef.account_id), col(ContactRef.name), keys={r.contact_id for r in rows}
        )
        contacts = {c.id: c for c in people}
        account_ids = {c.account_id for c in people if c.account_id}
        accounts = {
            a.id: a.name for a in await _columns(uow, col(AccountRef.id), col(AccountRef.name), keys=account_ids)
        }
        mails = []
        for row in rows:
            contact = contacts.get(row.contact_id)
            account = accounts.get(contact.account_id, "") if contact else ""
            parts = (contents[row.id], campaigns[row.campaign_id], contact.name if contact else "", account)
            mails.append(Mail(row, decrypt(row.to_enc) or "", parts))
        return mails

    def data(self, mail: Mail) -> bytes:
        """The mail as it goes to the relay: composed, and signed when a DKIM key is configured."""
        data = self.compose(mail.row, mail.to, *mail.parts)
        return data if self.signer is None else self.signer.header(data) + data

    def compose(
        self,
        row: CampaignSend,
        to: str,
        content: Content,
        campaign: str,
        contact: str,
        account: str,
    ) -> bytes:
        """The recipient's mail: merge fields filled, links signed, one-click unsubscribe announced."""
        s = self.settings
        unsubscribe = links.url(s.public_base_url, links.Link(row.id, links.Kind.UNSUBSCRIBE))
        values = {
            "contact": {"name": contact},
            "account": {"name": account},
            "campaign": {"name": campaign},
            "sender": {"name": s.mail_name, "address": s.mail_address},
            "unsubscribe_url": unsubscribe,
        }
        mail = render.render(render.Parts(content.subject, content.html, content.text), values)
        html = render.tracked(
            mail.html,
            content.links,
            lambda index: links.url(s.public_base_url, links.Link(row.id, links.Kind.CLICK, index)),
            links.url(s.public_base_url, links.Link(row.id, links.Kind.OPEN)),
        )
        headers = [
            ("From", mime.address(s.mail_name, s.mail_address)),
            ("To", to),
            ("Subject", mime.encoded(mail.subject)),
            ("Message-ID", f"<{row.message_id}>"),
            ("Date", format_datetime(row.created_at)),
            ("List-Unsubscribe", f"<{unsubscribe}>"),
        ]
        if unsubscribe.startswith("https://"):  # RFC 8058: one-click only over https
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        return mime.message(headers, mail.text, html, f"=_{row.id.hex}")

    async def _deliver_all(self, mails: list[Mail], marks: _Marks) -> list[Result]:
        """The mails sent over the connections, each in a thread of its own taking the next mail when free,
        and recorded by `marks` as the relay takes them."""
        lanes = max(1, min(self.settings.smtp_connections, len(mails)))
        waiting: queue.SimpleQueue[Mail] = queue.SimpleQueue()
        for mail in mails:
            waiting.put(mail)
        results: dict[uuid.UUID, Result] = {}
        away = threading.Event()
        loop = asyncio.get_running_loop()
        ends = await asyncio.gather(
            *(loop.run_in_executor(self._lanes, self._deliver, waiting, results, marks, away) for _ in range(lanes)),
            return_exceptions=True,  # every connection has stopped before the run records what it sent
        )
        for end in ends:
            if isinstance(end, BaseException):
                raise end
        return [results[m.row.id] for m in mails]

    def _deliver(
        self,
        waiting: queue.SimpleQueue[Mail],
        results: dict[uuid.UUID, Result],
        marks: _Marks,
        away: threading.Event,
    ) -> None:
        """One connection's mails; once the relay went away, the mails still waiting wait for the next run."""
        smtp: smtplib.SMTP | None = None
        held = False

        def hold() -> None:  # once per mail, however often its end of data is sent
            nonlocal held
            if not held:
                marks.reserve()
                held = True

        try:
            while True:
                try:
                    mail = waiting.get_nowait()
                except queue.Empty:
                    return
                if away.is_set():
                    results[mail.row.id] = Result("SMTPServerDisconnected", relay_away=True)
                    continue
                held = False
                try:
                    data = self.data(mail)
                except render.RenderFailed as exc:  # this recipient's values fail the template: never sendable
                    results[mail.row.id] = Result(f"template {exc.part}: {exc}", permanent=True)
                    continue
                smtp, result = self._send_one(smtp, mail, data, hold)
                results[mail.row.id] = result
                if result.error is None:
                    marks.accepted(mail)
                    continue
                if held:
                    marks.room.release()
                if result.relay_away:
                    away.set()
        finally:
            if smtp is not None and smtp.sock is not None:  # one closed midway is not kept
                self._idle.append(smtp)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        if smtp.sock is not None:  # each write goes at once, not after the relay's ACK of the previous one
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return smtp

    def _send_one(
        self, smtp: smtplib.SMTP | None, mail: Mail, data: bytes, hold: Callable[[], None]
    ) -> tuple[smtplib.SMTP | None, Result]:
        s = self.settings
        for _ in range(2):  # a kept connection the relay closed meanwhile is opened again once
            try:
                if smtp is None:
                    smtp = self._idle.pop() if self._idle else self._connect()
                transfer(smtp, s.mail_address, mail.to, data, hold)
                return smtp, Result()
            except smtplib.SMTPServerDisconnected:
                smtp = None
            except smtplib.SMTPRecipientsRefused as exc:
                _reset(smtp)
                code = min((c for c, _ in exc.recipients.values()), default=550)
                return smtp, Result(type(exc).__name__, bounced=code if code >= 500 else None)
            except smtplib.SMTPResponseException as exc:  # the relay answered: permanent (5xx) or not
                _reset(smtp)
                return smtp, Result(type(exc).__name__, permanent=exc.smtp_code >= 500)
            except (OSError, smtplib.SMTPException) as exc:
                return None, Result(type(exc).__name__, relay_away=True)
            except BaseException:  # the run stops (no room can be had): a mail cut off midway is dropped
                if smtp is not None:
                    smtp.close()
                raise
        return None, Result("SMTPServerDisconnected", relay_away=True)

    async def _failed(self, uow: UnitOfWork, row: CampaignSend, result: Result) -> None:
        error = result.error or ""
        row.attempts += 1
        row.last_error = error[:200]
        if result.bounced is not None or result.permanent or row.attempts >= self.settings.send_max_attempts:
            row.status = SendStatus.FAILED
            log.warning("a campaign mail was given up after %d attempts (%s)", row.attempts, error)
            if result.bounced is not None:
                bounce = events.MessageBounced(
                    id=row.id,
                    campaign_id=row.campaign_id,
                    contact_id=row.contact_id,
                    channel="email",
                    at=utcnow(),
                    smtp_code=result.bounced,
                )
                await uow.publish(bounce)
            return
        s = self.settings
        wait = min(s.send_retry_seconds * 2 ** (row.attempts - 1), s.send_retry_max_seconds)
        row.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)


# the accepted mails, their members, their `message.sent` events and the relay's wake-up in one statement, a
# transaction of its own: the writer commits every few mails, so a commit is one round trip to the database
MARK_SENT = text(
    "WITH sent AS (UPDATE campaign_sends SET status = 'sent', sent_at = :now, attempts = attempts + 1 "
    "WHERE id = ANY(CAST(:ids AS uuid[]))), "
    "members AS (UPDATE campaign_members m SET status = 'sent', updated_at = :now "
    "FROM unnest(CAST(:campaign_ids AS uuid[]), CAST(:contact_ids AS uuid[])) AS r(campaign_id, contact_id) "
    "WHERE m.campaign_id = r.campaign_id AND m.contact_id = r.contact_id AND m.status = 'targeted'), "
    f"queued AS ({outbox.ENQUEUE_MANY.text}) "
    f"SELECT pg_notify('{outbox.CHANNEL}', '')"
)


async def mark_sent(conn: AsyncConnection, source: str, rows: list[CampaignSend]) -> None:
    """The mails the relay accepted: sent, their members too, each with its `message.sent` event (`conn` in
    autocommit: the statement is its own transaction)."""
    now = utcnow()
    sent = [
        events.MessageSent(
            id=r.id,
            campaign_id=r.campaign_id,
            contact_id=r.contact_id,
            channel="email",
            at=now,
            message_id=r.message_id,
        ).envelope(source)
        for r in rows
    ]
    marked = {
        "ids": [r.id for r in rows],
        "campaign_ids": [r.campaign_id for r in rows],
        "contact_ids": [r.contact_id for r in rows],
    }
    await conn.execute(MARK_SENT, marked | outbox.enqueue_many_values(events.MessageSent.topic, sent, now))
    log.debug("marked %d campaign mails sent", len(rows))


def transfer(smtp: smtplib.SMTP, sender: str, to: str, data: bytes, hold: Callable[[], None]) -> None:
    """`smtplib`'s sendmail to one recipient, the envelope in one write to a relay that offers PIPELINING
    (RFC 2920), and `hold()` called once the relay is ready for the data: from the final dot on the relay
    may take the mail, so only then does it need room among the unrecorded (a relay drops a mail whose data
    was cut off before its dot)."""
    smtp.ehlo_or_helo_if_needed()
    size = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
    envelope = [f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}", f"RCPT TO:{smtplib.quoteaddr(to)}", "DATA"]
    (mail, rcpt, start) = _replies(smtp, envelope)
    if start[0] == 354 and (mail[0] != 250 or rcpt[0] not in (250, 251)):
        smtp.send(b".\r\n")  # a relay that took DATA without a recipient is given an empty mail's end
        smtp.getreply()
    if mail[0] != 250:
        raise smtplib.SMTPSenderRefused(*mail, sender)
    if rcpt[0] not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({to: rcpt})
    if start[0] != 354:
        raise smtplib.SMTPDataError(*start)
    body = LEADING_DOT.sub(b"..", data)
    hold()
    smtp.send(body + (b".\r\n" if body.endswith(b"\r\n") else b"\r\n.\r\n"))
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _replies(smtp: smtplib.SMTP, commands: list[str]) -> list[tuple[int, bytes]]:
    """The relay's reply to each command: all sent at once when it offers PIPELINING, else one by one until
    one is refused (the rest answered as not sent, 503)."""
    if smtp.has_extn("pipelining"):
        smtp.send("".join(f"{command}\r\n" for command in commands))
        return [smtp.getreply() for _ in commands]
    replies: list[tuple[int, bytes]] = []
    for command in commands:
        if replies and replies[-1][0] >= 400:
            replies.append((503, b"not sent"))
            continue
        smtp.send(f"{command}\r\n")
        replies.append(smtp.getreply())
    return replies


def _reset(smtp: smtplib.SMTP | None) -> None:
    """After a refused message the connection is ready for the next (RSET), or dropped if it is not."""
    if smtp is not None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            smtp.close()


async def _columns(uow: UnitOfWork, key: Any, *columns: Any, keys: set[uuid.UUID]) -> list[Row[Any]]:
    """The `key` and `columns` of the rows whose key is one of `keys`: plain rows, no entities to build."""
    if not keys:
        return []
    return list((await uow.session.execute(select(key, *columns).where(key.in_(list(keys))))).all())
