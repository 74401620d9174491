"""Identity's REST API: thin routes over the service layer."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from crm_shared.graphql.context import client_address
from crm_shared.http import PROBLEM, CurrentPrincipal
from identity.auth.tokens import TokenPair
from identity.services import Identity
from identity.users.models import User
from identity.users.service import NewUser, UserFilter

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
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            roles=user.roles,
            org_unit_id=user.org_unit_id,
            is_active=user.is_active,
        )


class UserPage(BaseModel):
    items: list[UserOut]
    total_count: int
    next_cursor: str | None


class CreateUserRequest(BaseModel):
    email: str = Field(max_length=320)
    display_name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    roles: list[str] = Field(default_factory=list)
    org_unit_id: uuid.UUID | None = None


@router.post("/auth/login", responses={401: PROBLEM, 422: PROBLEM, 423: PROBLEM})
async def login(body: LoginRequest, request: Request, identity: Services) -> TokenResponse:
    """Exchange email and password (and a TOTP code once enabled) for tokens."""
    source = client_address(request)
    return TokenResponse.of(await identity.auth.login(body.email, body.password, source, body.totp_code))


class ApiKeyRequest(BaseModel):
    api_key: str = Field(max_length=200)


@router.post("/auth/token", responses={401: PROBLEM})
async def api_key_token(body: ApiKeyRequest, identity: Services) -> TokenResponse:
    """Client credentials: exchange a service account's API key for an access token."""
    return TokenResponse.of(await identity.auth.api_key_token(body.api_key, identity.service_accounts))


@router.post("/auth/refresh", responses={401: PROBLEM})
async def refresh(body: RefreshRequest, identity: Services) -> TokenResponse:
    """Rotate a refresh token."""
    return TokenResponse.of(await identity.auth.refresh(body.refresh_token))


@router.post("/auth/logout", status_code=204)
async def logout(body: RefreshRequest, identity: Services) -> None:
    """Revoke the session the refresh token belongs to."""
    await identity.auth.logout(body.refresh_token)


@router.get("/users/me", responses={401: PROBLEM})
async def me(principal: CurrentPrincipal, identity: Services) -> UserOut:
    """The signed-in user."""
    return UserOut.of(await identity.users.get(principal, principal.user_id))


@router.get("/users", responses={401: PROBLEM, 403: PROBLEM})
async def list_users(
    principal: CurrentPrincipal,
    identity: Services,
    search: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> UserPage:
    """Users within the caller's scope, ordered by name."""
    rows, total = await identity.users.page(principal, UserFilter(search, role, None, is_active), limit, cursor)
    from crm_shared.graphql import encode_cursor

    page = rows[:limit]
    next_cursor = encode_cursor([page[-1].display_name, str(page[-1].id)]) if len(rows) > limit else None
    return UserPage(items=[UserOut.of(u) for u in page], total_count=total, next_cursor=next_cursor)


@router.get("/users/{user_id}", responses={401: PROBLEM, 404: PROBLEM})
async def get_user(user_id: uuid.UUID, principal: CurrentPrincipal, identity: Services) -> UserOut:
    """One user within the caller's scope."""
    return UserOut.of(await identity.users.get(principal, user_id))


@router.post("/users", status_code=201, responses={401: PROBLEM, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM})
async def create_user(body: CreateUserRequest, principal: CurrentPrincipal, identity: Services) -> UserOut:
    """Create a user (administrators)."""
    data = NewUser(body.email, body.display_name, body.password, body.roles, body.org_unit_id)
    return UserOut.of(await identity.users.create(principal, data))


@router.post("/users/{user_id}/deactivate", responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
async def deactivate_user(user_id: uuid.UUID, principal: CurrentPrincipal, identity: Services) -> UserOut:
    """Block sign-in and revoke the user's sessions."""
    return UserOut.of(await identity.users.set_active(principal, user_id, False))


@router.post("/users/{user_id}/reactivate", responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
async def reactivate_user(user_id: uuid.UUID, principal: CurrentPrincipal, identity: Services) -> UserOut:
    """Allow sign-in again."""
    return UserOut.of(await identity.users.set_active(principal, user_id, True))


jwks_router = APIRouter(tags=["keys"])


@jwks_router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(request: Request) -> dict[str, Any]:
    keys: dict[str, Any] = await request.app.state.keys.jwks()
    return keys
