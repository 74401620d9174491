"""Canned responses: kept by those with `support:macro` permissions, filled in for a ticket an agent works on."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryUser
from crm_shared.auth.principal import Principal
from crm_shared.contacts import ContactRef
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import required_text
from support.macros import fields
from support.macros.models import Macro
from support.tickets.repository import Tickets
from support.tickets.states import shown

RESOURCE = "support:macro"


def merge_fields(principal: Principal) -> tuple[str, ...]:
    """What a macro may name, for those who read macros."""
    principal.require(f"{RESOURCE}:read")
    return fields.FIELDS


async def listed(uow: UnitOfWork, principal: Principal) -> list[Macro]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(Macro).order_by(col(Macro.name)))).all())


async def get(uow: UnitOfWork, principal: Principal, macro_id: uuid.UUID, action: str = "read") -> Macro:
    principal.require(f"{RESOURCE}:{action}")
    macro = await uow.session.get(Macro, macro_id)
    if macro is None:
        raise NotFound(entity="Macro")
    return macro


async def save(uow: UnitOfWork, principal: Principal, macro_id: uuid.UUID | None, name: str, body: str) -> Macro:
    macro = await get(uow, principal, macro_id, "update") if macro_id else None
    if macro is None:
        principal.require(f"{RESOURCE}:create")
    name = required_text(name, "name", 100)
    body = required_text(body, "body", 10000, multiline=True)
    if fields.unclosed(body):
        raise BadInput("unclosed_merge_field", field="body")
    if bad := fields.unknown(body):
        raise BadInput("unknown_merge_field", field="body", name=bad[0], known=", ".join(fields.FIELDS))
    same_name = select(col(Macro.id)).where(col(Macro.name) == name)
    clash = await uow.session.scalar(same_name.where(col(Macro.id) != macro.id) if macro else same_name)
    if clash is not None:
        raise Conflict("macro_name_taken", field="name")
    before = {"name": macro.name, "body": macro.body} if macro else None
    if macro is None:
        macro = Macro(name=name, body=body, created_by=principal.user_id)
        uow.session.add(macro)
    macro.name, macro.body, macro.updated_at = name, body, utcnow()
    await uow.flush()
    await audit.record(uow, "macro.saved", "Macro", macro.id, before, {"name": name, "body": body}, actor=principal)
    return macro


async def delete(uow: UnitOfWork, principal: Principal, macro_id: uuid.UUID) -> None:
    macro = await get(uow, principal, macro_id, "delete")
    await uow.session.delete(macro)
    await audit.record(uow, "macro.deleted", "Macro", macro.id, {"name": macro.name}, None, actor=principal)


async def render(uow: UnitOfWork, principal: Principal, macro_id: uuid.UUID, ticket_id: uuid.UUID) -> str:
    """The macro filled in for a ticket the caller works on."""
    macro = await get(uow, principal, macro_id)
    ticket = await Tickets(uow, principal).get(ticket_id, "update")
    contact = await uow.session.get(ContactRef, ticket.contact_id) if ticket.contact_id else None
    account = await uow.session.get(AccountRef, ticket.account_id) if ticket.account_id else None
    agent = await uow.session.get(DirectoryUser, principal.user_id)
    values = {
        "contact.name": contact.name if contact else None,
        "account.name": account.name if account else None,
        "ticket.number": ticket.number,
        "ticket.subject": ticket.subject,
        "ticket.status": shown(ticket.status, fields.language(macro.body, ticket.subject)),  # as the customer reads it
        "agent.name": agent.display_name if agent else None,
    }
    return fields.render(macro.body, values)
