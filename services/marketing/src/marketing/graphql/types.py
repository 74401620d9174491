"""Marketing's GraphQL types: thin views of the rows; amounts as decimal strings, to the cent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from crm_shared.auth.principal import Principal
from crm_shared.crypto import decrypt
from crm_shared.errors import Forbidden
from crm_shared.graphql import Connection, Info
from crm_shared.graphql.accounts import SECTION
from crm_shared.graphql.context import RequestContext
from crm_shared.graphql.ids import gid as gid
from crm_shared.graphql.ids import optional_uid as optional_uid
from crm_shared.graphql.ids import uid as uid
from crm_shared.graphql.people import User
from crm_shared.masking import mask_email
from marketing import audience
from marketing.audience import ContactRef
from marketing.campaigns import members
from marketing.campaigns import service as campaigns
from marketing.campaigns.models import Campaign as CampaignRow
from marketing.campaigns.models import CampaignMember as MemberRow
from marketing.campaigns.repository import CampaignFilter, Campaigns
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, CampaignType, MemberStatus
from marketing.consent import service as consent
from marketing.consent.rules import Channel, Decision
from marketing.performance.report import named_by_opportunity
from marketing.sending import service as sending
from marketing.templates.models import EmailTemplate as TemplateRow

if TYPE_CHECKING:
    from marketing.graphql.segments import Engagement

STUB = Key(fields=FieldSet("id"), resolvable=False)

strawberry.enum(CampaignType, name="CampaignType")
strawberry.enum(CampaignStatus, name="CampaignStatus")
strawberry.enum(BudgetStatus, name="BudgetStatus")
strawberry.enum(MemberStatus, name="CampaignMemberStatus")
strawberry.enum(Channel, name="ConsentChannel")
strawberry.enum(Decision, name="ConsentDecision")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@strawberry.type(description="A line of a campaign's budget.")
class BudgetLine:
    category: str
    amount: str
    note: str


@strawberry.type(description="An actual cost recorded against the approved budget.")
class CampaignCost:
    id: strawberry.ID
    category: str
    amount: str
    incurred_on: dt.date
    note: str
    recorded_by: User | None
    created_at: dt.datetime


@strawberry.type(description="A contact or a lead the campaign targets, and how far they went.")
class CampaignMember:
    id: strawberry.ID
    contact_id: strawberry.ID | None
    lead_id: strawberry.ID | None
    account_id: strawberry.ID | None
    contact_name: str | None
    email: str | None = strawberry.field(description="The contact's address, masked for roles that mask it.")
    status: MemberStatus
    added_at: dt.datetime

    @classmethod
    def of(cls, row: MemberRow, contact: ContactRef | None, principal: Principal) -> CampaignMember:
        email = decrypt(contact.email_enc) if contact is not None and contact.email_enc else None
        return cls(
            id=strawberry.ID(str(row.id)),
            contact_id=gid(row.contact_id),
            lead_id=gid(row.lead_id),
            account_id=gid(row.account_id),
            contact_name=contact.name if contact is not None else None,
            email=mask_email(email) if email and principal.masks("customer:contact.email") else email,
            status=row.status,
            added_at=row.added_at,
        )


@strawberry.type(description="Members by status.")
class MemberCount:
    status: MemberStatus
    count: int


@strawberry.type(description="How far an email or SMS campaign's messages went: one per recipient.")
class SendProgress:
    queued: int
    sent: int
    failed: int
    opened: int
    clicked: int
    unsubscribed: int
    skipped: int = strawberry.field(description="Held back by the frequency cap.")
    delivered: int = strawberry.field(description="Texts the provider's receipt confirmed; mails the relay took.")


@strawberry.type(description="An email template; merge fields such as {{ contact.name }} are filled in per recipient.")
class EmailTemplate:
    id: strawberry.ID
    name: str
    subject_zh: str
    html_zh: str
    text_zh: str
    subject_en: str | None
    html_en: str | None
    text_en: str | None
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: TemplateRow) -> EmailTemplate:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            subject_zh=row.subject_zh,
            html_zh=row.html_zh,
            text_zh=row.text_zh,
            subject_en=row.subject_en,
            html_en=row.html_en,
            text_en=row.text_en,
            updated_at=row.updated_at,
        )


@strawberry.federation.type(keys=["id"], description="A marketing campaign (市场活动).")
class Campaign:
    id: strawberry.ID
    row: strawberry.Private[CampaignRow]
    # set when seen as an account's or contact's campaign history: its members there, nothing of the budget
    seen_from: strawberry.Private[CampaignFilter | None] = None

    @classmethod
    def of(cls, row: CampaignRow, seen_from: CampaignFilter | None = None) -> Campaign:
        return cls(id=strawberry.ID(str(row.id)), row=row, seen_from=seen_from)

    def _whole(self) -> None:
        """Budgets, costs and sending belong to those who may read the campaign itself."""
        if self.seen_from is not None:
            raise Forbidden(permission="marketing:campaign:read")

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Campaign:
        """The campaign for marketing staff; named by an opportunity, its name and dates for whoever reads
        opportunities (sales' `Opportunity.campaign`), none of its budget or members."""
        principal = info.context.principal
        async with info.context.uow() as uow:
            if principal.can("marketing:campaign:read") or not principal.can("sales:opportunity:read"):
                return cls.of(await campaigns.get(uow, principal, uid(id)))
            return cls.of(await named_by_opportunity(uow, uid(id)), seen_from=CampaignFilter())

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def type(self) -> CampaignType:
        return self.row.type

    @strawberry.field
    def status(self) -> CampaignStatus:
        return self.row.status

    @strawberry.field
    def starts_on(self) -> dt.date:
        return self.row.starts_on

    @strawberry.field
    def ends_on(self) -> dt.date:
        return self.row.ends_on

    @strawberry.field
    def description(self) -> str:
        return self.row.description

    @strawberry.field
    def goal_leads(self) -> int | None:
        return self.row.goal_leads

    @strawberry.field
    def goal_opportunities(self) -> int | None:
        return self.row.goal_opportunities

    @strawberry.field
    def goal_revenue(self) -> str | None:
        self._whole()
        return money(self.row.goal_revenue)

    @strawberry.field
    def currency(self) -> str:
        return self.row.currency

    @strawberry.field
    def owner(self) -> User | None:
        return User.ref(self.row.owner_id)

    @strawberry.field(description="The template an email campaign sends.")
    def template_id(self) -> strawberry.ID | None:
        return gid(self.row.template_id)

    @strawberry.field(description="The SMS template an SMS campaign sends.")
    def sms_template_id(self) -> strawberry.ID | None:
        return gid(self.row.sms_template_id)

    @strawberry.field(description="zh-CN or en: the template variant an email campaign sends.")
    def language(self) -> str:
        return self.row.language

    @strawberry.field
    def budget_status(self) -> BudgetStatus:
        return self.row.budget_status

    @strawberry.field
    async def budget_lines(self, info: Info) -> list[BudgetLine]:
        self._whole()
        async with info.context.uow() as uow:
            rows = await Campaigns(uow).lines(self.row.id)
        return [BudgetLine(category=r.category, amount=f"{r.amount:.2f}", note=r.note) for r in rows]

    @strawberry.field(description="The budget's lines added up.")
    async def budget_total(self, info: Info) -> str:
        self._whole()
        return f"{await info.context.batch(_budget_totals, 'Campaign').load(self.row.id):.2f}"

    @strawberry.field(description="The recorded costs added up.")
    async def actual_cost(self, info: Info) -> str:
        self._whole()
        return f"{await info.context.batch(_actual_costs, 'Campaign').load(self.row.id):.2f}"

    @strawberry.field
    async def costs(self, info: Info) -> list[CampaignCost]:
        self._whole()
        async with info.context.uow() as uow:
            rows = await Campaigns(uow).costs(self.row.id)
        return [
            CampaignCost(
                id=strawberry.ID(str(r.id)),
                category=r.category,
                amount=f"{r.amount:.2f}",
                incurred_on=r.incurred_on,
                note=r.note,
                recorded_by=User.ref(r.recorded_by),
                created_at=r.created_at,
            )
            for r in rows
        ]

    @strawberry.field
    def budget_submitted_by(self) -> User | None:
        return User.ref(self.row.budget_submitted_by)

    @strawberry.field
    def budget_submitted_at(self) -> dt.datetime | None:
        return self.row.budget_submitted_at

    @strawberry.field
    def budget_decided_by(self) -> User | None:
        return User.ref(self.row.budget_decided_by)

    @strawberry.field
    def budget_decided_at(self) -> dt.datetime | None:
        return self.row.budget_decided_at

    @strawberry.field(description="The approver's note, on a rejection say.")
    def budget_note(self) -> str | None:
        self._whole()
        return self.row.budget_note

    @strawberry.field
    async def members(self, info: Info, first: int = 50, after: str | None = None) -> Connection[CampaignMember]:
        if self.seen_from is not None and self.seen_from.account_id is None and self.seen_from.contact_id is None:
            self._whole()  # seen from an opportunity: no members to show
        principal = info.context.principal
        async with info.context.uow() as uow:
            found = await Campaigns(uow).members(self.row.id, first, after, self.seen_from)
            contacts = await audience.contacts(uow, [m.contact_id for m in found.items if m.contact_id])
            return Connection.of(found, lambda m: CampaignMember.of(m, contacts.get(m.contact_id), principal))

    @strawberry.field(description="Members by status (statuses without members left out).")
    async def member_counts(self, info: Info) -> list[MemberCount]:
        self._whole()
        async with info.context.uow() as uow:
            counts = await members.member_counts(uow, self.row.id)
        return [MemberCount(status=s, count=counts[str(s)]) for s in MemberStatus if str(s) in counts]

    @strawberry.field(description="When the campaign's mails were queued; none before it is sent.")
    def sent_at(self) -> dt.datetime | None:
        return self.row.send_queued_at

    @strawberry.field
    async def send_progress(self, info: Info) -> SendProgress:
        self._whole()
        return SendProgress(**vars(await info.context.batch(_send_progress, "Campaign").load(self.row.id)))

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def updated_at(self) -> dt.datetime:
        return self.row.updated_at


@strawberry.type(description="A consent record: an opt-in or opt-out, where it came from and when.")
class ConsentRecord:
    channel: Channel
    granted: bool
    source: str
    note: str
    recorded_by: User | None
    recorded_at: dt.datetime


@strawberry.type(description="Where a contact stands for one channel: the latest record and the do-not-contact list.")
class ConsentState:
    contact_id: strawberry.ID
    channel: Channel
    granted: bool | None = strawberry.field(description="The latest record's answer; none without a record.")
    source: str | None
    recorded_at: dt.datetime | None
    do_not_contact: bool
    decision: Decision = strawberry.field(description="Whether a send on this channel reaches the contact now.")

    @classmethod
    def of(cls, state: consent.ConsentState) -> ConsentState:
        latest = state.latest
        return cls(
            contact_id=strawberry.ID(str(state.contact_id)),
            channel=state.channel,
            granted=latest.granted if latest else None,
            source=latest.source if latest else None,
            recorded_at=latest.recorded_at if latest else None,
            do_not_contact=state.do_not_contact is not None,
            decision=state.decision,
        )


async def member_campaigns(info: Info, where: CampaignFilter, first: int, after: str | None) -> Connection[Campaign]:
    """The account's or contact's campaign history, for a caller who may read that account or contact: every
    campaign it was in, whole where the caller may read the campaign itself, else its members there only (a
    marketer of one unit sees another unit's campaigns in a customer's history as a sales rep does)."""
    principal = info.context.principal
    async with info.context.uow() as uow:
        found = await campaigns.history(uow, principal, where, first, after)
        readable = Campaigns(uow, principal)
        reads = principal.can("marketing:campaign:read")
        whole = {row.id for row in found.items if reads and await readable.reaches(row)}
        return Connection.of(found, lambda row: Campaign.of(row, None if row.id in whole else where))


@strawberry.federation.type(keys=["id"], description="A customer company; marketing adds its campaigns.")
class Account:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)

    @strawberry.field(
        description="Campaigns that targeted one of the account's contacts, for whoever may read the account: "
        "whole where the caller may read the campaign, else its members there only (no budget nor goal revenue)."
    )
    async def campaigns(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Campaign]:
        return await member_campaigns(info, CampaignFilter(account_id=uid(self.id)), first, after)

    @strawberry.field(description="Where each of the account's contacts stands, per channel." + SECTION)
    async def consents(self, info: Info) -> list[ConsentState] | None:
        async with info.context.uow() as uow:
            return [ConsentState.of(s) for s in await consent.account_states(uow, info.context.principal, uid(self.id))]

    @strawberry.field(
        description="Its contacts' opens, clicks and responses to marketing messages, together." + SECTION
    )
    async def engagement(
        self, info: Info
    ) -> Annotated[Engagement, strawberry.lazy("marketing.graphql.segments")] | None:
        from marketing.graphql.segments import account_engagement

        return await account_engagement(info, self.id)


