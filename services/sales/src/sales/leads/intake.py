"""Leads from outside: the public web form (rate limited, spam-checked) and CSV import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, DomainError, TooManyRequests
from sales.leads import service as leads
from sales.leads.models import FormSubmission
from sales.leads.service import LeadInput, LeadView

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
        """Accept a public submission (after `throttle`); spam is dropped silently (None)."""
        if spam_reason(data, honeypot, filled_seconds):
            return None
        data.source = data.source or "web_form"
        data.owner_id = None
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
        for number, values in enumerate(reader, start=2):
            if number - 1 > MAX_IMPORT_ROWS:
                raise BadInput(field="content", reason=f"at most {MAX_IMPORT_ROWS} rows")
            if not any(v.strip() for v in values):
                continue
            data = row_input({attr: values[i] for i, attr in columns.items() if i < len(values)})
            data.source = data.source or "import"
            try:
                async with uow.savepoint():
                    await leads.arrive(uow, principal, data)
                result.imported += 1
            except DomainError as exc:
                result.rejected.append((number, exc.field, exc.message()))
        return result
