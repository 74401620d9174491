"""Leads from outside: the public web form (rate limited, spam-checked) and CSV import."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.crypto import decrypt, encrypt, lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, DomainError, Forbidden, NotFound, TooManyRequests
from crm_shared.validate import items
from sales.leads import service as leads
from sales.leads.models import FormSubmission, Lead, QuarantinedSubmission
from sales.leads.service import LeadInput, LeadView
from sales.repositories import Leads, routes_unassigned

URL = re.compile(r"https?://|www\.", re.IGNORECASE)
DISPOSABLE = (
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "trashmail.com",
    "yopmail.com",
    "tempmail.com",
)
MAX_IMPORT_ROWS = 10_000
QUARANTINE_DAYS = 30
HEADERS = {
    "company": ("company", "公司", "公司名称", "企业名称"),
    "contact_name": ("contactname", "contact", "name", "联系人", "姓名"),
    "title": ("title", "职位"),
    "phone": ("phone", "mobile", "电话", "手机"),
    "email": ("email", "邮箱", "电子邮件"),
    "industry": ("industry", "行业"),
    "province": ("province", "region", "省份", "地区"),
    "city": ("city", "城市"),
    "source": ("source", "来源"),
    "notes": ("notes", "备注"),
}


def spam_reason(data: LeadInput, honeypot: str | None, filled_seconds: float | None) -> str | None:
    """Why a submission looks automated or abusive; None when it looks like a person."""
    if honeypot:
        return "honeypot"
    if filled_seconds is not None and filled_seconds < 2:
        return "too fast"
    if any(URL.search(value or "") for value in (data.company, data.contact_name, data.title)):
        return "link in a name"
    if data.email and data.email.strip().lower().rsplit("@", 1)[-1] in DISPOSABLE:
        return "disposable email"
    return None


def row_input(row: dict[str, str]) -> LeadInput:
    """A CSV row's text columns (keys of HEADERS) as a lead; columns the file lacks stay unset."""
    return LeadInput(
        company=row.get("company"),
        contact_name=row.get("contact_name"),
        title=row.get("title"),
        phone=row.get("phone"),
        email=row.get("email"),
        industry=row.get("industry"),
        province=row.get("province"),
        city=row.get("city"),
        source=row.get("source"),
        notes=row.get("notes"),
    )


@dataclass
class ImportResult:
    imported: int = 0
    rejected: list[tuple[int, str | None, str]] = field(default_factory=list)  # row, field, message


class IntakeService:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute

    async def throttle(self, uow: UnitOfWork, address: str) -> None:
        """Every submission counts against its address, valid or not; floods get TOO_MANY_REQUESTS."""
        key = lookup_hash(f"webform:{address}")
        since = utcnow() - dt.timedelta(minutes=1)
        recent = await uow.session.scalar(
            select(func.count())
            .select_from(FormSubmission)
            .where(col(FormSubmission.address_hash) == key, col(FormSubmission.at) >= since)
        )
        if (recent or 0) >= self.per_minute:
            raise TooManyRequests(retryAfterSeconds=60)
        uow.session.add(FormSubmission(address_hash=key or ""))
        await uow.session.execute(delete(FormSubmission).where(col(FormSubmission.at) < since - dt.timedelta(hours=1)))

    async def web_form(
        self, uow: UnitOfWork, data: LeadInput, honeypot: str | None, filled_seconds: float | None
    ) -> LeadView | None:
        """Accept a public submission (after `throttle`). Spam answers the same to the sender but is
        quarantined instead of becoming a lead (None)."""
        data.source = data.source or "web_form"
        data.owner_id = None
        if reason := spam_reason(data, honeypot, filled_seconds):
            checked = Lead(company="", contact_name="")
            leads.apply_input(checked, data)  # the same answer to bad input as a person
            await quarantine(uow, checked, data, reason)
            return None
        return await leads.create(uow, None, data)

    async def import_csv(self, uow: UnitOfWork, principal: Principal, content: str) -> ImportResult:
        """Each valid row becomes a lead, assigned by the rules; invalid rows are reported, not half-written."""
        principal.require("sales:lead:import")
        reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
        header = next(reader, None)
        if not header:
            raise BadInput("required_field", field="content")
        columns: dict[int, str] = {}
        for index, name in enumerate(header):
            key = re.sub(r"[\s_\-]", "", name.strip().lower())
            for attr, names in HEADERS.items():
                if key in names:
                    columns[index] = attr
        if "company" not in columns.values() or "contact_name" not in columns.values():
            raise BadInput("import_headers", field="content")
        result = ImportResult()
        rows = 0
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows
            rows += 1
            if rows > MAX_IMPORT_ROWS:
                raise BadInput("file_too_many_rows", field="content", limit=MAX_IMPORT_ROWS)
            data = row_input({attr: values[i] for i, attr in columns.items() if i < len(values)})
            data.source = data.source or "import"
            try:
                async with uow.savepoint():
                    await leads.arrive(uow, principal, data)
                result.imported += 1
            except DomainError as exc:
                result.rejected.append((number, exc.field, exc.message()))
        return result


