"""Segment queries and mutations, and the engagement marketing adds to accounts and contacts: thin, each
one call into the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from enum import Enum

import strawberry

from crm_shared.db.pages import EXACT_UP_TO
from crm_shared.graphql import Connection, Info
from crm_shared.graphql.context import RequestContext
from marketing.audience import ContactRef
from marketing.graphql.types import User, gid, optional_uid, uid
from marketing.segments import counts, engagement, rules
from marketing.segments import service as segments
from marketing.segments.models import Segment as SegmentRow

strawberry.enum(rules.Match, name="SegmentMatch")
strawberry.enum(rules.Subject, name="SegmentField", description="What a condition looks at.")
strawberry.enum(rules.Operator, name="SegmentOperator")


@strawberry.enum(description="DYNAMIC: members follow the rules as events arrive; STATIC: a list edited by hand.")
class SegmentKind(Enum):
    DYNAMIC = "dynamic"
    STATIC = "static"


@strawberry.input(description="One condition; `value` for one value, `values` for IN, `days` for the last N days.")
class SegmentConditionInput:
    field: rules.Subject
    operator: rules.Operator
    value: str | None = strawberry.field(default=None, description="A text, a number or a date (YYYY-MM-DD).")
    values: list[str] | None = None
    days: int | None = None
    key: str | None = strawberry.field(default=None, description="The custom field's name, for CUSTOM.")


@strawberry.input(description="All (or any) of its conditions and groups hold.")
class SegmentRulesInput:
    match: rules.Match = rules.Match.ALL
    conditions: list[SegmentConditionInput] | None = None
    groups: list[SegmentRulesInput] | None = None

    def group(self) -> rules.Group:
        return rules.Group(
            match=self.match,
            conditions=tuple(
                rules.Condition(
                    subject=c.field,
                    operator=c.operator,
                    value=c.value,
                    values=tuple(c.values or ()),
                    days=c.days,
                    key=c.key,
                )
                for c in self.conditions or []
            ),
            groups=tuple(g.group() for g in self.groups or []),
        )


@strawberry.input
class SaveSegmentInput:
    name: str
    kind: SegmentKind = SegmentKind.DYNAMIC
    description: str | None = None
    rules: SegmentRulesInput | None = strawberry.field(default=None, description="For a DYNAMIC segment.")
    add_contact_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="For a STATIC list.")
    remove_contact_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="For a STATIC list.")


@strawberry.type
class SegmentCondition:
    field: rules.Subject
    operator: rules.Operator
    value: str | None
    values: list[str]
    days: int | None
    key: str | None


@strawberry.type
class SegmentRules:
    match: rules.Match
    conditions: list[SegmentCondition]
    groups: list[SegmentRules]

    @classmethod
    def of(cls, group: rules.Group) -> SegmentRules:
        conditions = [
            SegmentCondition(
                field=c.subject, operator=c.operator, value=c.value, values=list(c.values), days=c.days, key=c.key
            )
            for c in group.conditions
        ]
        return cls(match=group.match, conditions=conditions, groups=[cls.of(g) for g in group.groups])


@strawberry.type(description="A contact in a segment or a preview.")
class SegmentContact:
    id: strawberry.ID
    name: str
    account_id: strawberry.ID | None

    @classmethod
    def of(cls, row: ContactRef) -> SegmentContact:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, account_id=gid(row.account_id))


@strawberry.type(description="What rules would select now: how many contacts, and a few of them.")
class SegmentPreview:
    count: int = strawberry.field(description="Exact, or estimated from a sample when countIsExact is false.")
    count_is_exact: bool = strawberry.field(
        description=f"False above {EXACT_UP_TO:,} matches among more than {counts.EXACT_ROWS:,} contacts: "
        "the count is then an estimate from a sample."
    )
    samples: list[SegmentContact]


@strawberry.type(description="A segment (客户细分): contacts selected by rules, or a list kept by hand.")
class Segment:
    id: strawberry.ID
    row: strawberry.Private[SegmentRow]

    @classmethod
    def of(cls, row: SegmentRow) -> Segment:
        return cls(id=strawberry.ID(str(row.id)), row=row)

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def description(self) -> str:
        return self.row.description

    @strawberry.field
    def kind(self) -> SegmentKind:
        return SegmentKind(self.row.kind)

    @strawberry.field
    def rules(self) -> SegmentRules | None:
        return SegmentRules.of(rules.Group.model_validate(self.row.rules)) if self.row.rules else None

    @strawberry.field
    def owner(self) -> User | None:
        return User.ref(self.row.owner_id)

    @strawberry.field(description="Members among the contacts the caller may see.")
    async def member_count(self, info: Info) -> int:
        return await info.context.batch(_member_counts, "Segment").load(self.row.id)

    @strawberry.field(description="Members the caller may see, by name.")
    async def members(self, info: Info, first: int = 50, after: str | None = None) -> Connection[SegmentContact]:
        async with info.context.uow() as uow:
            found = await segments.members(uow, info.context.principal, self.row, first, after)
            return Connection.of(found, SegmentContact.of)

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def updated_at(self) -> dt.datetime:
        return self.row.updated_at


@strawberry.type(description="Opens, clicks and responses to marketing messages, with the latest of each.")
class Engagement:
    opened: int
    last_opened_at: dt.datetime | None
    clicked: int
    last_clicked_at: dt.datetime | None
    responded: int
    last_responded_at: dt.datetime | None

    @classmethod
    def of(cls, found: engagement.Engagement) -> Engagement:
        return cls(**vars(found))


@strawberry.type
class Query:
    @strawberry.field(description="Segments the caller may see, latest change first.")
    async def segments(
        self, info: Info, search: str | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Segment]:
        async with info.context.uow() as uow:
            return Connection.of(await segments.find(uow, info.context.principal, search, first, after), Segment.of)

    @strawberry.field
    async def segment(self, info: Info, id: strawberry.ID) -> Segment:
        async with info.context.uow() as uow:
            return Segment.of(await segments.get(uow, info.context.principal, uid(id)))

    @strawberry.field(description="The live count of contacts the rules select (those the caller may see), unsaved.")
    async def segment_preview(self, info: Info, rules: SegmentRulesInput) -> SegmentPreview:
        async with info.context.uow() as uow:
            found = await segments.preview(uow, info.context.principal, rules.group())
        return SegmentPreview(
            count=found.count.value,
            count_is_exact=found.count.exact,
            samples=[SegmentContact.of(c) for c in found.samples],
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a segment (without id) or change one; its members follow at once.")
    async def save_segment(self, info: Info, input: SaveSegmentInput, id: strawberry.ID | None = None) -> Segment:
        data = segments.SegmentInput(
            name=input.name,
            kind=input.kind.value,
            description=input.description,
            rules=input.rules.group() if input.rules is not None else None,
            add_contact_ids=[uid(c) for c in input.add_contact_ids or []],
            remove_contact_ids=[uid(c) for c in input.remove_contact_ids or []],
        )
        async with info.context.uow() as uow:
            return Segment.of(await segments.save(uow, info.context.principal, optional_uid(id), data))

    @strawberry.mutation(description="Delete a segment and its members; refused while a journey starts from it.")
    async def delete_segment(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await segments.remove(uow, info.context.principal, uid(id))
        return True


async def contact_engagement(info: Info, contact_id: strawberry.ID) -> Engagement:
    async with info.context.uow() as uow:
        return Engagement.of(await engagement.of_contact(uow, info.context.principal, uid(contact_id)))


async def account_engagement(info: Info, account_id: strawberry.ID) -> Engagement:
    async with info.context.uow() as uow:
        return Engagement.of(await engagement.of_account(uow, info.context.principal, uid(account_id)))


async def _member_counts(context: RequestContext, segment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The member counts of every segment a response shows (a page of 20), in one statement."""
    async with context.uow() as uow:
        return await segments.member_counts(uow, context.principal, segment_ids)
