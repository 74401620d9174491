"""The caller's notifications and preferences."""

from __future__ import annotations

import strawberry

from automation.graphql.types import Notification, NotificationPreference, uid
from automation.notifications import service as notifications
from automation.notifications.models import Kind
from crm_shared.graphql import Connection, Info


@strawberry.input
class NotificationPreferenceInput:
    kind: Kind
    in_app: bool = True
    email: bool = False
    digest: bool = False


@strawberry.type
class Query:
    @strawberry.field(description="The caller's inbox, newest first.")
    async def notifications(
        self, info: Info, unread_only: bool = False, first: int = 20, after: str | None = None
    ) -> Connection[Notification]:
        async with info.context.uow() as uow:
            found = await notifications.inbox(uow, info.context.principal, unread_only, first, after)
            return Connection.of(found, Notification.of)

    @strawberry.field
    async def unread_notification_count(self, info: Info) -> int:
        async with info.context.uow() as uow:
            return await notifications.unread_count(uow, info.context.principal)

    @strawberry.field
    async def notification_preferences(self, info: Info) -> list[NotificationPreference]:
        async with info.context.uow() as uow:
            return [NotificationPreference.of(p) for p in await notifications.preferences(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Marks the given notifications read, or all of the caller's; returns how many.")
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID] | None = None) -> int:
        async with info.context.uow() as uow:
            chosen = [uid(i) for i in ids] if ids is not None else None
            return await notifications.mark_read(uow, info.context.principal, chosen)

    @strawberry.mutation
    async def save_notification_preferences(
        self, info: Info, input: list[NotificationPreferenceInput]
    ) -> list[NotificationPreference]:
        choices = [notifications.PreferenceInput(p.kind.value, p.in_app, p.email, p.digest) for p in input]
        async with info.context.uow() as uow:
            saved = await notifications.save_preferences(uow, info.context.principal, choices)
            return [NotificationPreference.of(p) for p in saved]
