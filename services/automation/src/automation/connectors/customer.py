"""Customer's API as the connectors use it, as automation's service account (or the user, when reading for
them): its permission, scope and validation rules apply. Writes carry an `Idempotency-Key` of the input
they come from, so an input taken again after a crash makes its activity or task once."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from automation.workflows.remote import Services

BY_CHANNEL = """query($p: String, $h: [String!]) { contactsByChannel(phone: $p, emailHashes: $h) {
    id name accountId owner { id } } }"""
CONTACT = "query($id: ID!) { contact(id: $id) { id name phone accountId owner { id } } }"
LOG = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"
TASK = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    name: str
    account_id: uuid.UUID
    owner_id: uuid.UUID | None
    phone: str | None = None

    @classmethod
    def of(cls, found: dict[str, Any]) -> Contact:
        owner = (found.get("owner") or {}).get("id")
        return cls(
            uuid.UUID(found["id"]),
            found["name"],
            uuid.UUID(found["accountId"]),
            uuid.UUID(owner) if owner else None,
            found.get("phone"),
        )


@dataclass(frozen=True)
class NewActivity:
    contact: Contact
    kind: str  # call, email
    subject: str
    occurred_at: dt.datetime
    content: str = ""
    outcome: str | None = None
    link: str | None = None
    thread_id: str | None = None
    duration_seconds: int | None = None

    def variables(self) -> dict[str, Any]:
        return {
            "accountId": str(self.contact.account_id),
            "contactId": str(self.contact.id),
            "kind": self.kind,
            "subject": self.subject,
            "content": self.content,
            "occurredAt": self.occurred_at.isoformat(),
            "outcome": self.outcome,
            "link": self.link,
            "threadId": self.thread_id,
            "durationSeconds": self.duration_seconds,
        }


async def by_phone(services: Services, number: str) -> list[Contact]:
    found = await services.mutate("customer", BY_CHANNEL, {"p": number}, None)
    return [Contact.of(c) for c in found["contactsByChannel"]]


async def by_email_hashes(services: Services, hashes: list[str]) -> list[Contact]:
    found = await services.mutate("customer", BY_CHANNEL, {"h": hashes}, None)
    return [Contact.of(c) for c in found["contactsByChannel"]]


async def contact(services: Services, contact_id: uuid.UUID, token: str | None = None) -> Contact:
    """The contact as the caller sees it (with the user's `token`, their scope and masks apply)."""
    found = await services.mutate("customer", CONTACT, {"id": str(contact_id)}, None, token=token)
    return Contact.of(found["contact"])


async def log_activity(services: Services, activity: NewActivity, key: str) -> uuid.UUID:
    made = await services.mutate("customer", LOG, {"i": activity.variables()}, key)
    return uuid.UUID(made["logActivity"]["id"])


async def follow_up(services: Services, contact: Contact, title: str, due_at: dt.datetime, key: str) -> uuid.UUID:
    """A task for the contact's owner on its account."""
    task = {
        "title": title,
        "dueAt": due_at.isoformat(),
        "accountId": str(contact.account_id),
        "assigneeId": str(contact.owner_id) if contact.owner_id else None,
    }
    made = await services.mutate("customer", TASK, {"i": task}, key)
    return uuid.UUID(made["createTask"]["id"])
