"""Email template queries and mutations."""

from __future__ import annotations

import strawberry

from crm_shared.graphql import Info
from marketing.graphql.types import EmailTemplate, optional_uid, uid
from marketing.templates import render
from marketing.templates import service as templates


@strawberry.input
class EmailTemplateInput:
    name: str
    subject_zh: str
    html_zh: str
    text_zh: str
    subject_en: str | None = None
    html_en: str | None = None
    text_en: str | None = None

    def command(self) -> templates.TemplateInput:
        return templates.TemplateInput(
            self.name, self.subject_zh, self.html_zh, self.text_zh, self.subject_en, self.html_en, self.text_en
        )


@strawberry.type(description="A template filled in: what a recipient would get.")
class EmailPreview:
    subject: str
    html: str
    text: str


@strawberry.type
class Query:
    @strawberry.field
    async def email_templates(self, info: Info) -> list[EmailTemplate]:
        async with info.context.uow() as uow:
            return [EmailTemplate.of(t) for t in await templates.listed(uow, info.context.principal)]

    @strawberry.field
    async def email_template(self, info: Info, id: strawberry.ID) -> EmailTemplate:
        async with info.context.uow() as uow:
            return EmailTemplate.of(await templates.get(uow, info.context.principal, uid(id)))

    @strawberry.field(description="The merge fields a template may use.")
    def email_merge_fields(self, info: Info) -> list[str]:
        info.context.principal.require(f"{templates.RESOURCE}:read")
        return list(render.KNOWN)

    @strawberry.field(description="A saved template (id) or a draft (input), for a contact or with sample values.")
    async def preview_email_template(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        input: EmailTemplateInput | None = None,
        language: str = "zh-CN",
        contact_id: strawberry.ID | None = None,
    ) -> EmailPreview:
        draft = input.command() if input else None
        async with info.context.uow() as uow:
            p = info.context.principal
            found = await templates.preview(uow, p, optional_uid(id), draft, language, optional_uid(contact_id))
        return EmailPreview(subject=found.subject, html=found.html, text=found.text)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def save_email_template(
        self, info: Info, input: EmailTemplateInput, id: strawberry.ID | None = None
    ) -> EmailTemplate:
        async with info.context.uow() as uow:
            saved = await templates.save(uow, info.context.principal, optional_uid(id), input.command())
            return EmailTemplate.of(saved)
