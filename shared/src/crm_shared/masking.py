"""How masked fields look: enough to recognise, not enough to use, nor to find records by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crm_shared.errors import BadInput

if TYPE_CHECKING:
    from crm_shared.auth.principal import Principal


def unmasked_lookup(principal: Principal, field: str, value: object, at: str | None = None) -> None:
    """BAD_USER_INPUT at a lookup by a field masked to the caller (`customer:account.phone`; `at` names the
    argument when it is not the field's own name): a phone shown as 139****5678 would otherwise be read back
    whole by trying the 10,000 numbers its mask leaves open."""
    if value and principal.masks(field):
        raise BadInput("masked_lookup", field=at or field.rpartition(".")[2])


def mask_phone(phone: str) -> str:
    return phone[:3] + "*" * max(len(phone) - 7, 2) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


def mask_id_number(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