async def quarantine(uow: UnitOfWork, checked: Lead, data: LeadInput, reason: str) -> None:
    """The submission kept sealed for review, listed by the names `checked` holds as a lead would (trimmed)."""
    sealed = json.dumps(dataclasses.asdict(data), default=str, ensure_ascii=False)
    uow.session.add(
        QuarantinedSubmission(
            company=checked.company,
            contact_name=checked.contact_name,
            reason=reason,
            submission_enc=encrypt(sealed) or "",
        )
    )
    cutoff = utcnow() - dt.timedelta(days=QUARANTINE_DAYS)
    await uow.session.execute(delete(QuarantinedSubmission).where(col(QuarantinedSubmission.received_at) < cutoff))


def _reviewer(principal: Principal) -> None:
    """Spam is reviewed by whoever routes unassigned web-form leads: it is where those leads would be."""
    if not routes_unassigned(principal):
        raise Forbidden()


@dataclass(frozen=True)
class QuarantinedView:
    row: QuarantinedSubmission
    submission: LeadInput


def _view(principal: Principal, row: QuarantinedSubmission) -> QuarantinedView:
    data = _submission(row)
    number, address = leads.shown_contact(principal, data.phone, data.email)
    return QuarantinedView(row, dataclasses.replace(data, phone=number, email=address))


def _submission(row: QuarantinedSubmission) -> LeadInput:
    data = LeadInput(**json.loads(decrypt(row.submission_enc) or "{}"))
    campaign = uuid.UUID(str(data.campaign_id)) if data.campaign_id else None
    return dataclasses.replace(data, campaign_id=campaign, owner_id=None)


async def quarantined(uow: UnitOfWork, principal: Principal, first: int, after: str | None) -> Page[QuarantinedView]:
    """Web-form submissions taken for spam in the last 30 days, newest first."""
    _reviewer(principal)
    order = Order.by(QuarantinedSubmission.received_at, QuarantinedSubmission.id, descending=True)
    found = await page(uow, select(QuarantinedSubmission), order, first, after)
    return found.map(lambda row: _view(principal, row))


async def _taken(uow: UnitOfWork, principal: Principal, submission_id: uuid.UUID) -> QuarantinedSubmission:
    _reviewer(principal)
    row = await uow.session.get(QuarantinedSubmission, submission_id, with_for_update=True)
    if row is None:
        raise NotFound(entity="QuarantinedSubmission")
    return row


async def recover(uow: UnitOfWork, principal: Principal, submission_id: uuid.UUID) -> LeadView | None:
    """Not spam after all: the submission becomes the web-form lead it would have been, assigned by the rules;
    None when the rules gave it to someone outside the caller's reach."""
    row = await _taken(uow, principal, submission_id)
    lead = await leads.arrive(uow, None, _submission(row))
    await audit.record(uow, "lead.recovered_from_spam", "Lead", lead.id, {"reason": row.reason}, None)
    await uow.session.delete(row)
    return leads.view(principal, lead) if await Leads(uow, principal).reaches(lead) else None


async def discard(uow: UnitOfWork, principal: Principal, submission_ids: list[uuid.UUID]) -> int:
    """Spam indeed: forget the submissions now rather than in 30 days."""
    _reviewer(principal)
    gone = (
        await uow.session.scalars(
            delete(QuarantinedSubmission)
            .where(col(QuarantinedSubmission.id).in_(items(submission_ids, "ids", 200)))
            .returning(col(QuarantinedSubmission.id))
        )
    ).all()
    for submission_id in gone:
        await audit.record(uow, "spam.discarded", "QuarantinedSubmission", submission_id, None, None)
    return len(gone)
