"""Email templates: kept by those with `marketing:template` permissions, previewed for a contact or sample data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import required_text
from marketing.audience import require_contact
from marketing.templates import render
from marketing.templates.models import EmailTemplate

RESOURCE = "marketing:template"


@dataclass(frozen=True)
class TemplateInput:
    name: str
    subject_zh: str
    html_zh: str
    text_zh: str
    subject_en: str | None = None
    html_en: str | None = None
    text_en: str | None = None


async def listed(uow: UnitOfWork, principal: Principal) -> list[EmailTemplate]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(EmailTemplate).order_by(col(EmailTemplate.name)))).all())


async def get(
    uow: UnitOfWork, principal: Principal | None, template_id: uuid.UUID, action: str = "read"
) -> EmailTemplate:
    if principal is not None:
        principal.require(f"{RESOURCE}:{action}")
    template = await uow.session.get(EmailTemplate, template_id)
    if template is None:
        raise NotFound(entity="EmailTemplate")
    return template


def _checked(data: TemplateInput) -> dict[str, Any]:
    """Every part parsed and limited; the English variant is whole or absent."""
    values: dict[str, Any] = {
        "name": required_text(data.name, "name", 100),
        "subject_zh": render.check(required_text(data.subject_zh, "subjectZh", 300), "subjectZh"),
        "html_zh": render.check(required_text(data.html_zh, "htmlZh", 100_000, multiline=True), "htmlZh"),
        "text_zh": render.check(required_text(data.text_zh, "textZh", 50_000, multiline=True), "textZh"),
        "subject_en": None,
        "html_en": None,
        "text_en": None,
    }
    english = (data.subject_en, data.html_en, data.text_en)
    if any(part and part.strip() for part in english):
        values["subject_en"] = render.check(required_text(data.subject_en, "subjectEn", 300), "subjectEn")
        values["html_en"] = render.check(required_text(data.html_en, "htmlEn", 100_000, multiline=True), "htmlEn")
        values["text_en"] = render.check(required_text(data.text_en, "textEn", 50_000, multiline=True), "textEn")
    return values


async def save(
    uow: UnitOfWork, principal: Principal, template_id: uuid.UUID | None, data: TemplateInput
) -> EmailTemplate:
    template = await get(uow, principal, template_id, "update") if template_id else None
    if template is None:
        principal.require(f"{RESOURCE}:create")
    values = _checked(data)
    same_name = select(col(EmailTemplate.id)).where(col(EmailTemplate.name) == values["name"])
    if template is not None:
        same_name = same_name.where(col(EmailTemplate.id) != template.id)
    if await uow.session.scalar(same_name) is not None:
        raise Conflict("template_name_taken", field="name")
    before = {"name": template.name, "subjectZh": template.subject_zh} if template else None
    if template is None:
        template = EmailTemplate(created_by=principal.user_id, **values)
        uow.session.add(template)
    else:
        for key, value in values.items():
            setattr(template, key, value)
    template.updated_at = utcnow()
    await uow.flush()
    after = {"name": template.name, "subjectZh": template.subject_zh}
    await audit.record(uow, "email_template.saved", "EmailTemplate", template.id, before, after, actor=principal)
    return template


def parts(template: EmailTemplate, language: str) -> render.Parts:
    """The variant a campaign in `language` sends: English when the template has it, else Chinese."""
    if language == "en" and template.subject_en and template.html_en and template.text_en:
        return render.Parts(template.subject_en, template.html_en, template.text_en)
    return render.Parts(template.subject_zh, template.html_zh, template.text_zh)


async def recipient_values(uow: UnitOfWork, contact_name: str, account_id: uuid.UUID | None) -> dict[str, Any]:
    account = await uow.session.get(AccountRef, account_id) if account_id else None
    return {"contact": {"name": contact_name}, "account": {"name": account.name if account else ""}}


async def preview(
    uow: UnitOfWork,
    principal: Principal,
    template_id: uuid.UUID | None,
    draft: TemplateInput | None,
    language: str,
    contact_id: uuid.UUID | None,
) -> render.Rendered:
    """A saved template or a draft, filled in for a contact the caller may see, or with sample values."""
    principal.require(f"{RESOURCE}:read")
    if draft is not None:
        values = _checked(draft)
        template = EmailTemplate(**values)
    elif template_id is not None:
        template = await get(uow, principal, template_id)
    else:
        raise BadInput("required_field", field="id")
    fill: dict[str, Any] = {}
    if contact_id is not None:
        contact = await require_contact(uow, principal, contact_id, "contactId")
        fill = await recipient_values(uow, contact.name, contact.account_id)
    chosen = parts(template, language)
    try:
        return render.render(chosen, {**render.SAMPLE, **fill})
    except render.RenderFailed as exc:  # a template saved before its parts were proven to render
        variant = "Zh" if chosen.html == template.html_zh else "En"
        raise BadInput("template_render", field=f"{exc.part}{variant}", detail=str(exc)) from exc
