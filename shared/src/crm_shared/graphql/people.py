"""The people records name (owners, assignees, approvers), as every subgraph but identity shows them.

Identity owns `User`. The other subgraphs name users by id and show their display name themselves
(`@shareable`), from the directory kept from identity's events, so a page of records with their owners'
names is one fetch, not one more to identity per page. Names show to whoever sees the record, as identity
shows them; everything else about a person comes from identity, and so does a person asked for by id alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import strawberry
from sqlalchemy import select
from sqlmodel import col
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from crm_shared.auth.directory import DirectoryUser
from crm_shared.errors import NotFound
from crm_shared.graphql.context import Info, RequestContext

STUB = Key(fields=FieldSet("id"), resolvable=False)


@strawberry.federation.type(keys=[STUB], description="A person who uses the CRM.")
class User:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Never by id alone: the key is not resolvable here (the gateway asks identity), so a direct call naming
        any user, signed in or not, learns nothing."""
        raise NotFound(entity="User")

    @classmethod
    def ref(cls, user_id: uuid.UUID | str | None) -> User | None:
        return cls(id=strawberry.ID(str(user_id))) if user_id else None

    @strawberry.federation.field(shareable=True, description="The name the user goes by.")
    async def display_name(self, info: Info) -> str:
        return await info.context.batch(_names, "User").load(uuid.UUID(self.id))


async def _names(context: RequestContext, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    async with context.uow() as uow:
        query = select(col(DirectoryUser.user_id), col(DirectoryUser.display_name))
        rows = await uow.session.execute(query.where(col(DirectoryUser.user_id).in_(user_ids)))
    return {user_id: name for user_id, name in rows}
