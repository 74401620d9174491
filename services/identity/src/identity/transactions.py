"""What must happen outside the request's transaction: after its commit, or whether or not it commits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import event

from crm_shared.db import UnitOfWork


def after_commit(uow: UnitOfWork, action: Callable[[], Any]) -> None:
    """Run `action` once the boundary's transaction has committed (never when it rolls back)."""
    event.listen(uow.session.sync_session, "after_commit", lambda _session: action(), once=True)


def apart(uow: UnitOfWork) -> AbstractAsyncContextManager[UnitOfWork]:
    """A transaction of its own, for what must persist although the request fails (failed sign-ins, reuse)."""
    return uow.db.unit_of_work()
