"""Identity's REST API: thin routes over IdentityService."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from crm_shared.http import CurrentPrincipal
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from identity.models import User
from identity.service import IdentityService, NewUser

router = APIRouter(prefix="/api/v1", tags=["identity"])
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def _service(request: Request) -> IdentityService:
    service: IdentityService = request.app.state.identity
    return service


Service = Annotated[IdentityService, Depends(_service)]


class LoginRequest(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=512)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    roles: list[str]
    is_active: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            roles=user.roles,
            is_active=user.is_active,
        )


class CreateUserRequest(BaseModel):
    email: str = Field(max_length=320)
    display_name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    roles: list[str] = Field(default_factory=list)


@router.post("/auth/login", responses={401: PROBLEM, 422: PROBLEM})
async def login(body: LoginRequest, service: Service) -> TokenResponse:
    """Exchange email and password for tokens."""
    pair = await service.login(body.email, body.password)
    return TokenResponse(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.post("/auth/refresh", responses={401: PROBLEM})
async def refresh(body: RefreshRequest, service: Service) -> TokenResponse:
    """Rotate a refresh token."""
    pair = await service.refresh(body.refresh_token)
    return TokenResponse(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.get("/users/me", responses={401: PROBLEM})
async def me(principal: CurrentPrincipal, service: Service) -> UserOut:
    """The signed-in user."""
    return UserOut.of(await service.me(principal))


@router.get("/users/{user_id}", responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
async def get_user(user_id: uuid.UUID, principal: CurrentPrincipal, service: Service) -> UserOut:
    """One user."""
    return UserOut.of(await service.get_user(principal, user_id))


@router.post("/users", status_code=201, responses={401: PROBLEM, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM})
async def create_user(body: CreateUserRequest, principal: CurrentPrincipal, service: Service) -> UserOut:
    """Create a user (administrators)."""
    data = NewUser(body.email, body.display_name, body.password, body.roles)
    return UserOut.of(await service.create_user(principal, data))


jwks_router = APIRouter(tags=["keys"])


@jwks_router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(request: Request) -> dict[str, Any]:
    keys: dict[str, Any] = await request.app.state.keys.jwks()
    return keys
