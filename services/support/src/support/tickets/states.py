"""A ticket's kinds and states, and which status changes are allowed (pure)."""

from __future__ import annotations

from enum import StrEnum

from crm_shared.i18n import translate


class TicketType(StrEnum):
    INQUIRY = "inquiry"
    FAULT = "fault"
    COMPLAINT = "complaint"  # 投诉: needs a reviewed root cause and resolution before it closes
    RETURN = "return"
    MAINTENANCE = "maintenance"  # 维保


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    def raised(self) -> Priority:
        order = list(Priority)
        return order[min(order.index(self) + 1, len(order) - 1)]


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    CHAT = "chat"
    WECHAT = "wechat"
    VISIT = "visit"


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Review(StrEnum):
    """A complaint's review by a service manager."""

    NONE = "none"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


RUNNING = frozenset({TicketStatus.NEW, TicketStatus.OPEN})  # SLA clocks run
PAUSED = frozenset({TicketStatus.PENDING_CUSTOMER, TicketStatus.ON_HOLD})  # clocks wait
DONE = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})  # clocks stop
OPEN_STATES = RUNNING | PAUSED

_WORKING = {TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER, TicketStatus.ON_HOLD, TicketStatus.RESOLVED}
ALLOWED: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.NEW: frozenset(_WORKING),
    TicketStatus.OPEN: frozenset(_WORKING - {TicketStatus.OPEN}),
    TicketStatus.PENDING_CUSTOMER: frozenset(_WORKING - {TicketStatus.PENDING_CUSTOMER}),
    TicketStatus.ON_HOLD: frozenset(_WORKING - {TicketStatus.ON_HOLD}),
    TicketStatus.RESOLVED: frozenset({TicketStatus.CLOSED, TicketStatus.OPEN}),
    TicketStatus.CLOSED: frozenset({TicketStatus.OPEN}),
}


def allowed(current: TicketStatus, to: TicketStatus) -> bool:
    return to in ALLOWED[current]


def shown(status: TicketStatus, locale: str | None = None) -> str:
    """A status as the console names it, in the caller's language (or `locale`)."""
    return translate(f"ticket_status_{status}", locale)
