"""Contacts are seen through their account: the caller reaches a contact when they reach its account."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import col

from crm_shared.db.repository import Repository
from crm_shared.errors import NotFound
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.contacts.models import Contact
from customer.normalise import name_key


class Contacts(Repository[Contact]):
    model = Contact
    resource = "customer:contact"

    async def check(self, row: Contact | None, action: str = "read") -> Contact:
        """The contact if the caller holds `customer:contact:<action>` and reaches its account; a contact at an
        account out of reach answers NOT_FOUND as a missing contact does, so nobody learns that either exists."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:{action}")
        if row is None or row.deleted_at is not None or not await self._account_reached(row):
            raise NotFound(entity="Contact")
        return row

    async def _account_reached(self, contact: Contact) -> bool:
        accounts = Accounts(self.uow, self.principal)
        account = await self.session.get(Account, contact.account_id) if contact.account_id else None
        return account is not None and accounts.alive(account) and await accounts.reaches(account)

    async def visible(self) -> ColumnElement[bool]:
        accounts = Accounts(self.uow, self.principal)
        reachable = select(col(Account.id)).where(await accounts.visible())
        return and_(col(Contact.deleted_at).is_(None), col(Contact.account_id).in_(reachable))

    async def same_person(self, contact: Any) -> Contact | None:
        return (await self.same_people([contact]))[0]

    async def same_people(self, contacts: list[Any]) -> list[Contact | None]:
        """For each contact, the first live one that is the same person."""
        return [found[0][0] if found else None for found in await self.matches(contacts)]

    async def matches(self, contacts: list[Any]) -> list[list[tuple[Contact, str]]]:
        """For each contact, the live ones that are the same person, each with the field it shares, in the order of
        `person_keys`, read in one statement for them all. Names compare by their key, which SQL does not know: where
        a name decides, the account's contacts are read."""
        if not contacts:
            return []
        phones = {c.phone_hash for c in contacts if c.phone_hash}
        emails = {c.email_hash for c in contacts if c.email_hash}
        by_name = {c.account_id for c in contacts if not (c.phone_hash or c.email_hash)}
        query = select(Contact).where(
            col(Contact.account_id).in_({c.account_id for c in contacts}),
            col(Contact.deleted_at).is_(None),
            or_(
                col(Contact.phone_hash).in_(phones),
                col(Contact.email_hash).in_(emails),
                col(Contact.account_id).in_(by_name),
            ),
        )
        found: dict[tuple[str, Any, Any], list[Contact]] = defaultdict(list)
        for row in (await self.session.scalars(query.order_by(col(Contact.created_at), col(Contact.id)))).all():
            for field, value in (("phone", row.phone_hash), ("email", row.email_hash), ("name", name_key(row.name))):
                found[(field, row.account_id, value)].append(row)
        return [[(row, key[0]) for key in person_keys(c) for row in found.get(key, [])] for c in contacts]


def person_keys(contact: Any) -> list[tuple[str, Any, Any]]:
    """The one rule for "the same person": at the same account, the same phone or email; with neither, the name
    (`name_key`: 张三 and 张\u200b三 are one name)."""
    if not (contact.phone_hash or contact.email_hash):
        return [("name", contact.account_id, name_key(contact.name))]
    keys = [("phone", contact.account_id, contact.phone_hash)] if contact.phone_hash else []
    return keys + ([("email", contact.account_id, contact.email_hash)] if contact.email_hash else [])
