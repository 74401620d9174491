"""Calls: the CTI's events make the call log; an ended call becomes a call activity on the contact with
its number (customer's matching), a missed incoming one also a follow-up task for the contact's owner;
a number no contact has stays in the log until someone links the call. Click-to-call asks the CTI to
ring the agent, then the contact.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from automation.connectors import customer
from automation.connectors.ledger import Unreachable
from automation.connectors.models import Call, CallStatus, Outcome
from automation.connectors.telephony import signing
from automation.settings import AutomationSettings
from automation.workflows.remote import Services
from crm_shared.auth.principal import Principal
from crm_shared.crypto import decrypt, encrypt, lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.http import outgoing
from crm_shared.validate import phone

RESOURCE = "automation:call"
NEWEST = Order.by(Call.started_at, Call.id, descending=True)
FOLLOW_UP_HOURS = 4  # a missed caller is called back the same working day


@dataclass(frozen=True)
class CallEvent:
    call_id: str
    event: str  # started, answered, ended
    direction: str  # inbound, outbound
    caller: str
    callee: str
    agent_id: uuid.UUID | None
    at: dt.datetime
    duration_seconds: int | None = None
    recording_url: str | None = None

    @property
    def number(self) -> str:
        """The customer's side of the call."""
        return self.caller if self.direction == "inbound" else self.callee


def _normalised(number: str) -> str | None:
    """The number as customer stores it, or None for one that is no phone number (a withheld caller)."""
    try:
        return phone(number, "from")
    except BadInput:
        return None


async def _locked(uow: UnitOfWork, event: CallEvent) -> Call:
    """The call's row, made by its first event; a click-to-call row still being written is waited for."""
    number = _normalised(event.number)
    await uow.session.execute(
        insert(Call)
        .values(
            id=uuid.uuid4(),
            call_id=event.call_id,
            direction=event.direction,
            number_enc=encrypt(number or event.number),
            number_hash=lookup_hash(number),
            agent_id=event.agent_id,
            status=CallStatus.RINGING,
            started_at=event.at,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["call_id"])
    )
    found = await uow.session.scalar(select(Call).where(col(Call.call_id) == event.call_id).with_for_update())
    assert found is not None
    return found


async def take(uow: UnitOfWork, services: Services, event: CallEvent) -> Outcome:
    """One CTI event on the call log; an ended call is concluded in customer."""
    call = await _locked(uow, event)
    call.agent_id = call.agent_id or event.agent_id
    call.updated_at = utcnow()
    if event.event == "started":
        call.started_at = event.at
        if call.status == CallStatus.REQUESTED:
            call.status = CallStatus.RINGING
        return Outcome.APPLIED
    if event.event == "answered":
        call.answered_at, call.status = event.at, CallStatus.ANSWERED
        return Outcome.APPLIED
    call.ended_at, call.duration_seconds, call.recording_url = event.at, event.duration_seconds, event.recording_url
    call.status = CallStatus.ENDED if call.answered_at else CallStatus.MISSED
    return await _conclude(uow, services, call, await _contact_of(services, call))


async def _contact_of(services: Services, call: Call) -> customer.Contact | None:
    if call.contact_id is not None and call.account_id is not None:  # dialled from the contact
        return customer.Contact(call.contact_id, "", call.account_id, None)
    if call.number_hash is None:
        return None
    found = await customer.by_phone(services, decrypt(call.number_enc) or "")
    return found[0] if found else None


def _subject(call: Call) -> str:
    if call.status == CallStatus.MISSED:
        return "未接来电" if call.direction == "inbound" else "未接通的去电"
    return "来电" if call.direction == "inbound" else "去电"


async def _conclude(uow: UnitOfWork, services: Services, call: Call, contact: customer.Contact | None) -> Outcome:
    """The ended call as a call activity on the contact (a missed incoming one also as a task for its owner)."""
    if contact is None or call.status not in (CallStatus.ENDED, CallStatus.MISSED):
        return Outcome.UNMATCHED
    call.contact_id, call.account_id = contact.id, contact.account_id
    activity = customer.NewActivity(
        contact=contact,
        kind="call",
        subject=_subject(call),
        occurred_at=call.started_at,
        outcome="missed" if call.status == CallStatus.MISSED else "answered",
        link=call.recording_url,
        duration_seconds=call.duration_seconds,
    )
    call.activity_id = await customer.log_activity(services, activity, f"call-{call.call_id}-activity")
    if call.status == CallStatus.MISSED and call.direction == "inbound":
        due = utcnow() + dt.timedelta(hours=FOLLOW_UP_HOURS)
        title = f"回电：{contact.name} 的未接来电" if contact.name else "回电：未接来电"
        call.task_id = await customer.follow_up(services, contact, title, due, f"call-{call.call_id}-task")
    await uow.flush()
    return Outcome.APPLIED


