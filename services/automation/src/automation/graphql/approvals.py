"""Approval chains, what waits on the caller, deciding, delegating and ending a delegation; and the approval on
its subject, which automation adds to sales' `Quote` and `Contract` and marketing's `Campaign`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.scalars import JSON

from automation.approvals import chains, delegations, queries, service
from automation.approvals.models import Action, ApprovalStatus
from automation.approvals.models import Approval as ApprovalRow
from automation.approvals.models import ApprovalChain as ChainRow
from automation.approvals.models import Delegation as DelegationRow
from automation.graphql.types import optional_uid, uid
from crm_contracts.automation import SubjectKind
from crm_shared.graphql import Info
from crm_shared.graphql.people import User
from crm_shared.rows import from_row

strawberry.enum(SubjectKind, name="ApprovalSubjectKind")
strawberry.enum(ApprovalStatus, name="ApprovalStatus")
strawberry.enum(Action, name="ApprovalAction")
STUB = Key(fields=FieldSet("id"), resolvable=False)


def _id(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


def _users(ids: list[Any]) -> list[User]:
    return [User(id=strawberry.ID(str(u))) for u in ids]


@strawberry.type(description="An approval chain: the subjects it takes, tried in position order, and its levels.")
class ApprovalChain:
    id: strawberry.ID
    name: str
    subject_kind: SubjectKind
    position: int
    active: bool
    conditions: JSON = strawberry.field(description="Conditions on the submission event, as in workflows.")
    levels: JSON = strawberry.field(
        description="Levels in order: name, approvers (user, role, manager level), mode ALL/ANY/MIN with min, "
        "conditions, remindAfterHours, escalateAfterHours with escalateTo."
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: ChainRow) -> ApprovalChain:
        return from_row(cls, row, id=_id(row.id))


@strawberry.type
class ApprovalLevel:
    number: int
    name: str
    mode: str = strawberry.field(description="ALL, ANY or MIN.")
    needed: int = strawberry.field(description="How many approvers must approve.")
    approvers: list[User]


@strawberry.type(description="One line of an approval's history.")
class ApprovalHistoryEntry:
    level: int
    action: Action
    actor: User | None
    on_behalf_of: User | None = strawberry.field(description="The approver a delegate decided for.")
    comment: str | None
    at: dt.datetime


@strawberry.type(description="A quote, contract or campaign budget going through its chain's levels.")
class Approval:
    id: strawberry.ID
    subject_kind: SubjectKind
    subject_id: strawberry.ID
    title: str
    amount: str | None
    currency: str | None
    discount: str | None = strawberry.field(description="A quote's effective discount, in percent.")
    chain_name: str
    status: ApprovalStatus
    level: int = strawberry.field(description="The level waiting (the last one once decided), from 1.")
    level_count: int
    requester: User | None
    current_approvers: list[User]
    final_approver: User | None
    comment: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    row: strawberry.Private[ApprovalRow]

    @classmethod
    def of(cls, row: ApprovalRow) -> Approval:
        return cls(
            id=_id(row.id),
            subject_kind=row.subject_kind,
            subject_id=_id(row.subject_id),
            title=row.title,
            amount=row.amount,
            currency=row.currency,
            discount=row.discount,
            chain_name=row.chain_name,
            status=row.status,
            level=row.level,
            level_count=len(row.levels),
            requester=User.ref(row.requester_id),
            current_approvers=_users(row.current_approvers),
            final_approver=User.ref(row.final_approver_id),
            comment=row.comment,
            created_at=row.created_at,
            decided_at=row.decided_at,
            row=row,
        )

    @strawberry.field
    def levels(self) -> list[ApprovalLevel]:
        return [
            ApprovalLevel(
                number=n, name=lv["name"], mode=lv["mode"], needed=lv["needed"], approvers=_users(lv["approvers"])
            )
            for n, lv in enumerate(self.row.levels, start=1)
        ]

    @strawberry.field
    async def history(self, info: Info) -> list[ApprovalHistoryEntry]:
        async with info.context.uow() as uow:
            rows = await queries.history(uow, self.row.id)
        return [
            ApprovalHistoryEntry(
                level=r.level,
                action=r.action,
                actor=User.ref(r.actor_id),
                on_behalf_of=User.ref(r.on_behalf_of),
                comment=r.comment,
                at=r.at,
            )
            for r in rows
        ]


@strawberry.type(description="While away, the delegate decides what waits on the caller.")
class ApprovalDelegation:
    id: strawberry.ID
    delegate: User
    starts_at: dt.datetime
    ends_at: dt.datetime

    @classmethod
    def of(cls, row: DelegationRow) -> ApprovalDelegation:
        delegate = User(id=strawberry.ID(str(row.delegate_id)))
        return cls(id=_id(row.id), delegate=delegate, starts_at=row.starts_at, ends_at=row.ends_at)


async def _of_subject(info: Info, kind: SubjectKind, subject_id: str) -> Approval | None:
    async with info.context.uow() as uow:
        row = await queries.of_subject(uow, info.context.principal, kind, uid(strawberry.ID(subject_id)))
        return Approval.of(row) if row else None


@strawberry.federation.type(keys=["id"], description="A quote (报价) version.")
class Quote:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Quote:
        return cls(id=id)

    @strawberry.field(description="Its latest approval: level, approvers and history.")
    async def approval(self, info: Info) -> Approval | None:
        return await _of_subject(info, SubjectKind.QUOTE, self.id)


@strawberry.federation.type(keys=["id"], description="A contract (合同).")
class Contract:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Contract:
        return cls(id=id)

    @strawberry.field(description="Its latest approval: level, approvers and history.")
    async def approval(self, info: Info) -> Approval | None:
        return await _of_subject(info, SubjectKind.CONTRACT, self.id)


@strawberry.federation.type(keys=["id"], description="A marketing campaign (市场活动).")
class Campaign:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Campaign:
        return cls(id=id)

    @strawberry.field(description="The latest approval of its budget: level, approvers and history.")
    async def budget_approval(self, info: Info) -> Approval | None:
        return await _of_subject(info, SubjectKind.CAMPAIGN_BUDGET, self.id)


@strawberry.input
class ApprovalChainInput:
    name: str
    subject_kind: SubjectKind
    levels: JSON
    conditions: JSON | None = None
    position: int = 0
    active: bool = True

    def command(self) -> chains.ChainInput:
        return chains.ChainInput(self.name, self.subject_kind, self.conditions, self.levels, self.position, self.active)


@strawberry.type
class Query:
    @strawberry.field(description="Administrators': every chain, by subject kind and position.")
    async def approval_chains(self, info: Info, subject_kind: SubjectKind | None = None) -> list[ApprovalChain]:
        async with info.context.uow() as uow:
            return [ApprovalChain.of(c) for c in await chains.listed(uow, info.context.principal, subject_kind)]

    @strawberry.field(description="What waits on the caller's decision, as approver or delegate; oldest first.")
    async def my_approvals(self, info: Info) -> list[Approval]:
        async with info.context.uow() as uow:
            return [Approval.of(a) for a in await queries.waiting_on(uow, info.context.principal)]

    @strawberry.field(description="The caller's delegations not yet over.")
    async def my_approval_delegations(self, info: Info) -> list[ApprovalDelegation]:
        async with info.context.uow() as uow:
            return [ApprovalDelegation.of(d) for d in await delegations.mine(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create (no id) or change a chain; approvals already open keep their levels.")
    async def save_approval_chain(
        self, info: Info, input: ApprovalChainInput, id: strawberry.ID | None = None
    ) -> ApprovalChain:
        async with info.context.uow() as uow:
            saved = await chains.save(uow, info.context.principal, optional_uid(id), input.command())
            return ApprovalChain.of(saved)

    @strawberry.mutation(description="Approve at the level waiting; the last level's approval decides it.")
    async def approve(self, info: Info, id: strawberry.ID, comment: str | None = None) -> Approval:
        async with info.context.uow() as uow:
            return Approval.of(await service.decide(uow, info.context.principal, uid(id), True, comment))

    @strawberry.mutation(description="Reject, with the reason: the approval ends rejected.")
    async def reject(self, info: Info, id: strawberry.ID, comment: str) -> Approval:
        async with info.context.uow() as uow:
            return Approval.of(await service.decide(uow, info.context.principal, uid(id), False, comment))

    @strawberry.mutation(
        description="From `from` until `until`, the user decides what waits on the caller: someone who may read it, "
        "one delegation at a time (CONFLICT while another overlaps), never someone who stands in for the caller then."
    )
    async def delegate_approvals(
        self,
        info: Info,
        to_user_id: strawberry.ID,
        until: dt.datetime,
        from_: Annotated[dt.datetime | None, strawberry.argument(name="from", description="Now when absent.")] = None,
    ) -> ApprovalDelegation:
        async with info.context.uow() as uow:
            row = await delegations.delegate(uow, info.context.principal, uid(to_user_id), from_, until)
            return ApprovalDelegation.of(row)

    @strawberry.mutation(
        description="End the caller's delegation now (administrators: anyone's); one not yet begun never begins."
    )
    async def end_approval_delegation(self, info: Info, id: strawberry.ID) -> ApprovalDelegation:
        async with info.context.uow() as uow:
            return ApprovalDelegation.of(await delegations.end(uow, info.context.principal, uid(id)))
