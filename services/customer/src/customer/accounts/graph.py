"""The relationship graph (客户关系图谱): typed links between accounts, and an account's network.

A link (from, to, kind) reads "to is from's <kind>": (a, b, "parent") makes b the parent of a.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import note as text_note
from crm_shared.validate import whole
from customer import normalise as norm
from customer.accounts.models import LINK_KINDS, Account, AccountLink
from customer.accounts.repository import Accounts
from customer.contacts.models import ROLES, Contact, ContactAccountLink
from customer.contacts.repository import Contacts
from customer.events import AccountLinked, ContactLinked

INVERSE = {"parent": "subsidiary", "subsidiary": "parent", "supplier": "customer", "customer": "supplier"}


@dataclass(frozen=True)
class NetworkNode:
    account: Account
    depth: int
    path: list[uuid.UUID]  # account ids from the start to this node
    relations: list[str]  # the link kind of each step, as seen from the previous account


async def link(
    uow: UnitOfWork, principal: Principal, from_id: uuid.UUID, to_id: uuid.UUID, kind: str, note: str = ""
) -> AccountLink:
    if kind not in LINK_KINDS:
        raise BadInput("one_of", field="kind", choices=", ".join(LINK_KINDS))
    if from_id == to_id:
        raise BadInput("self_link", field="toId")
    accounts = Accounts(uow, principal)
    await accounts.get(from_id, "update")
    await accounts.get(to_id)
    exists = await uow.session.scalar(
        select(col(AccountLink.id)).where(
            col(AccountLink.from_id) == from_id, col(AccountLink.to_id) == to_id, col(AccountLink.kind) == kind
        )
    )
    if exists:
        raise Conflict("link_exists")
    link = AccountLink(
        from_id=from_id, to_id=to_id, kind=kind, note=text_note(note, "note", 300), created_by=principal.user_id
    )
    uow.session.add(link)
    await audit.published(uow, AccountLinked(from_id=from_id, to_id=to_id, kind=kind), "Account", from_id)
    return link


async def link_contact(
    uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID, account_id: uuid.UUID, role: str
) -> ContactAccountLink:
    """Give a contact a role at a further account; accounts sharing a contact become neighbours."""
    role = norm.choice(role, "role", ROLES) or "other"
    contact = await Contacts(uow, principal).get(contact_id)
    await Accounts(uow, principal).get(account_id, "update")
    if contact.account_id == account_id or await uow.session.scalar(
        select(col(ContactAccountLink.id)).where(
            col(ContactAccountLink.contact_id) == contact_id, col(ContactAccountLink.account_id) == account_id
        )
    ):
        raise Conflict("link_exists")
    link = ContactAccountLink(contact_id=contact_id, account_id=account_id, role=role, created_by=principal.user_id)
    uow.session.add(link)
    await audit.published(
        uow, ContactLinked(contact_id=contact_id, account_id=account_id, role=role), "Contact", contact_id
    )
    return link


async def network(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, depth: int) -> list[NetworkNode]:
    """Accounts reachable within `depth` (1-3) links, each with the shortest path; only what the caller may see."""
    whole(depth, "depth", 1, 3)
    accounts = Accounts(uow, principal)
    start = await accounts.get(account_id)
    nodes = {start.id: NetworkNode(start, 0, [start.id], [])}
    frontier = [start.id]
    for level in range(1, depth + 1):
        next_frontier = []
        for edge in await _edges(uow, frontier):
            for here, there, kind in edge:
                if here not in frontier or there in nodes:
                    continue
                account = await uow.session.get(Account, there)
                if account is None or account.deleted_at or not await accounts.reaches(account):
                    continue
                parent = nodes[here]
                nodes[there] = NetworkNode(account, level, [*parent.path, there], [*parent.relations, kind])
                next_frontier.append(there)
        frontier = next_frontier
    return sorted(nodes.values(), key=lambda n: (n.depth, n.account.name))


async def _edges(uow: UnitOfWork, frontier: list[uuid.UUID]) -> list[tuple[tuple[uuid.UUID, uuid.UUID, str], ...]]:
    """Both directions of every account link, and of every contact two accounts share."""
    links = (
        await uow.session.scalars(
            select(AccountLink).where(or_(col(AccountLink.from_id).in_(frontier), col(AccountLink.to_id).in_(frontier)))
        )
    ).all()
    edges: list[tuple[tuple[uuid.UUID, uuid.UUID, str], ...]] = [
        ((link.from_id, link.to_id, link.kind), (link.to_id, link.from_id, INVERSE.get(link.kind, link.kind)))
        for link in links
    ]
    shared = await uow.session.execute(
        select(col(Contact.account_id), col(ContactAccountLink.account_id), col(Contact.name))
        .join(ContactAccountLink, col(ContactAccountLink.contact_id) == col(Contact.id))
        .where(
            col(Contact.deleted_at).is_(None),
            or_(col(Contact.account_id).in_(frontier), col(ContactAccountLink.account_id).in_(frontier)),
        )
    )
    for home, other, name in shared.all():
        if home is not None:  # a contact of no account of its own links nothing
            edges.append(((home, other, f"contact:{name}"), (other, home, f"contact:{name}")))
    return edges
