"""An account's or contact's phone and email: stored encrypted with a hash that finds duplicates.

Events never carry them in the clear: an account's say only whether they exist; a contact's carry the
email encrypted under the suite's field key with its lookup hash, which support needs to match and answer mail.
"""

from __future__ import annotations

from crm_shared.crypto import encrypt, lookup_hash
from customer import normalise as norm
from customer.accounts.models import Account
from customer.contacts.models import Contact


def apply_channels(row: Account | Contact, phone: str | None, email: str | None) -> None:
    """Validate and store the given phone and email; None leaves one as it is."""
    if phone is not None:
        number = norm.phone(phone)
        row.phone_enc, row.phone_hash = encrypt(number), lookup_hash(number)
    if email is not None:
        address = norm.email(email)
        row.email_enc, row.email_hash = encrypt(address), lookup_hash(address)


def contact_details(row: Account | Contact) -> dict[str, bool]:
    """Whether an account or contact has a phone and an email: events carry that, never the values in the clear."""
    return {"has_phone": row.phone_enc is not None, "has_email": row.email_enc is not None}
