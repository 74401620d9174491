"""The authenticated caller as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends

from crm_shared.auth.principal import Principal
from crm_shared.auth.request import authenticate, require_principal

CurrentPrincipal = Annotated[Principal, Depends(require_principal)]

__all__ = ["CurrentPrincipal", "authenticate", "require_principal"]
