"""Support's queries and mutations: thin, each one call into the service layer."""

from __future__ import annotations

from enum import Enum

import strawberry

from crm_shared.graphql import Connection, Info
from support.graphql.types import Ticket, TicketEntry
from support.graphql.types import optional_uid as _id
from support.graphql.types import uid as _uid
from support.mail.outbound import Upload
from support.sla.risk import SlaRisk
from support.tickets import lifecycle
from support.tickets import service as tickets
from support.tickets.states import Channel, Priority, TicketStatus, TicketType


@strawberry.input
class CreateTicketInput:
    subject: str
    account_id: strawberry.ID
    description: str | None = None
    contact_id: strawberry.ID | None = None
    type: TicketType = TicketType.INQUIRY
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.PHONE
    tags: list[str] = strawberry.field(default_factory=list)
    team_id: strawberry.ID | None = None
    assignee_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="A product installed at the account; routing rules may go by it."
    )


@strawberry.input
class UpdateTicketInput:
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only for a ticket without an account (opened by mail from an unknown sender)."
    )
    subject: str | None = None
    description: str | None = None
    contact_id: strawberry.ID | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    channel: Channel | None = None
    tags: list[str] | None = None
    root_cause: str | None = None
    resolution: str | None = None


@strawberry.input(description="A file sent with a reply, within the size and type limits.")
class AttachmentInput:
    filename: str
    content_type: str
    content_base64: str


@strawberry.input
class TicketFilter:
    status: list[TicketStatus] | None = None
    open: bool | None = strawberry.field(default=None, description="Only tickets not yet resolved.")
    type: TicketType | None = None
    priority: Priority | None = None
    account_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = strawberry.field(default=None, description="A team's queue.")
    assignee_id: strawberry.ID | None = None
    unassigned: bool | None = None
    tag: str | None = None
    search: str | None = strawberry.field(default=None, description="Part of the subject or the number.")
    sla: SlaRisk | None = strawberry.field(
        default=None,
        description="Open tickets past a clock's warning (AT_RISK) or its target (BREACHED), not yet answered.",
    )


@strawberry.enum
class TicketOrder(Enum):
    CREATED_DESC = "CREATED_DESC"
    CREATED_ASC = "CREATED_ASC"
    UPDATED_DESC = "UPDATED_DESC"


ORDERS = {"CREATED_DESC": ("created", True), "CREATED_ASC": ("created", False), "UPDATED_DESC": ("updated", True)}


@strawberry.type
class Query:
    @strawberry.field(description="Tickets the caller may see; a team's queue with filter.teamId.")
    async def tickets(
        self,
        info: Info,
        filter: TicketFilter | None = None,
        order_by: TicketOrder = TicketOrder.CREATED_DESC,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Ticket]:
        f = filter or TicketFilter()
        sort, descending = ORDERS[order_by.value]
        command = tickets.TicketFilter(
            status=f.status,
            open=f.open,
            type=f.type,
            priority=f.priority,
            account_id=_id(f.account_id),
            team_id=_id(f.team_id),
            assignee_id=_id(f.assignee_id),
            unassigned=f.unassigned,
            tag=f.tag,
            search=f.search,
            sla=f.sla,
            order_by=sort,
            descending=descending,
        )
        async with info.context.uow() as uow:
            return Connection.of(await tickets.page(uow, info.context.principal, command, first, after), Ticket.of)

    @strawberry.field
    async def ticket(self, info: Info, id: strawberry.ID) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.get(uow, info.context.principal, _uid(id)))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open a ticket; routing rules pick its team and the team its agent unless given.")
    async def create_ticket(self, info: Info, input: CreateTicketInput) -> Ticket:
        data = tickets.TicketInput(
            subject=input.subject,
            account_id=_uid(input.account_id),
            description=input.description,
            contact_id=_id(input.contact_id),
            type=input.type,
            priority=input.priority,
            channel=input.channel,
            tags=input.tags,
            team_id=_id(input.team_id),
            assignee_id=_id(input.assignee_id),
            product_id=_id(input.product_id),
        )
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.create(uow, info.context.principal, data))

    @strawberry.mutation
    async def update_ticket(self, info: Info, id: strawberry.ID, input: UpdateTicketInput) -> Ticket:
        data = tickets.TicketChanges(
            account_id=_id(input.account_id),
            subject=input.subject,
            description=input.description,
            contact_id=_id(input.contact_id),
            type=input.type,
            priority=input.priority,
            channel=input.channel,
            tags=input.tags,
            root_cause=input.root_cause,
            resolution=input.resolution,
        )
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.update(uow, info.context.principal, _uid(id), data))

    @strawberry.mutation(description="Give the ticket to another team (its agent picked there) or agent of its team.")
    async def assign_ticket(
        self,
        info: Info,
        id: strawberry.ID,
        team_id: strawberry.ID | None = None,
        assignee_id: strawberry.ID | None = None,
    ) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(
                await tickets.assign(uow, info.context.principal, _uid(id), _id(team_id), _id(assignee_id))
            )

    @strawberry.mutation(
        description="A public reply to the customer, mailed to them when they have an address; it meets the response "
        "clocks. The text is `body`, or the canned response `macroId` filled in for the ticket."
    )
    async def reply_to_ticket(
        self,
        info: Info,
        id: strawberry.ID,
        body: str | None = None,
        macro_id: strawberry.ID | None = None,
        attachments: list[AttachmentInput] | None = None,
    ) -> TicketEntry:
        principal, settings = info.context.principal, info.context.state.settings
        uploads = [Upload(a.filename, a.content_type, a.content_base64) for a in attachments or []]
        async with info.context.uow() as uow:
            entry = await lifecycle.reply(uow, principal, _uid(id), body, uploads, settings, _id(macro_id))
            return TicketEntry.of(entry)

    @strawberry.mutation(description="An internal note; the customer never sees it.")
    async def add_ticket_note(self, info: Info, id: strawberry.ID, body: str) -> TicketEntry:
        async with info.context.uow() as uow:
            return TicketEntry.of(await lifecycle.add_note(uow, info.context.principal, _uid(id), body))

    @strawberry.mutation(description="Move the ticket along its statuses; reopening works within the reopen window.")
    async def change_ticket_status(
        self,
        info: Info,
        id: strawberry.ID,
        status: TicketStatus,
        reason: str | None = None,
    ) -> Ticket:
        days = info.context.state.settings.reopen_days
        async with info.context.uow() as uow:
            return Ticket.of(await lifecycle.change_status(uow, info.context.principal, _uid(id), status, reason, days))

    @strawberry.mutation(description="A service manager approves a resolved complaint, or sends it back to work.")
    async def review_complaint(
        self, info: Info, id: strawberry.ID, approve: bool, comment: str | None = None
    ) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(await lifecycle.review_complaint(uow, info.context.principal, _uid(id), approve, comment))
