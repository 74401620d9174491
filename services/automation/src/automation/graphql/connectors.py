"""Connectors: the call log and click-to-call, one's email logging address and logged mail, their figures."""

from __future__ import annotations

import datetime as dt

import strawberry

from automation.connectors import ledger
from automation.connectors.email import service as mail_logging
from automation.connectors.models import Call as CallRow
from automation.connectors.models import CallStatus, Connector
from automation.connectors.telephony import service as telephony
from automation.graphql.types import optional_uid, uid
from crm_shared.context import current_token
from crm_shared.graphql import Connection, Info
from crm_shared.graphql.ids import gid

strawberry.enum(CallStatus, name="CallStatus")
strawberry.enum(Connector, name="ConnectorName")


@strawberry.type(description="A call from the phone system (CTI), with the contact it was logged on.")
class Call:
    id: strawberry.ID
    call_id: str = strawberry.field(description="The phone system's id of the call.")
    direction: str = strawberry.field(description="inbound or outbound")
    number: str | None = strawberry.field(description="The customer's number (masked where contacts' phones are).")
    agent_id: strawberry.ID | None
    status: CallStatus
    started_at: dt.datetime
    answered_at: dt.datetime | None
    ended_at: dt.datetime | None
    duration_seconds: int | None
    recording_url: str | None
    contact_id: strawberry.ID | None = strawberry.field(description="None: no contact had the number yet.")
    account_id: strawberry.ID | None
    activity_id: strawberry.ID | None
    task_id: strawberry.ID | None = strawberry.field(description="The call-back task of a missed incoming call.")

    @classmethod
    def of(cls, info: Info, row: CallRow) -> Call:
        return cls(
            id=strawberry.ID(str(row.id)),
            call_id=row.call_id,
            direction=row.direction,
            number=telephony.number_of(row, info.context.principal),
            agent_id=gid(row.agent_id),
            status=row.status,
            started_at=row.started_at,
            answered_at=row.answered_at,
            ended_at=row.ended_at,
            duration_seconds=row.duration_seconds,
            recording_url=row.recording_url,
            contact_id=gid(row.contact_id),
            account_id=gid(row.account_id),
            activity_id=gid(row.activity_id),
            task_id=gid(row.task_id),
        )


@strawberry.input
class CallFilter:
    status: CallStatus | None = None
    unmatched: bool | None = strawberry.field(default=None, description="Ended calls no contact had the number of.")
    agent_id: strawberry.ID | None = None


@strawberry.type(description="A mail taken in at one's logging address.")
class LoggedMail:
    id: strawberry.ID
    subject: str
    sender: list[str]
    recipients: list[str]
    sent_at: dt.datetime
    thread_id: str
    matched: int = strawberry.field(description="Contacts it was logged on; 0: none had these addresses.")

    @classmethod
    def of(cls, shown: mail_logging.Shown) -> LoggedMail:
        row = shown.row
        return cls(
            id=strawberry.ID(str(row.id)),
            subject=row.subject,
            sender=shown.sender,
            recipients=shown.recipients,
            sent_at=row.sent_at,
            thread_id=row.thread_id,
            matched=row.matched,
        )


@strawberry.type(description="What a connector took in: each input once (replays not counted again).")
class ConnectorFigures:
    connector: Connector
    received: int
    applied: int
    unmatched: int = strawberry.field(description="Kept: no contact had the number or address.")
    failed: int = strawberry.field(description="Refused or not reachable; a resend is tried again.")


def _token() -> str:
    return current_token.get() or ""


@strawberry.type
class Query:
    @strawberry.field(description="The call log, newest first: one's own calls, or those of one's scope.")
    async def calls(
        self, info: Info, filter: CallFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Call]:
        where = filter or CallFilter()
        query = telephony.CallQuery(where.status, where.unmatched, optional_uid(where.agent_id))
        async with info.context.uow() as uow:
            found = await telephony.listed(uow, info.context.principal, query, first, after)
            return Connection.of(found, lambda row: Call.of(info, row))

    @strawberry.field(description="Mail sent or copied here is logged on the matching contacts.")
    async def my_email_logging_address(self, info: Info) -> str:
        settings = info.context.state.settings
        async with info.context.uow(writes=True) as uow:
            return await mail_logging.address_of(uow, info.context.principal, settings.logging_address)

    @strawberry.field(description="One's logged mail, newest first; `unmatchedOnly`: those no contact matched.")
    async def logged_mails(
        self, info: Info, unmatched_only: bool = False, first: int = 20, after: str | None = None
    ) -> Connection[LoggedMail]:
        async with info.context.uow() as uow:
            found = await mail_logging.listed(uow, info.context.principal, unmatched_only, first, after)
            return Connection.of(found, LoggedMail.of)

    @strawberry.field(description="Per connector: inputs received, applied, kept unmatched and failed.")
    async def connector_status(self, info: Info) -> list[ConnectorFigures]:
        info.context.principal.require("automation:connector:read")
        async with info.context.uow() as uow:
            return [
                ConnectorFigures(
                    connector=f.connector,
                    received=f.received,
                    applied=f.applied,
                    unmatched=f.unmatched,
                    failed=f.failed,
                )
                for f in await ledger.figures(uow)
            ]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Click-to-call: the phone system rings the caller's phone, then the contact's.")
    async def start_call(self, info: Info, contact_id: strawberry.ID) -> Call:
        state = info.context.state
        async with info.context.uow() as uow:
            row = await telephony.start(
                uow, state.engine.services, state.settings, info.context.principal, uid(contact_id), _token()
            )
            return Call.of(info, row)

    @strawberry.mutation(description="Put an ended call no contact had the number of on a contact, as a call activity.")
    async def link_call(self, info: Info, id: strawberry.ID, contact_id: strawberry.ID) -> Call:
        state = info.context.state
        async with info.context.uow() as uow:
            row = await telephony.link(
                uow, state.engine.services, info.context.principal, uid(id), uid(contact_id), _token()
            )
            return Call.of(info, row)
