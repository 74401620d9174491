"""The sales repositories: each record has an owner; a rep reaches their own, a manager their unit's.

Built on the platform's `Repository`, so a record outside the caller's scope answers NOT_FOUND exactly
like a missing one, and lists use the same rule as a WHERE clause. Lists are newest first.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, get_args

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col

from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import DataScope, Principal
from crm_shared.db.pages import Order, Page
from crm_shared.db.repository import Repository
from crm_shared.errors import Forbidden
from sales.contracts.models import Contract
from sales.leads.models import Lead
from sales.opportunities.models import Opportunity
from sales.orders.models import Invoice, Payment
from sales.orders.models import Order as OrderRow
from sales.products.models import Product
from sales.quotes.models import Quote

M = TypeVar("M")


class Owned(Repository[M]):
    def __init_subclass__(cls, **kwargs: Any) -> None:
        """The model is the generic argument and the resource its name, so no repository spells them out."""
        super().__init_subclass__(**kwargs)
        cls.model = get_args(cls.__dict__["__orig_bases__"][0])[0]
        cls.resource = f"sales:{cls.model.__name__.lower()}"

    async def newest(self, where: list[Any], first: int, after: str | None, **equal: Any) -> Page[M]:
        """Visible rows whose `equal` columns hold the given values (None: any) and matching `where`, newest first
        by (created_at, id); the count runs only when asked."""
        same = [getattr(self.model, name) == value for name, value in equal.items() if value is not None]
        query = await self.select(*same, *where)
        return await self.page(query, Order.by(self.model.created_at, self.model.id, descending=True), first, after)

    async def require_for(self, action: str, owner: uuid.UUID) -> None:
        """`action` on a record of this kind owned by `owner` that an operation on another record makes or changes
        too (the order an accepted quote makes, the opportunity it wins): FORBIDDEN without the permission or
        outside the caller's scope. The caller reached the record they acted on, so the refusal hides nothing."""
        if self.principal is None:
            return
        permission = f"{self.resource}:{action}"
        self.principal.require(permission)
        if not self.principal.may_access(self.resource, owner, await unit_of(self.uow, owner)):
            raise Forbidden(permission=permission)


class Opportunities(Owned[Opportunity]): ...


class Quotes(Owned[Quote]): ...


class Contracts(Owned[Contract]): ...


class Orders(Owned[OrderRow]): ...


class Invoices(Owned[Invoice]): ...


class Payments(Owned[Payment]):
    """Owned by the invoice's owner, whose collections they count toward."""


class Products(Owned[Product]):
    """The catalogue has no owner: whoever may read products sees them all."""

    async def reaches(self, row: Product) -> bool:
        return True

    async def visible(self) -> ColumnElement[bool]:
        return true()


def routes_unassigned(principal: Principal) -> bool:
    """Who assigns leads beyond their own sees the unassigned ones (and the web form's spam)."""
    return principal.can("sales:lead:assign") and principal.scope("sales:lead") is not DataScope.OWN


class Leads(Owned[Lead]):
    """Unassigned leads are reached too by those who assign beyond their own."""

    def sees_unassigned(self) -> bool:
        return self.principal is None or routes_unassigned(self.principal)

    async def reaches(self, row: Lead) -> bool:
        return self.sees_unassigned() if row.owner_id is None else await super().reaches(row)

    async def visible(self) -> ColumnElement[bool]:
        owned = await super().visible()
        return or_(owned, col(Lead.owner_id).is_(None)) if self.sees_unassigned() else owned
