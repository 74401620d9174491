"""What a caller may see of accounts and contacts: personal fields decrypted, then masked for roles that mask them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_shared.auth import Principal
from crm_shared.crypto import decrypt
from crm_shared.masking import mask_email, mask_id_number, mask_phone
from customer.accounts.models import Account
from customer.contacts.models import Contact


def _shown(principal: Principal, field: str, encrypted: str | None, mask: Callable[[str], str]) -> str | None:
    value = decrypt(encrypted)
    return mask(value) if value and principal.masks(field) else value


@dataclass(frozen=True)
class AccountView:
    row: Account
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ContactView:
    row: Contact
    phone: str | None
    email: str | None
    id_number: str | None


def account_view(principal: Principal, account: Account) -> AccountView:
    return AccountView(
        account,
        _shown(principal, "customer:account.phone", account.phone_enc, mask_phone),
        _shown(principal, "customer:account.email", account.email_enc, mask_email),
    )


def contact_view(principal: Principal, contact: Contact) -> ContactView:
    return ContactView(
        contact,
        _shown(principal, "customer:contact.phone", contact.phone_enc, mask_phone),
        _shown(principal, "customer:contact.email", contact.email_enc, mask_email),
        _shown(principal, "customer:contact.id_number", contact.id_number_enc, mask_id_number),
    )
