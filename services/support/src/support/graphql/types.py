"""Support's GraphQL types: thin views of the rows, clocks computed when asked for."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from crm_shared.graphql import Connection, Info
from crm_shared.graphql.accounts import NAME, account_name
from crm_shared.graphql.context import RequestContext
from crm_shared.graphql.ids import gid as gid
from crm_shared.graphql.ids import optional_uid as optional_uid
from crm_shared.graphql.ids import uid as uid
from crm_shared.graphql.people import User
from support.mail import views as mail_views
from support.mail.models import Attachment, MailStatus, OutgoingMail
from support.sla.clocks import clocks_now, current
from support.sla.engine import Clock, ClockKind, ClockState
from support.sla.risk import SlaRisk
from support.tickets import service as tickets
from support.tickets.attachments import path as attachment_path
from support.tickets.models import Entry as EntryRow
from support.tickets.models import Ticket as TicketRow
from support.tickets.states import Channel, Priority, Review, TicketStatus, TicketType

if TYPE_CHECKING:
    from support.graphql.care import CsatSummary, InstalledProduct, NpsSummary
    from support.graphql.kb import Article

CARE = "support.graphql.care"
STUB = Key(fields=FieldSet("id"), resolvable=False)

strawberry.enum(TicketStatus, name="TicketStatus")
strawberry.enum(TicketType, name="TicketType")
strawberry.enum(Priority, name="TicketPriority")
strawberry.enum(Channel, name="TicketChannel")
strawberry.enum(Review, name="ComplaintReview")
strawberry.enum(ClockKind, name="SlaClockKind")
strawberry.enum(ClockState, name="SlaClockState")
strawberry.enum(SlaRisk, name="SlaRisk")
strawberry.enum(MailStatus, name="MailStatus")


@strawberry.type(description="An SLA clock in business time, computed from the ticket's history.")
class SlaClock:
    kind: ClockKind
    cycle: int = strawberry.field(description="0, or which customer answer a next-response clock follows (1, 2, ...).")
    state: ClockState
    target_minutes: int
    elapsed_minutes: int = strawberry.field(description="Business minutes counted while the ticket was new or open.")
    remaining_minutes: int = strawberry.field(description="Negative once breached.")
    due_at: dt.datetime | None = strawberry.field(
        description="When the target is reached if nothing changes; past when breached; none while paused."
    )
    stopped_at: dt.datetime | None = strawberry.field(
        description="When a reply or the resolution stopped it; none while it runs or waits."
    )


@strawberry.type(description="A file of a message, in or out.")
class TicketAttachment:
    id: strawberry.ID
    filename: str
    content_type: str
    size: int
    download_url: str = strawberry.field(
        description="Where the file downloads: a GET with the caller's token, on the suite's own address "
        "(the path alone), for those who read the ticket and this message."
    )


@strawberry.type(description="A reply to the customer, the customer's own message (by mail), or an internal note.")
class TicketEntry:
    id: strawberry.ID
    public: bool
    from_customer: bool
    body: str
    author: User | None
    at: dt.datetime
    row: strawberry.Private[EntryRow]

    @classmethod
    def of(cls, e: EntryRow) -> TicketEntry:
        return cls(
            id=strawberry.ID(str(e.id)),
            public=e.public,
            from_customer=e.from_customer,
            body=e.body,
            author=User.ref(e.author_id),
            at=e.at,
            row=e,
        )

    @strawberry.field
    async def attachments(self, info: Info) -> list[TicketAttachment]:
        rows = await info.context.batch(_attachments, "TicketEntry").load(self.row.id)
        return [
            TicketAttachment(
                id=strawberry.ID(str(a.id)),
                filename=a.filename,
                content_type=a.content_type,
                size=a.size,
                download_url=attachment_path(self.row.ticket_id, a.id),
            )
            for a in rows
        ]

    @strawberry.field(
        description="A reply's mail: PENDING until sent (retried while the relay is away), SENT or "
        "FAILED; none when the customer has no address or for other entries."
    )
    async def mail_status(self, info: Info) -> MailStatus | None:
        if self.from_customer or not self.public:
            return None
        mail = await info.context.batch(_outgoing, "TicketEntry").load(self.row.id)
        return mail.status if mail else None


@strawberry.type
class StatusChange:
    from_status: TicketStatus | None
    to_status: TicketStatus
    reason: str | None
    actor: User | None
    at: dt.datetime


@strawberry.federation.type(keys=["id"], description="A service request (服务请求/工单).")
class Ticket:
    """The row's own fields are plain values, set once when the ticket is shown (a page of 20 resolves them without
    a resolver call each); what needs more reading (clocks, entries, history) is resolved when asked for."""

    id: strawberry.ID
    row: strawberry.Private[TicketRow]
    number: str
    subject: str
    description: str
    account: Account | None = strawberry.field(
        description="None for a ticket opened by mail from an address no contact has, until set."
    )
    unknown_sender: bool = strawberry.field(
        description="Opened by mail from an address no contact has: the customer is to be found."
    )
    contact_id: strawberry.ID | None
    product_id: strawberry.ID | None = strawberry.field(description="The installed product the request is about.")
    type: TicketType
    priority: Priority
    channel: Channel
    tags: list[str]
    status: TicketStatus
    team_id: strawberry.ID | None
    assignee: User | None
    policy_id: strawberry.ID | None
    root_cause: str | None
    resolution: str | None
    review: Review = strawberry.field(description="A complaint's review by a service manager.")
    reviewed_by: User | None
    escalation_level: int
    escalated_to: User | None
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None

    @classmethod
    def of(cls, row: TicketRow) -> Ticket:
        account = Account(id=strawberry.ID(str(row.account_id))) if row.account_id else None
        return cls(
            id=strawberry.ID(str(row.id)),
            row=row,
            number=row.number,
            subject=row.subject,
            description=row.description,
            account=account,
            unknown_sender=row.unknown_sender,
            contact_id=gid(row.contact_id),
            product_id=gid(row.product_id),
            type=row.type,
            priority=row.priority,
            channel=row.channel,
            tags=list(row.tags),
            status=row.status,
            team_id=gid(row.team_id),
            assignee=User.ref(row.assignee_id),
            policy_id=gid(row.policy_id),
            root_cause=row.root_cause,
            resolution=row.resolution,
            review=row.review,
            reviewed_by=User.ref(row.reviewed_by),
            escalation_level=row.escalation_level,
            escalated_to=User.ref(row.escalated_to_id),
            created_at=row.created_at,
            updated_at=row.updated_at,
            resolved_at=row.resolved_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Ticket:
        async with info.context.uow() as uow:
            return cls.of(await tickets.get(uow, info.context.principal, uuid.UUID(str(id))))

    @strawberry.field(description="First response, next response and resolution, in business time.")
    async def sla_clocks(self, info: Info) -> list[SlaClock]:
        clocks = await info.context.batch(_clocks, "Ticket").load(self.row.id)
        return [
            SlaClock(
                kind=c.kind,
                cycle=c.cycle,
                state=c.state,
                target_minutes=c.target_minutes,
                elapsed_minutes=c.elapsed_minutes,
                remaining_minutes=c.remaining_minutes,
                due_at=c.due_at if c.state is not ClockState.MET else None,
                stopped_at=c.stopped_at,
            )
            for c in current(clocks)
        ]

    @strawberry.field(description="Replies and notes, oldest first; notes only for those who work on the ticket.")
    async def entries(self, info: Info) -> list[TicketEntry]:
        async with info.context.uow() as uow:
            return [TicketEntry.of(e) for e in await tickets.entries(uow, info.context.principal, self.row)]

    @strawberry.field(description="Knowledge-base articles noted as answering the ticket.")
    async def articles(self, info: Info) -> list[Annotated[Article, strawberry.lazy("support.graphql.kb")]]:
        from support.graphql.kb import Article
        from support.kb.service import linked

        async with info.context.uow() as uow:
            return [Article.of(a) for a in await linked(uow, info.context.principal, self.row.id)]

    @strawberry.field
    async def history(self, info: Info) -> list[StatusChange]:
        async with info.context.uow() as uow:
            rows = await tickets.shown_history(uow, info.context.principal, self.row)
        return [
            StatusChange(
                from_status=r.from_status, to_status=r.to_status, reason=r.reason, actor=User.ref(r.actor_id), at=r.at
            )
            for r in rows
        ]


async def _attachments(context: RequestContext, entry_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Attachment]]:
    """The files of every entry a ticket shows, read together."""
    async with context.uow() as uow:
        return await mail_views.attachments(uow, entry_ids)


async def _outgoing(context: RequestContext, entry_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OutgoingMail | None]:
    async with context.uow() as uow:
        return await mail_views.outgoing(uow, entry_ids)


async def _clocks(context: RequestContext, ticket_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Clock]]:
    """The clocks of every ticket a response shows, read together (a page of 20 asks for them all)."""
    async with context.uow() as uow:
        return await clocks_now(uow, ticket_ids)


@strawberry.federation.type(keys=["id"], description="A customer company; support adds its tickets.")
class Account:
    id: strawberry.ID
    referenced: strawberry.Private[bool] = False  # asked for by id (`_entities`), not reached through a record

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id, referenced=True)

    @strawberry.federation.field(shareable=True, description=NAME)
    async def name(self, info: Info) -> str:
        return await account_name(info, self.id, referenced=self.referenced)

    @strawberry.field(description="The account's tickets the caller may see, newest first.")
    async def tickets(
        self,
        info: Info,
        status: list[TicketStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Ticket]:
        where = tickets.TicketFilter(status=status, account_id=uuid.UUID(str(self.id)))
        async with info.context.uow() as uow:
            return Connection.of(await tickets.page(uow, info.context.principal, where, first, after), Ticket.of)

    @strawberry.field(description="Tickets not yet resolved that the caller may see.")
    async def open_ticket_count(self, info: Info) -> int:
        async with info.context.uow() as uow:
            where = tickets.TicketFilter(open=True, account_id=uuid.UUID(str(self.id)))
            page = await tickets.page(uow, info.context.principal, where, 1, None)
            return (await page.count()).value

    @strawberry.field(description="Products delivered to the account, newest first (维保记录).")
    async def installed_base(self, info: Info) -> list[Annotated[InstalledProduct, strawberry.lazy(CARE)]]:
        from support.graphql.care import InstalledProduct
        from support.installed.service import installed_base

        async with info.context.uow() as uow:
            rows = await installed_base(uow, info.context.principal, uuid.UUID(str(self.id)))
        return [InstalledProduct(row=r) for r in rows]

    @strawberry.field(description="Satisfaction after resolved tickets; none for an account the caller does not reach.")
    async def csat(self, info: Info) -> Annotated[CsatSummary, strawberry.lazy(CARE)] | None:
        from support.graphql.care import CsatSummary
        from support.surveys.results import account_csat

        async with info.context.uow() as uow:
            found = await account_csat(uow, info.context.principal, uuid.UUID(str(self.id)))
        return CsatSummary(**vars(found)) if found else None

    @strawberry.field(
        description="Net promoter score of the account's contacts; none for an account the caller does not reach."
    )
    async def nps(self, info: Info) -> Annotated[NpsSummary, strawberry.lazy(CARE)] | None:
        from support.graphql.care import NpsSummary
        from support.surveys.results import account_nps

        async with info.context.uow() as uow:
            found = await account_nps(uow, info.context.principal, uuid.UUID(str(self.id)))
        return NpsSummary(**vars(found)) if found else None
