"""Consent queries and mutations."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Info
from marketing.consent import service as consent
from marketing.consent.rules import Channel
from marketing.graphql.types import ConsentRecord, ConsentState, User, uid


@strawberry.input
class ConsentInput:
    contact_id: strawberry.ID
    channel: Channel
    granted: bool
    source: str = strawberry.field(default="manual", description="form, event, import, manual or contract.")
    note: str | None = None


@strawberry.type(description="A contact no send reaches, on any channel.")
class DoNotContactEntry:
    contact_id: strawberry.ID
    reason: str
    added_by: User | None
    added_at: dt.datetime


@strawberry.type
class Query:
    @strawberry.field(description="Where the contact stands on each channel.")
    async def consent(self, info: Info, contact_id: strawberry.ID) -> list[ConsentState]:
        async with info.context.uow() as uow:
            return [ConsentState.of(s) for s in await consent.states(uow, info.context.principal, uid(contact_id))]

    @strawberry.field(description="Every consent record of the contact, newest first.")
    async def consent_history(self, info: Info, contact_id: strawberry.ID) -> list[ConsentRecord]:
        async with info.context.uow() as uow:
            rows = await consent.history(uow, info.context.principal, uid(contact_id))
        return [
            ConsentRecord(
                channel=r.channel,
                granted=r.granted,
                source=r.source,
                note=r.note,
                recorded_by=User.ref(r.recorded_by),
                recorded_at=r.recorded_at,
            )
            for r in rows
        ]

    @strawberry.field(description="The do-not-contact list, latest first.")
    async def do_not_contact_list(self, info: Info) -> list[DoNotContactEntry]:
        async with info.context.uow() as uow:
            rows = await consent.do_not_contact_list(uow, info.context.principal)
        return [
            DoNotContactEntry(
                contact_id=strawberry.ID(str(r.contact_id)),
                reason=r.reason,
                added_by=User.ref(r.added_by),
                added_at=r.added_at,
            )
            for r in rows
        ]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="An opt-in or opt-out of the contact, with where it came from.")
    async def record_consent(self, info: Info, input: ConsentInput) -> ConsentState:
        contact = uid(input.contact_id)
        async with info.context.uow() as uow:
            p = info.context.principal
            await consent.record(uow, p, contact, input.channel, input.granted, input.source, input.note)
            [state] = [s for s in await consent.states(uow, p, contact) if s.channel is input.channel]
        return ConsentState.of(state)

    @strawberry.mutation(description="Put the contact on the do-not-contact list (listed: false takes them off).")
    async def set_do_not_contact(
        self, info: Info, contact_id: strawberry.ID, listed: bool, reason: str | None = None
    ) -> bool:
        async with info.context.uow() as uow:
            return await consent.set_do_not_contact(uow, info.context.principal, uid(contact_id), listed, reason)