async def link(
    uow: UnitOfWork, services: Services, principal: Principal, call_id: uuid.UUID, contact_id: uuid.UUID, token: str
) -> Call:
    """An ended call no contact had the number of, put on the contact the caller chose (and can see)."""
    principal.require(f"{RESOURCE}:update")
    call = await get(uow, principal, call_id, lock=True)
    if call.activity_id is not None or call.status not in (CallStatus.ENDED, CallStatus.MISSED):
        raise Conflict("call_not_linkable")
    chosen = await customer.contact(services, contact_id, token)
    await _conclude(uow, services, call, chosen)
    return call


async def get(uow: UnitOfWork, principal: Principal, call_id: uuid.UUID, lock: bool = False) -> Call:
    principal.require(f"{RESOURCE}:read")
    found = await uow.session.get(Call, call_id, with_for_update=lock)
    if found is None or not principal.may_access(RESOURCE, found.agent_id, None):
        raise NotFound(entity="Call")
    return found


@dataclass(frozen=True)
class CallQuery:
    status: CallStatus | None = None
    unmatched: bool | None = None  # ended calls no contact had the number of
    agent_id: uuid.UUID | None = None


async def listed(uow: UnitOfWork, principal: Principal, where: CallQuery, first: int, after: str | None) -> Page[Call]:
    """The call log, newest first: the caller's own calls, or those of their scope."""
    principal.require(f"{RESOURCE}:read")
    query = select(Call).where(principal.scope_filter(RESOURCE, col(Call.agent_id)))
    if where.status is not None:
        query = query.where(col(Call.status) == where.status)
    if where.agent_id is not None:
        query = query.where(col(Call.agent_id) == where.agent_id)
    if where.unmatched is not None:
        ended = col(Call.status).in_((CallStatus.ENDED, CallStatus.MISSED))
        query = query.where(
            ended, col(Call.contact_id).is_(None) if where.unmatched else col(Call.contact_id).isnot(None)
        )
    return await page(uow, query, NEWEST, first, after)


async def start(
    uow: UnitOfWork,
    services: Services,
    settings: AutomationSettings,
    principal: Principal,
    contact_id: uuid.UUID,
    token: str,
) -> Call:
    """Click-to-call: the CTI rings the caller's phone, then the contact's; its events then fill the call in."""
    principal.require(f"{RESOURCE}:create")
    if not settings.cti_url or not settings.cti_secret:
        raise Conflict("cti_not_configured")
    contact = await customer.contact(services, contact_id, token)
    number = _normalised(contact.phone or "") if contact.phone and "*" not in contact.phone else None
    if number is None:
        raise BadInput("call_no_phone", field="contactId")
    call = Call(
        call_id=f"crm-{uuid.uuid4()}",
        direction="outbound",
        number_enc=encrypt(number),
        number_hash=lookup_hash(number),
        agent_id=principal.user_id,
        status=CallStatus.REQUESTED,
        contact_id=contact.id,
        account_id=contact.account_id,
    )
    uow.session.add(call)
    await uow.flush()  # the row exists (uncommitted) before the CTI can answer with its first event
    body, headers = signing.signed(
        settings.cti_secret, {"callId": call.call_id, "agentId": str(principal.user_id), "to": number}
    )
    try:
        async with outgoing.client(settings.call_timeout_seconds) as client:
            response = await client.post(settings.cti_url.rstrip("/") + "/calls", content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise Unreachable(f"CTI: {type(exc).__name__}") from exc
    if response.status_code >= 500:
        raise Unreachable(f"CTI answered {response.status_code}")
    if not 200 <= response.status_code < 300:
        raise Conflict("cti_refused", status=str(response.status_code))
    return call


def number_of(call: Call, principal: Principal) -> str | None:
    """The customer's number as the caller may see it (masked like a contact's phone when theirs are)."""
    number = decrypt(call.number_enc)
    if number and principal.masks("customer:contact.phone") and len(number) > 7:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return number
