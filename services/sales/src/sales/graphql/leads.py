"""Lead queries and mutations: thin, each one call into the service layer."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from crm_contracts.sales import LeadStatus
from crm_shared.graphql import Connection, Info
from sales.commands import uid
from sales.graphql.inputs import AssignmentRuleInput, CreateLeadInput, LeadFilter, UpdateLeadInput
from sales.graphql.types import Lead, User, from_row, listed, services
from sales.leads import intake, rules
from sales.leads import service as leads
from sales.leads.models import AssignmentRule as RuleRow


def _id(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))


@strawberry.type
class AssignmentRule:
    id: strawberry.ID
    name: str
    method: str
    priority: int
    provinces: list[str]
    industries: list[str]
    sources: list[str]
    unit_id: strawberry.ID | None
    members: list[User]
    active: bool

    @classmethod
    def of(cls, r: RuleRow) -> AssignmentRule:
        return from_row(cls, r, members=[User(id=strawberry.ID(m)) for m in r.member_ids])


@strawberry.type
class ScoringRule:
    id: strawberry.ID
    field: str
    value: str
    points: int


@strawberry.type
class RejectedRow:
    row: int
    field: str | None
    message: str


@strawberry.type
class LeadImport:
    imported: int
    rejected: list[RejectedRow]


@strawberry.type(description="A web-form submission taken for spam, kept 30 days for review.")
class QuarantinedSubmission:
    id: strawberry.ID
    company: str
    contact_name: str
    phone: str | None = strawberry.field(description="Masked for roles that may not see it.")
    email: str | None = strawberry.field(description="Masked for roles that may not see it.")
    title: str | None
    province: str | None
    city: str | None
    message: str
    reason: str = strawberry.field(description="honeypot, too fast, link in a name, disposable email")
    received_at: dt.datetime

    @classmethod
    def of(cls, v: intake.QuarantinedView) -> QuarantinedSubmission:
        d = v.submission
        return cls(
            id=strawberry.ID(str(v.row.id)),
            company=v.row.company,
            contact_name=v.row.contact_name,
            phone=d.phone,
            email=d.email,
            title=d.title,
            province=d.province,
            city=d.city,
            message=d.notes or "",
            reason=v.row.reason,
            received_at=v.row.received_at,
        )


@strawberry.type
class Query:
    @strawberry.field(description="Leads the caller may see, newest first.")
    async def leads(
        self, info: Info, filter: LeadFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Lead]:
        return await listed(info, leads.page, Lead.of, (filter or LeadFilter()).command(), first, after)

    @strawberry.field
    async def lead(self, info: Info, id: strawberry.ID) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.get(uow, info.context.principal, _id(id)))

    @strawberry.field(description="The web form's spam of the last 30 days, newest first; for those who route leads.")
    async def quarantined_submissions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[QuarantinedSubmission]:
        return await listed(info, intake.quarantined, QuarantinedSubmission.of, first, after)

    @strawberry.field
    async def assignment_rules(self, info: Info) -> list[AssignmentRule]:
        async with info.context.uow() as uow:
            return [AssignmentRule.of(r) for r in await rules.assignment_rules(uow, info.context.principal)]

    @strawberry.field
    async def scoring_rules(self, info: Info) -> list[ScoringRule]:
        async with info.context.uow() as uow:
            rows = await rules.scoring_rules(uow, info.context.principal)
            return [from_row(ScoringRule, r) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Capture a lead; assignment rules pick its owner unless ownerId is given. An open lead "
        "with the same phone or email answers CONFLICT unless allowDuplicate."
    )
    async def create_lead(self, info: Info, input: CreateLeadInput, allow_duplicate: bool = False) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.create(uow, info.context.principal, input.command(), allow_duplicate))

    @strawberry.mutation
    async def update_lead(self, info: Info, id: strawberry.ID, input: UpdateLeadInput) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.update(uow, info.context.principal, _id(id), input.command()))

    @strawberry.mutation(description="Give the lead to another rep.")
    async def assign_lead(self, info: Info, id: strawberry.ID, owner_id: strawberry.ID) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.reassign(uow, info.context.principal, _id(id), _id(owner_id)))

    @strawberry.mutation(description="Record a call, email, meeting, visit or note; raises the score.")
    async def log_lead_activity(self, info: Info, id: strawberry.ID, kind: str, note: str = "") -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.log_activity(uow, info.context.principal, _id(id), kind, note))

    @strawberry.mutation
    async def qualify_lead(self, info: Info, id: strawberry.ID) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await leads.set_status(uow, info.context.principal, _id(id), LeadStatus.QUALIFIED, None))

    @strawberry.mutation
    async def disqualify_lead(self, info: Info, id: strawberry.ID, reason: str) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(
                await leads.set_status(uow, info.context.principal, _id(id), LeadStatus.DISQUALIFIED, reason)
            )

    @strawberry.mutation(
        description="Convert into an account, a contact and an opportunity; conversionStatus "
        "is pending until the customer service has answered."
    )
    async def convert_lead(self, info: Info, id: strawberry.ID) -> Lead:
        async with info.context.uow() as uow:
            return Lead.of(await services(info).conversion.request(uow, info.context.principal, _id(id)))

    @strawberry.mutation(
        description="Not spam after all: the submission becomes a web-form lead, assigned by the rules; "
        "null when they gave it to someone outside the caller's reach."
    )
    async def recover_submission(self, info: Info, id: strawberry.ID) -> Lead | None:
        async with info.context.uow() as uow:
            recovered = await intake.recover(uow, info.context.principal, _id(id))
            return Lead.of(recovered) if recovered else None

    @strawberry.mutation(description="Spam indeed: forget these submissions now; answers how many were removed.")
    async def discard_submissions(self, info: Info, ids: list[strawberry.ID]) -> int:
        async with info.context.uow() as uow:
            return await intake.discard(uow, info.context.principal, [_id(i) for i in ids])

    @strawberry.mutation(description="CSV with a header row (company/公司, contactName/联系人, phone/电话, ...).")
    async def import_leads(self, info: Info, content: str) -> LeadImport:
        async with info.context.uow() as uow:
            result = await services(info).intake.import_csv(uow, info.context.principal, content)
            return LeadImport(
                imported=result.imported,
                rejected=[RejectedRow(row=r, field=f, message=m) for r, f, m in result.rejected],
            )

    @strawberry.mutation(description="Create a rule, or replace the one with this id.")
    async def save_assignment_rule(
        self, info: Info, input: AssignmentRuleInput, id: strawberry.ID | None = None
    ) -> AssignmentRule:
        async with info.context.uow() as uow:
            rule = await rules.save_assignment_rule(uow, info.context.principal, input.command(), uid(id))
            return AssignmentRule.of(rule)

    @strawberry.mutation
    async def delete_assignment_rule(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await rules.delete_assignment_rule(uow, info.context.principal, _id(id))
            return True

    @strawberry.mutation(
        description="Fields: source, industry, province, city, title (contains), email, phone "
        "(present), activities (at least N)."
    )
    async def add_scoring_rule(self, info: Info, field: str, points: int, value: str = "") -> ScoringRule:
        async with info.context.uow() as uow:
            r = await rules.add_scoring_rule(uow, info.context.principal, field, value, points)
            return from_row(ScoringRule, r)

    @strawberry.mutation
    async def delete_scoring_rule(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await rules.delete_scoring_rule(uow, info.context.principal, _id(id))
            return True
