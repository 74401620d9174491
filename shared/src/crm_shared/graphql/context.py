"""What every resolver gets: the caller (verified again here, not trusted from the gateway)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import Request
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from crm_shared.addresses import client_address
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import Database, UnitOfWork
from crm_shared.errors import Unauthenticated


class RequestContext(BaseContext):
    def __init__(self, request: Request, principal: Principal | None, auth_error: Exception | None) -> None:
        super().__init__()
        self.http = request
        self._principal = principal
        self._auth_error = auth_error

    @property
    def state(self) -> Any:
        """The application's state: database, services, settings."""
        return self.http.app.state

    def uow(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """The resolver's unit of work: `async with info.context.uow() as uow:`; commits when the block ends."""
        db: Database = self.state.db
        return db.unit_of_work()

    @property
    def principal(self) -> Principal:
        """The authenticated caller; UNAUTHENTICATED when the request had no valid token."""
        if self._principal is None:
            raise self._auth_error or Unauthenticated()
        return self._principal

    @property
    def current(self) -> Principal | None:
        """The caller if authenticated, without raising."""
        return self._principal

    @property
    def client_ip(self) -> str:
        """The caller's address; X-Forwarded-For counts only when a trusted proxy (the gateway) sent it."""
        return client_address(self.http)


Info = StrawberryInfo[RequestContext, None]
