"""SMS template queries and mutations, and an SMS campaign's choice of template."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Info
from marketing.campaigns import service as campaigns
from marketing.graphql.types import Campaign, optional_uid, uid
from marketing.settings import MarketingSettings
from marketing.sms import rules
from marketing.sms import service as sms
from marketing.sms.models import SmsKind
from marketing.sms.models import SmsTemplate as TemplateRow
from marketing.sms.sender import SmsSender

strawberry.enum(SmsKind, name="SmsKind")


@strawberry.type(
    description="A template parameter: `${name}` in the content, filled from literal text or merge fields."
)
class SmsParam:
    name: str
    value: str


@strawberry.input
class SmsParamInput:
    name: str
    value: str = strawberry.field(description="Literal text or merge fields, e.g. {{ contact.name }}.")


@strawberry.type(description="An SMS template registered with the provider; marketing texts carry 回T退订.")
class SmsTemplate:
    id: strawberry.ID
    name: str
    kind: SmsKind
    provider_code: str = strawberry.field(description="Aliyun's TemplateCode or Tencent's TemplateId.")
    signature: str = strawberry.field(description="The approved signature as the text shows it: 【...】.")
    content: str
    params: list[SmsParam]
    sample: str = strawberry.field(description="The text with sample values, as a recipient reads it.")
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: TemplateRow) -> SmsTemplate:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            kind=row.kind,
            provider_code=row.provider_code,
            signature=row.signature,
            content=row.content,
            params=[SmsParam(name=p["name"], value=p["value"]) for p in row.params],
            sample=sms.sample(row),
            updated_at=row.updated_at,
        )


@strawberry.input
class SmsTemplateInput:
    name: str
    provider_code: str
    signature: str
    content: str
    kind: SmsKind = SmsKind.MARKETING
    params: list[SmsParamInput] = strawberry.field(default_factory=list)

    def command(self) -> sms.SmsTemplateInput:
        params = [rules.Param(p.name, p.value) for p in self.params]
        return sms.SmsTemplateInput(self.name, self.kind, self.provider_code, self.signature, self.content, params)


@strawberry.type(description="What the provider answered to a test text.")
class SmsTestResult:
    accepted: bool
    code: str = strawberry.field(description="The provider's answer code (OK, or why it refused).")
    text: str = strawberry.field(description="The text that was sent, with sample values.")


@strawberry.type
class Query:
    @strawberry.field
    async def sms_templates(self, info: Info) -> list[SmsTemplate]:
        async with info.context.uow() as uow:
            return [SmsTemplate.of(t) for t in await sms.listed(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def save_sms_template(
        self, info: Info, input: SmsTemplateInput, id: strawberry.ID | None = None
    ) -> SmsTemplate:
        async with info.context.uow() as uow:
            return SmsTemplate.of(await sms.save(uow, info.context.principal, optional_uid(id), input.command()))

    @strawberry.mutation(description="Text the template with sample values to one number, outside any campaign.")
    async def send_sms_test(self, info: Info, id: strawberry.ID, phone: str) -> SmsTestResult:
        async with info.context.uow() as uow:
            text = await sms.test_text(uow, info.context.principal, uid(id), phone)
            sample = sms.sample(await sms.get(uow, info.context.principal, uid(id)))
        settings: MarketingSettings = info.context.state.settings
        outcome = await SmsSender(settings).send_now(text)
        return SmsTestResult(accepted=outcome.accepted, code=outcome.code, text=sample)

    @strawberry.mutation(description="The SMS template an SMS campaign sends; it may change until it is sent.")
    async def set_campaign_sms_template(self, info: Info, id: strawberry.ID, template_id: strawberry.ID) -> Campaign:
        async with info.context.uow() as uow:
            await sms.choose_template(uow, info.context.principal, uid(id), uid(template_id))
            return Campaign.of(await campaigns.get(uow, info.context.principal, uid(id)))
