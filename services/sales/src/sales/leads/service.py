"""Leads: capture (GraphQL, REST, web form, import), assignment on arrival, scoring, statuses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from crm_contracts.sales import LeadStatus
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import assignable
from crm_shared.crypto import decrypt, encrypt, lookup_hash
from crm_shared.db import UnitOfWork, effects, utcnow
from crm_shared.db.pages import Page
from crm_shared.db.repository import contains_text
from crm_shared.duplicates import conflict
from crm_shared.errors import BadInput
from crm_shared.masking import mask_email, mask_phone
from crm_shared.validate import email, note, optional_text, phone, required_text
from crm_shared.validate import note as text_note
from sales import campaigns
from sales.events import LeadCreated, fields_of
from sales.leads.lifecycle import assign, change_status, require_editable
from sales.leads.models import STATUSES, Lead, LeadActivity
from sales.leads.rules import choose_owner, rescore
from sales.repositories import Leads

RESOURCE = "sales:lead"
ACTIVITY_KINDS = ("call", "email", "meeting", "visit", "note")


@dataclass
class LeadInput:
    company: str | None = None
    contact_name: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    industry: str | None = None
    province: str | None = None
    city: str | None = None
    source: str | None = None
    campaign_id: uuid.UUID | None = None
    notes: str | None = None
    owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class LeadFilter:
    status: str | None = None
    owner_id: uuid.UUID | None = None
    source: str | None = None
    campaign_id: uuid.UUID | None = None
    unassigned: bool | None = None
    min_score: int | None = None
    search: str | None = None


def created(lead: Lead) -> LeadCreated:
    """What a lead looks like in events: no phone or email, only whether they are known."""
    known = {"has_phone": lead.phone_enc is not None, "has_email": lead.email_enc is not None}
    return LeadCreated(**fields_of(lead, LeadCreated), **known)


def snapshot(lead: Lead) -> dict[str, Any]:
    return created(lead).data()


@dataclass(frozen=True)
class LeadView:
    """A lead as its reader may see it: phone and email decrypted, masked for roles that mask them."""

    row: Lead
    phone: str | None
    email: str | None


def view(principal: Principal | None, lead: Lead) -> LeadView:
    return LeadView(lead, *shown_contact(principal, decrypt(lead.phone_enc), decrypt(lead.email_enc)))


def shown_contact(
    principal: Principal | None, number: str | None, address: str | None
) -> tuple[str | None, str | None]:
    """A phone and email as the reader may see them: masked for roles that mask them."""
    if number and principal is not None and principal.masks("sales:lead.phone"):
        number = mask_phone(number)
    if address and principal is not None and principal.masks("sales:lead.email"):
        address = mask_email(address)
    return number, address


def apply_input(lead: Lead, data: LeadInput) -> None:
    if data.company is not None:
        lead.company = required_text(data.company, "company", 200)
    if data.contact_name is not None:
        lead.contact_name = required_text(data.contact_name, "contactName", 100)
    for attr, name, maximum in (
        ("title", "title", 100),
        ("industry", "industry", 100),
        ("province", "province", 50),
        ("city", "city", 50),
    ):
        value = getattr(data, attr)
        if value is not None:
            setattr(lead, attr, optional_text(value, name, maximum))
    if data.source is not None:
        lead.source = optional_text(data.source, "source", 50) or "manual"
    if data.notes is not None:
        lead.notes = note(data.notes, "notes", 2000)
    if data.campaign_id is not None:
        lead.campaign_id = data.campaign_id
    if data.phone is not None:
        number = phone(data.phone)
        lead.phone_enc, lead.phone_hash = encrypt(number), lookup_hash(number)
    if data.email is not None:
        address = email(data.email)
        lead.email_enc, lead.email_hash = encrypt(address), lookup_hash(address)
    if lead.phone_enc is None and lead.email_enc is None:
        raise BadInput("lead_needs_contact", field="phone")


async def create(
    uow: UnitOfWork, principal: Principal | None, data: LeadInput, allow_duplicate: bool = False
) -> LeadView:
    """A new lead; `principal` None for the public web form. Rules assign it unless an owner is given.

    An open lead with the same phone or email (a retry whose answer was lost, a colleague's lead)
    answers CONFLICT, naming it when the caller may see it, unless the caller means a second one.
    """
    if principal is not None:
        principal.require(f"{RESOURCE}:create")
        if data.owner_id is not None and data.owner_id != principal.user_id:
            principal.require(f"{RESOURCE}:assign")
    step = await effects.step(uow, "Lead")
    if step.done is not None:  # this request ran before and made it; its answer was lost
        if principal is not None:
            return await get(uow, principal, step.done)
        if (earlier := await uow.session.get(Lead, step.done)) is not None:
            return view(None, earlier)
    lead = await arrive(uow, principal, data, check_duplicate=principal is not None and not allow_duplicate)
    step.made(lead.id)
    return view(principal, lead)


async def arrive(uow: UnitOfWork, principal: Principal | None, data: LeadInput, check_duplicate: bool = False) -> Lead:
    if data.campaign_id is not None and principal is not None:
        await campaigns.require_campaign(uow, data.campaign_id)
    elif data.campaign_id is not None and not await campaigns.known(uow, data.campaign_id):
        data = replace(data, campaign_id=None)  # a public form naming a campaign gone: the lead counts
    lead = Lead(company="", contact_name="", created_by=principal.user_id if principal else None)
    apply_input(lead, data)
    if principal is not None and data.owner_id not in (None, principal.user_id):
        await assignable(uow, principal, RESOURCE, data.owner_id, "ownerId")
    if check_duplicate and principal is not None:
        await _refuse_duplicate(uow, principal, lead)
    await rescore(uow, lead)
    uow.session.add(lead)
    await uow.flush()
    await uow.publish(created(lead))
    actor = principal.user_id if principal else None
    await audit.record(uow, "lead.created", "Lead", lead.id, None, snapshot(lead), actor_id=actor)
    if data.owner_id is not None:
        await assign(uow, lead, data.owner_id, None, actor)
    elif (chosen := await choose_owner(uow, lead, principal.unit_id if principal else None)) is not None:
        await assign(uow, lead, chosen[0], chosen[1].id, actor)
    elif principal is not None:
        await assign(uow, lead, principal.user_id, None, actor)
    return lead


async def _refuse_duplicate(uow: UnitOfWork, principal: Principal, lead: Lead) -> None:
    keys = [col(Lead.phone_hash) == lead.phone_hash] if lead.phone_hash else []
    keys += [col(Lead.email_hash) == lead.email_hash] if lead.email_hash else []
    if not keys:
        return
    closed = (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED)
    query = select(Lead).where(or_(*keys), col(Lead.status).not_in(closed)).limit(1)
    same = (await uow.session.scalars(query)).first()
    if same is None:
        return
    shared = [
        (same, f) for f, h in (("phone", "phone_hash"), ("email", "email_hash")) if getattr(lead, h) == getattr(same, h)
    ]
    raise await conflict(principal, "duplicate_lead", RESOURCE, shared, Leads(uow, principal).reaches)


async def get(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID) -> LeadView:
    return view(principal, await Leads(uow, principal).get(lead_id))


async def page(uow: UnitOfWork, principal: Principal, f: LeadFilter, first: int, after: str | None) -> Page[LeadView]:
    principal.require(f"{RESOURCE}:read")
    if f.status is not None and f.status not in STATUSES:
        raise BadInput("one_of", field="status", choices=", ".join(STATUSES))
    where: list[Any] = []
    if f.unassigned is not None:
        where.append(col(Lead.owner_id).is_(None) if f.unassigned else col(Lead.owner_id).is_not(None))
    if f.min_score is not None:
        where.append(Lead.score >= f.min_score)
    if f.search and f.search.strip():
        where.append(contains_text(f.search, col(Lead.company), col(Lead.contact_name)))
    equal = {"status": f.status, "owner_id": f.owner_id, "source": f.source, "campaign_id": f.campaign_id}
    page = await Leads(uow, principal).newest(where, first, after, **equal)
    return Page([view(principal, lead) for lead in page.items], page.cursors, page.has_next, page.count)


async def update(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID, data: LeadInput) -> LeadView:
    if data.owner_id is not None:
        raise BadInput("use_assign_lead", field="ownerId")
    lead = await Leads(uow, principal).get(lead_id, "update", lock=True)
    require_editable(lead)
    if data.campaign_id is not None and data.campaign_id != lead.campaign_id:
        await campaigns.require_campaign(uow, data.campaign_id)
    before = snapshot(lead)
    apply_input(lead, data)
    await rescore(uow, lead)
    lead.updated_at = utcnow()
    await audit.record(uow, "lead.updated", "Lead", lead.id, before, snapshot(lead))
    return view(principal, lead)


async def reassign(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID, owner_id: uuid.UUID) -> LeadView:
    lead = await Leads(uow, principal).get(lead_id, "assign", lock=True)
    await assignable(uow, principal, RESOURCE, owner_id, "ownerId")
    await assign(uow, lead, owner_id, None, principal.user_id)
    return view(principal, lead)


async def log_activity(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID, kind: str, note: str) -> LeadView:
    if kind not in ACTIVITY_KINDS:
        raise BadInput("one_of", field="kind", choices=", ".join(ACTIVITY_KINDS))
    lead = await Leads(uow, principal).get(lead_id, "update", lock=True)
    require_editable(lead)
    uow.session.add(
        LeadActivity(lead_id=lead.id, kind=kind, note=text_note(note, "note", 2000), actor_id=principal.user_id)
    )
    lead.activity_count += 1
    await rescore(uow, lead)
    if lead.status == LeadStatus.NEW:
        await change_status(uow, lead, LeadStatus.CONTACTED, None, principal.user_id)
    lead.updated_at = utcnow()
    return view(principal, lead)


async def set_status(
    uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID, status: LeadStatus, reason: str | None
) -> LeadView:
    """Qualify, disqualify (with a reason), or reopen a disqualified lead."""
    if status == LeadStatus.CONVERTED:
        raise BadInput("one_of", field="status", choices=", ".join(s for s in STATUSES if s != LeadStatus.CONVERTED))
    if status == LeadStatus.DISQUALIFIED and not (reason or "").strip():
        raise BadInput("required_field", field="reason")
    lead = await Leads(uow, principal).get(lead_id, "update", lock=True)
    require_editable(lead)
    lead.disqualify_reason = note(reason, "reason", 500) if status == LeadStatus.DISQUALIFIED else None
    await change_status(uow, lead, status, lead.disqualify_reason, principal.user_id)
    return view(principal, lead)


async def activities(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID) -> list[LeadActivity]:
    await Leads(uow, principal).get(lead_id)
    rows = await uow.session.scalars(
        select(LeadActivity).where(col(LeadActivity.lead_id) == lead_id).order_by(col(LeadActivity.at).desc())
    )
    return list(rows.all())
