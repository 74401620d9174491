"""Which tickets a caller reaches.

Agents work on the tickets assigned to them or to a team they belong to; with scope `unit` or
`subtree` on `support:ticket`, on those of their unit's teams or below (service managers). An
account's owner and the managers above them (of the owner's unit or a unit over it, in identity's
organisation tree) read the account's tickets without a support permission, but change none of
them; reading the account is not enough (a colleague, a marketer who reads every account).
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import among, members_of, scope_filter, unit_of
from crm_shared.auth.principal import DataScope, Principal
from crm_shared.db.repository import Repository
from crm_shared.errors import Forbidden, NotFound
from crm_shared.org import managed_by
from support.assignment.models import TeamMember
from support.tickets.models import Ticket

RESOURCE = "support:ticket"


class Tickets(Repository[Ticket]):
    """Tickets reach their agents by assignment, team and unit, and their account's owners (reading only)."""

    model = Ticket
    resource = RESOURCE

    async def get(self, ticket_id: uuid.UUID, action: str = "read", *, lock: bool = False) -> Ticket:
        """The ticket if the caller reaches it for `action`; NOT_FOUND when they cannot even read it."""
        ticket = await self.session.get(Ticket, ticket_id, with_for_update=lock)
        p = self.principal
        if ticket is None or (p is not None and not await self.reaches(ticket)):
            raise NotFound(entity="Ticket")
        if p is not None and action != "read":  # reading was decided by `reaches`: as an agent, or as the owner
            p.require(f"{RESOURCE}:{action}")
            if not await self.works_on(ticket):
                raise Forbidden(permission=f"{RESOURCE}:{action}")  # read as the account's owner, not worked on
        return ticket

    async def works_on(self, ticket: Ticket) -> bool:
        p = self.principal
        if p is None:
            return True
        if not p.can(f"{RESOURCE}:read"):
            return False
        scope = p.scope(RESOURCE)
        if scope is DataScope.ALL or ticket.assignee_id == p.user_id or ticket.unit_id in self._units(p):
            return True
        if ticket.team_id is None:
            return False
        member = await self.session.get(TeamMember, (ticket.team_id, p.user_id))
        return member is not None

    async def reaches(self, ticket: Ticket) -> bool:
        if await self.works_on(ticket):
            return True
        return ticket.account_id is not None and await self.owns_account(ticket.account_id)

    async def reaches_account(self, account_id: uuid.UUID) -> bool:
        """Whether the caller reads what support keeps of the account (its satisfaction, its installed base): support
        staff serve every customer; anyone else as they read its tickets, as `owns_account`."""
        p = self.principal
        return p is None or p.can(f"{RESOURCE}:read") or await self.owns_account(account_id)

    async def owns_account(self, account_id: uuid.UUID) -> bool:
        """Whether the caller is the account's owner or a manager above them (and reads the account)."""
        p = self.principal
        if p is None or not p.can("customer:account:read"):
            return False
        account = await self.session.get(AccountRef, account_id)
        owner = account.owner_id if account else None
        if owner is None:
            return False
        unit = await unit_of(self.uow, owner)
        if owner != p.user_id and unit not in await managed_by(self.uow, p.user_id):
            return False
        return p.may_access("customer:account", owner, unit)

    async def visible(self) -> ColumnElement[bool]:
        """The same rule as `reaches`, as a WHERE clause."""
        p = self.principal
        if p is None:
            return true()
        clauses: list[ColumnElement[bool]] = []
        if p.can(f"{RESOURCE}:read"):
            if p.scope(RESOURCE) is DataScope.ALL:
                return true()
            teams = select(col(TeamMember.team_id)).where(col(TeamMember.user_id) == p.user_id)
            clauses += [col(Ticket.assignee_id) == p.user_id, col(Ticket.team_id).in_(teams)]
            if units := self._units(p):
                clauses.append(col(Ticket.unit_id).in_(units))
        if p.can("customer:account:read"):
            owner = col(AccountRef.owner_id)
            owners = and_(
                among(owner, await self._owners(p)), await scope_filter(self.session, p, "customer:account", owner)
            )
            clauses.append(col(Ticket.account_id).in_(select(col(AccountRef.id)).where(owners)))
        return or_(*clauses) if clauses else false()

    async def _owners(self, p: Principal) -> set[uuid.UUID]:
        """The caller and the people of the units they manage, and below: whose accounts' tickets they read."""
        managed = await managed_by(self.uow, p.user_id)
        return {p.user_id, *(await members_of(self.session, managed) if managed else ())}

    @staticmethod
    def _units(p: Principal) -> set[uuid.UUID]:
        scope = p.scope(RESOURCE)
        units = {p.unit_id} if scope is DataScope.UNIT else set()
        if scope is DataScope.SUBTREE:
            units = {p.unit_id, *p.subtree_unit_ids}
        units.discard(None)
        return units  # type: ignore[return-value]
