"""Customer's account and contact events other services project, and its answers in the lead conversion saga."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, Literal

from crm_shared.events.model import Event
from crm_shared.events.reconcile import Reconciled, ReconciliationFinished

ACCOUNT_TOPIC = "crm.customer.account"
CONTACT_TOPIC = "crm.customer.contact"


class LifecycleStage(StrEnum):
    PROSPECT = "prospect"
    NEW = "new"
    ACTIVE = "active"
    LOYAL = "loyal"
    AT_RISK = "at_risk"
    CHURNED = "churned"


class AccountSnapshot(Event):
    """What an account looks like outside customer: no personal data, only whether it is known."""

    topic = ACCOUNT_TOPIC

    id: uuid.UUID
    name: str
    industry: str | None
    size: str | None
    province: str | None
    city: str | None
    level: Literal["A", "B", "C", "D"] | None
    source: str | None
    tags: list[str]
    lifecycle_stage: LifecycleStage
    owner_id: uuid.UUID | None
    in_pool: bool
    has_phone: bool
    has_email: bool
    custom: dict[str, Any]


class AccountCreated(AccountSnapshot):
    type = "account.created"


class AccountUpdated(AccountSnapshot):
    type = "account.updated"


class AccountRestored(AccountSnapshot):
    type = "account.restored"


class AccountsReconciled(ReconciliationFinished):
    """Every live account was re-published in run `run_id`; a projected account not among them is gone."""

    topic, type = ACCOUNT_TOPIC, "account.reconciliation_finished"


class AccountReconciled(AccountSnapshot, Reconciled):
    """An account as customer holds it now, re-published by a reconciliation run (after a restore)."""

    type = "account.reconciled"
    finished = AccountsReconciled


class AccountDeleted(Event):
    topic, type = ACCOUNT_TOPIC, "account.deleted"

    id: uuid.UUID


class AccountOwnerChanged(Event):
    """Transferred, released to the pool (no new owner), claimed from it, or returned to it when idle."""

    topic, type = ACCOUNT_TOPIC, "account.owner_changed"

    id: uuid.UUID
    from_owner_id: uuid.UUID | None
    to_owner_id: uuid.UUID | None
    kind: Literal["transfer", "release", "claim", "auto_return"]
    reason: str


class AccountMerged(Event):
    """The source account merged into the target; what referred to the source now refers to the target."""

    topic, type = ACCOUNT_TOPIC, "account.merged"
    subject_field = "target_id"

    target_id: uuid.UUID
    source_id: uuid.UUID
    moved: dict[str, int]


class LeadConverted(Event):
    """Customer's answer to `lead.conversion_requested`: the account and contact the lead became."""

    topic, type = ACCOUNT_TOPIC, "account.lead_converted"
    subject_field = "account_id"  # the topic is keyed by account; a failure has none, so it is keyed by lead

    lead_id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    contact_id: uuid.UUID
    matched: bool  # an existing account was reused


class LeadConversionFailed(Event):
    topic, type = ACCOUNT_TOPIC, "account.lead_conversion_failed"
    subject_field = "lead_id"

    lead_id: uuid.UUID
    reason: str
    field: str | None
    code: str


class ContactSnapshot(Event):
    topic = CONTACT_TOPIC

    id: uuid.UUID
    account_id: uuid.UUID | None
    name: str
    title: str | None
    role: str
    has_phone: bool
    has_email: bool
    # the address as its keyed lookup hash and encrypted under the suite's field key, never in the clear:
    # support finds the contact a mail came from and mails the contact its replies
    email_hash: str | None = None
    email_enc: str | None = None
    # the mobile number likewise: marketing texts the contact and finds who replied 退订
    phone_hash: str | None = None
    phone_enc: str | None = None


class ContactCreated(ContactSnapshot):
    type = "contact.created"


class ContactUpdated(ContactSnapshot):
    type = "contact.updated"


class ContactDeleted(Event):
    topic, type = CONTACT_TOPIC, "contact.deleted"

    id: uuid.UUID


class ContactLinked(Event):
    topic, type = CONTACT_TOPIC, "contact.linked"
    subject_field = "contact_id"

    contact_id: uuid.UUID
    account_id: uuid.UUID
    role: str
