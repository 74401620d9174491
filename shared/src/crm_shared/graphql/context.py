"""What every resolver gets: the caller (verified again here, not trusted from the gateway)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from fastapi import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from crm_shared.addresses import client_address
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import Database, UnitOfWork
from crm_shared.errors import NotFound, Unauthenticated

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Load = Callable[["RequestContext", Sequence[K]], Awaitable[Mapping[K, V]]]


class RequestContext(BaseContext):
    def __init__(self, request: Request, principal: Principal | None, auth_error: Exception | None) -> None:
        super().__init__()
        self.http = request
        self._principal = principal
        self._auth_error = auth_error
        self._loaders: dict[Any, DataLoader[Any, Any]] = {}
        self.reads_only = False  # a query's: set by `ReadOnlyQueries` once the operation is known

    @property
    def state(self) -> Any:
        """The application's state: database, services, settings."""
        return self.http.app.state

    def uow(self, *, writes: bool = False) -> AbstractAsyncContextManager[UnitOfWork]:
        """The resolver's unit of work: `async with info.context.uow() as uow:`; commits when the block ends. A
        query's only reads, each statement on its own (see `Database.unit_of_work`), unless it `writes` (a query
        that keeps what it makes on first asking)."""
        db: Database = self.state.db
        return db.unit_of_work(reads_only=self.reads_only and not writes)

    def batch(self, load: Load[K, V], entity: str) -> DataLoader[K, V]:
        """This request's loader of `entity` records by key: the references the gateway sends for a page (its
        owners, its accounts) are read by one `load` in one unit of work, not one each. A key `load` leaves out
        is NOT_FOUND, as it would be alone."""
        loader = self._loaders.get(load)
        if loader is None:
            loader = self._loaders[load] = DataLoader(functools.partial(_in_order, self, load, entity))
        return loader

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


async def _in_order(context: RequestContext, load: Load[K, V], entity: str, keys: list[K]) -> list[V | Exception]:
    found = await load(context, keys)
    return [found[key] if key in found else NotFound(entity=entity) for key in keys]


Info = StrawberryInfo[RequestContext, None]
