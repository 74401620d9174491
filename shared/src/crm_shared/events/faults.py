"""Which failures pass (a database restarting, a broker away, a network blip) and which never will.

A transient failure is retried for as long as it lasts, holding the event where it is; only an
event that can never be applied (undecodable, invalid, violating a constraint) is dead-lettered.
"""

from __future__ import annotations

import traceback

import asyncpg
import httpx
import pydantic
import sqlalchemy.exc
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, RequestTimedOutError

from crm_shared.errors import DomainError

# SQLSTATE classes that pass: connection exception, insufficient resources, operator intervention
# (shutdown, cannot connect now), transaction rollback (serialization failure, deadlock)
TRANSIENT_CLASSES = ("08", "53", "57", "40")
# object not in prerequisite state (a database not accepting connections) and a database that does
# not exist, which is what a restore's swap of a database for its restored copy looks like for an instant
TRANSIENT_STATES = ("55000", "3D000")
UNIQUE_VIOLATION = "23505"
TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.exceptions.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free in time
    KafkaConnectionError,
    KafkaTimeoutError,
    RequestTimedOutError,
    httpx.TransportError,  # another service's API out of reach
)


# the families a transient failure comes in, for handlers that must catch them by class
INFRASTRUCTURE_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    sqlalchemy.exc.DBAPIError,
    sqlalchemy.exc.TimeoutError,
    asyncpg.exceptions.PostgresError,
    asyncpg.exceptions.InterfaceError,
    KafkaConnectionError,
    KafkaTimeoutError,
    httpx.HTTPError,
)


def is_transient(error: BaseException) -> bool:
    """True when the error, or one it was raised from, is a fault of the infrastructure that will pass."""
    for cause in _chain(error):
        if isinstance(cause, TRANSIENT_TYPES):
            return True
        if isinstance(cause, sqlalchemy.exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, httpx.HTTPStatusError) and cause.response.status_code >= 500:
            return True
        state = str(getattr(cause, "sqlstate", "") or "")
        if state[:2] in TRANSIENT_CLASSES or state in TRANSIENT_STATES:
            return True
    return False


def collided(error: BaseException) -> bool:
    """True when a unique index refused the write because a concurrent transaction committed the same key first:
    the check before it (a name taken, a number used) could not see that transaction, so it is a conflict to try
    again, not a fault."""
    return any(str(getattr(cause, "sqlstate", "") or "") == UNIQUE_VIOLATION for cause in _chain(error))


def describe(error: BaseException) -> str:
    """What went wrong, for logs and dead-letter headers: the kind of error and where, never its values.

    Messages are left out: a database error quotes the row it refused (`Key (email)=(...)`), a
    validation error the input, and a handler's own message whatever it was given.
    """
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        orig = error.orig
        driver = (orig.__cause__ if orig is not None else None) or orig  # asyncpg's error, under SQLAlchemy's adapter
        constraint = getattr(driver, "constraint_name", None)
        on = f", constraint {constraint}" if constraint else ""
        return f"{type(driver).__name__} (SQLSTATE {getattr(orig, 'sqlstate', '?')}{on})"
    if isinstance(error, asyncpg.exceptions.PostgresError):
        return f"{type(error).__name__} (SQLSTATE {error.sqlstate})"
    if isinstance(error, pydantic.ValidationError):
        places = ", ".join(f"{'.'.join(map(str, e['loc'])) or '-'} ({e['type']})" for e in error.errors()[:10])
        return f"ValidationError of {error.title}: {places}"
    if isinstance(error, DomainError):
        return f"{type(error).__name__} ({error.code} {error.key}{f', field {error.field}' if error.field else ''})"
    return type(error).__name__


def scrubbed_traceback(error: BaseException) -> str:
    """A traceback (code lines, no local values) whose exception lines are `describe`d, not quoted."""
    parts = []
    for cause in reversed(_causes(error)):
        frames = "".join(traceback.format_tb(cause.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{describe(cause)}")
    return "\n\nwhich led to:\n\n".join(parts)


def _causes(error: BaseException) -> list[BaseException]:
    """The error and the ones it was raised from or during, newest first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is seen for seen in chain) and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return seen
