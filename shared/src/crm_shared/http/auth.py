"""What a REST route takes from the platform: the authenticated caller and its unit of work."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from crm_shared.auth.principal import Principal
from crm_shared.auth.request import authenticate, require_principal
from crm_shared.db.engine import Database, UnitOfWork


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """Committed when the route returns, before the response leaves; rolled back when it raises."""
    db: Database = request.app.state.db
    async with db.unit_of_work() as uow:
        yield uow


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
Transaction = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]

__all__ = ["CurrentPrincipal", "Transaction", "authenticate", "require_principal", "unit_of_work"]
