"""Custom field definitions through GraphQL."""

from __future__ import annotations

import strawberry

from crm_shared.graphql import Info
from crm_shared.rows import from_row
from customer.custom_fields import service as fields
from customer.custom_fields.models import CustomFieldDefinition
from customer.custom_fields.service import FieldInput


@strawberry.type(description="A field administrators added to accounts or contacts.")
class CustomField:
    key: str
    entity: str
    label: str
    label_zh: str
    type: str
    options: list[str]
    required: bool

    @classmethod
    def of(cls, row: CustomFieldDefinition) -> CustomField:
        return from_row(cls, row)


@strawberry.input
class DefineCustomFieldInput:
    entity: str = "account"
    key: str
    label: str
    label_zh: str = ""
    type: str = strawberry.field(description="text, number, date, single_choice or multi_choice")
    options: list[str] = strawberry.field(default_factory=list)
    required: bool = False


@strawberry.type
class CustomFieldQuery:
    @strawberry.field
    async def custom_fields(self, info: Info, entity: str = "account") -> list[CustomField]:
        async with info.context.uow() as uow:
            return [CustomField.of(r) for r in await fields.listed(uow, info.context.principal, entity)]


@strawberry.type
class CustomFieldMutation:
    @strawberry.mutation(description="Add a typed custom field to accounts or contacts (administrators).")
    async def define_custom_field(self, info: Info, input: DefineCustomFieldInput) -> CustomField:
        data = FieldInput(
            input.entity, input.key, input.label, input.type, input.label_zh, input.options, input.required
        )
        async with info.context.uow() as uow:
            return CustomField.of(await fields.define(uow, info.context.principal, data))
