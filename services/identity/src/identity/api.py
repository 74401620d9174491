"""Identity's REST API: thin routes over the service layer."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from crm_shared.addresses import client_address
from crm_shared.http import PROBLEM, CurrentPrincipal, Cursor, SearchText, Transaction
from crm_shared.http.idempotency import no_store
from crm_shared.rows import from_row
from identity.auth.tokens import TokenPair
from identity.services import Identity
from identity.users import service as users
from identity.users.service import NewUser, UserFilter
from identity.users.views import UserView

router = APIRouter(prefix="/api/v1", tags=["identity"])


def _identity(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


Services = Annotated[Identity, Depends(_identity)]


class LoginRequest(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    totp_code: str | None = Field(default=None, max_length=10)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=512)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    roles: list[str]
    org_unit_id: uuid.UUID | None
    is_active: bool

    @classmethod
    def of(cls, user: UserView) -> UserOut:
        return from_row(cls, user)


class UserPage(BaseModel):
    items: list[UserOut]
    total_count: int
    total_count_is_exact: bool
    next_cursor: str | None


class CreateUserRequest(BaseModel):
    email: str = Field(max_length=320)
    display_name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    roles: list[str] = Field(default_factory=list, max_length=50)
    org_unit_id: uuid.UUID | None = None


@router.post("/auth/login", responses={401: PROBLEM, 422: PROBLEM, 423: PROBLEM}, dependencies=[Depends(no_store)])
async def login(body: LoginRequest, request: Request, uow: Transaction, identity: Services) -> TokenResponse:
    """Exchange email and password (and a TOTP code once enabled) for tokens."""
    source = client_address(request)
    return TokenResponse.of(await identity.signin.login(uow, body.email, body.password, source, body.totp_code))


class ApiKeyRequest(BaseModel):
    api_key: str = Field(max_length=200)


@router.post("/auth/token", responses={401: PROBLEM}, dependencies=[Depends(no_store)])
async def api_key_token(body: ApiKeyRequest, uow: Transaction, identity: Services) -> TokenResponse:
    """Client credentials: exchange a service account's API key for an access token."""
    return TokenResponse.of(await identity.signin.api_key_token(uow, body.api_key))


@router.post("/auth/refresh", responses={401: PROBLEM}, dependencies=[Depends(no_store)])
async def refresh(body: RefreshRequest, uow: Transaction, identity: Services) -> TokenResponse:
    """Rotate a refresh token."""
    return TokenResponse.of(await identity.signin.refresh(uow, body.refresh_token))


@router.post("/auth/logout", status_code=204)
async def logout(body: RefreshRequest, uow: Transaction, identity: Services) -> None:
    """Revoke the session the refresh token belongs to."""
    await identity.signin.logout(uow, body.refresh_token)


@router.get("/users/me", responses={401: PROBLEM})
async def me(principal: CurrentPrincipal, uow: Transaction) -> UserOut:
    """The signed-in user."""
    return UserOut.of(await users.get(uow, principal, principal.user_id))


@router.get("/users", responses={401: PROBLEM, 403: PROBLEM})
async def list_users(
    principal: CurrentPrincipal,
    uow: Transaction,
    search: SearchText = None,
    role: str | None = None,
    is_active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> UserPage:
    """Users within the caller's scope, ordered by name."""
    found = await users.page(uow, principal, UserFilter(search, role, None, is_active), limit, cursor)
    items = [UserOut.of(u) for u in found.items]
    count = await found.count()
    return UserPage(
        items=items, total_count=count.value, total_count_is_exact=count.exact, next_cursor=found.next_cursor
    )


@router.get("/users/{user_id}", responses={401: PROBLEM, 404: PROBLEM})
async def get_user(user_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> UserOut:
    """One user within the caller's scope."""
    return UserOut.of(await users.get(uow, principal, user_id))


@router.post("/users", status_code=201, responses={401: PROBLEM, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM})
async def create_user(body: CreateUserRequest, principal: CurrentPrincipal, uow: Transaction) -> UserOut:
    """Create a user (administrators)."""
    data = NewUser(body.email, body.display_name, body.password, body.roles, body.org_unit_id)
    return UserOut.of(await users.create(uow, principal, data))


@router.post("/users/{user_id}/deactivate", responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
async def deactivate_user(user_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> UserOut:
    """Block sign-in and revoke the user's sessions."""
    return UserOut.of(await users.set_active(uow, principal, user_id, False))


@router.post("/users/{user_id}/reactivate", responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
async def reactivate_user(user_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> UserOut:
    """Allow sign-in again."""
    return UserOut.of(await users.set_active(uow, principal, user_id, True))


jwks_router = APIRouter(tags=["keys"])


@jwks_router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(request: Request) -> dict[str, Any]:
    keys: dict[str, Any] = await request.app.state.keys.jwks()
    return keys