@strawberry.federation.type(keys=["id"], description="A person at a customer; marketing adds campaigns and consent.")
class Contact:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Contact:
        return cls(id=id)

    @strawberry.field(
        description="Campaigns the contact is a member of, for whoever may read the contact: whole where the "
        "caller may read the campaign, else its membership only (no budget nor goal revenue)."
    )
    async def campaigns(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Campaign]:
        return await member_campaigns(info, CampaignFilter(contact_id=uid(self.id)), first, after)

    @strawberry.field(description="Where the contact stands, per channel." + SECTION)
    async def consents(self, info: Info) -> list[ConsentState] | None:
        async with info.context.uow() as uow:
            return [ConsentState.of(s) for s in await consent.states(uow, info.context.principal, uid(self.id))]

    @strawberry.field(description="The contact's opens, clicks and responses to marketing messages." + SECTION)
    async def engagement(
        self, info: Info
    ) -> Annotated[Engagement, strawberry.lazy("marketing.graphql.segments")] | None:
        from marketing.graphql.segments import contact_engagement

        return await contact_engagement(info, self.id)


# a page's campaigns have their sums and their sending counted together, in one unit of work each


async def _budget_totals(context: RequestContext, campaign_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    async with context.uow() as uow:
        return await Campaigns(uow).budget_totals(campaign_ids)


async def _actual_costs(context: RequestContext, campaign_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    async with context.uow() as uow:
        return await Campaigns(uow).actual_costs(campaign_ids)


async def _send_progress(
    context: RequestContext, campaign_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, sending.Progress]:
    async with context.uow() as uow:
        return await sending.progress(uow, campaign_ids)
