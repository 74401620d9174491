"""Whether a contact may be sent marketing on a channel, without I/O.

PIPL asks for separate consent to marketing: a contact is reached only after an opt-in that no later
opt-out withdrew, never while on the do-not-contact list, and never without an address.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Decision(StrEnum):
    SEND = "send"
    NO_ADDRESS = "no_address"
    NO_CONSENT = "no_consent"  # never opted in
    OPTED_OUT = "opted_out"
    DO_NOT_CONTACT = "do_not_contact"


@dataclass(frozen=True)
class Standing:
    """What is known of one contact for one channel."""

    has_address: bool
    granted: bool | None  # the latest record: True opted in, False opted out, None no record
    do_not_contact: bool


def decide(standing: Standing) -> Decision:
    if standing.do_not_contact:
        return Decision.DO_NOT_CONTACT
    if standing.granted is False:
        return Decision.OPTED_OUT
    if standing.granted is None:
        return Decision.NO_CONSENT
    if not standing.has_address:
        return Decision.NO_ADDRESS
    return Decision.SEND
