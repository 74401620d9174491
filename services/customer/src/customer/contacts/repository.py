"""Contacts are seen through their account: the caller reaches a contact when they reach its account."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import col

from crm_shared.db.repository import Repository
from crm_shared.errors import NotFound
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.contacts.models import Contact


class Contacts(Repository[Contact]):
    model = Contact
    resource = "customer:contact"

    async def get(self, row_id: uuid.UUID, action: str = "read", *, lock: bool = False) -> Contact:
        """The contact if the caller holds `customer:contact:<action>` and reaches its account."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:{action}")
        contact = await self.session.get(Contact, row_id, with_for_update=lock)
        if contact is None or contact.deleted_at is not None or contact.account_id is None:
            raise NotFound(entity="Contact")
        await Accounts(self.uow, self.principal).get(contact.account_id)
        return contact

    async def visible(self) -> ColumnElement[bool]:
        accounts = Accounts(self.uow, self.principal)
        reachable = select(col(Account.id)).where(await accounts.visible())
        return and_(col(Contact.deleted_at).is_(None), col(Contact.account_id).in_(reachable))

    async def same_person(self, contact: Any) -> Contact | None:
        """The one rule for "the same person": at the same account, the same phone or email; with neither, the name."""
        keys = [col(Contact.phone_hash) == contact.phone_hash] if contact.phone_hash else []
        keys += [col(Contact.email_hash) == contact.email_hash] if contact.email_hash else []
        query = select(Contact).where(
            Contact.account_id == contact.account_id,
            col(Contact.deleted_at).is_(None),
            or_(*keys) if keys else Contact.name == contact.name,
        )
        return (await self.session.scalars(query.limit(1))).first()
