"""RFC 9457 problem+json responses for domain and validation errors, in the caller's language.

A request to a GraphQL endpoint that fails before GraphQL runs (its Idempotency-Key could not be
claimed with the database away) gets the same answer in GraphQL's shape, `errors[].extensions.code`,
so the gateway and GraphQL clients read SERVICE_UNAVAILABLE instead of an unreadable body.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crm_shared import audit
from crm_shared.context import current_principal
from crm_shared.errors import RETRY_AFTER_SECONDS, DomainError, Forbidden
from crm_shared.events.faults import INFRASTRUCTURE_ERRORS, collided, describe, is_transient, scrubbed_traceback
from crm_shared.i18n import translate
from crm_shared.validate import field_name

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, code: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def answer(path: str, status: int, title: str, code: str, detail: str, **extra: object) -> JSONResponse:
    """`problem`, or the same error as a GraphQL response on a GraphQL endpoint."""
    if path.endswith("/graphql"):
        error = {"message": detail, "extensions": {"code": code, **extra}}
        return JSONResponse({"errors": [error]}, status_code=status)
    return problem(status, title, code, detail, **extra)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, Forbidden):
        await audit.denied(request.app.state.db, current_principal.get(), {**exc.params, "path": request.url.path})
    return refusal(exc)


def refusal(exc: DomainError) -> JSONResponse:
    """A domain error as a problem response, with the same details GraphQL gives."""
    extra = {k: v for k, v in exc.extensions().items() if k != "code"}
    response = problem(exc.status, exc.code.replace("_", " ").title(), exc.code, exc.message(), **extra)
    if "retryAfterSeconds" in extra:
        response.headers["Retry-After"] = str(extra["retryAfterSeconds"])
    return response


# pydantic's error types by the type they wanted, named as GraphQL names them (its messages are English only)
EXPECTED = {
    "int": "Int",
    "float": "Float",
    "bool": "Boolean",
    "string": "String",
    "uuid": "ID",
    "date": "Date",
    "datetime": "DateTime",
    "decimal": "Decimal",
    "dict": "object",
    "model": "object",
    "list": "list",
}


def _detail(err: dict[str, Any], field: str) -> str:
    if err["type"] == "missing":
        return translate("required_field", field=field)
    wanted = EXPECTED.get(str(err["type"]).split("_", 1)[0])
    if wanted is not None and str(err["type"]).endswith(("_type", "_parsing")):
        return translate("expected_type", field=field, type=wanted)
    return translate("invalid_field", field=field, reason=err["msg"])


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Each refused value named as the services name fields (`lines[0].quantity`; `body` for the body itself)."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        field = field_name([p for p in err["loc"] if p not in ("body", "query", "path")]) or str(err["loc"][0])
        errors.append({"field": field, "detail": _detail(err, field)})
    detail = "; ".join(e["detail"] for e in errors)
    return problem(422, "Bad User Input", "BAD_USER_INPUT", detail, field=errors[0]["field"], errors=errors)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if is_transient(exc):
        log.warning("unavailable on %s %s: %s", request.method, request.url.path, describe(exc))
        return unavailable(request.url.path)
    if collided(exc):
        log.warning("conflict on %s %s: %s", request.method, request.url.path, describe(exc))
        return answer(request.url.path, 409, "Conflict", "CONFLICT", translate("collided"))
    log.error("unhandled error on %s %s: %s", request.method, request.url.path, scrubbed_traceback(exc))
    return answer(request.url.path, 500, "Internal Server Error", "INTERNAL_SERVER_ERROR", translate("internal"))


def unavailable(path: str) -> JSONResponse:
    """SERVICE_UNAVAILABLE with when to try again: a database, broker or service that is away."""
    response = answer(
        path,
        503,
        "Service Unavailable",
        "SERVICE_UNAVAILABLE",
        translate("unavailable"),
        retryAfterSeconds=RETRY_AFTER_SECONDS,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # infrastructure errors get their own handlers: a server-error handler answers and then re-raises
    for kind in INFRASTRUCTURE_ERRORS:
        app.add_exception_handler(kind, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


class Problem(BaseModel):
    """RFC 9457 problem details: what every error answers, with the code and field GraphQL gives too."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    code: str = Field(description="UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, BAD_USER_INPUT, ...")
    detail: str = Field(description="In the caller's language (Accept-Language: zh-CN or en).")
    field: str | None = Field(default=None, description="The input field at fault, when one is.")
    errors: list[dict[str, str]] | None = Field(default=None, description="Every field at fault in a 422.")
    retryAfterSeconds: int | None = Field(default=None, description="When a 429 or 503 may be tried again.")


# OpenAPI `responses=` entries: the problem+json answers a route documents
PROBLEM: dict[str, Any] = {"content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS: dict[int | str, dict[str, Any]] = dict.fromkeys((401, 403, 404, 409, 422, 503), PROBLEM)


def applicable(path: str, method: str) -> list[int]:
    """The errors an operation can answer: everyone may send bad input or meet an outage; only
    signed-in routes refuse callers; only routes naming an object miss it; only writes conflict."""
    statuses = [422, 503]
    if "/public/" not in path:
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if method != "get":
        statuses.append(409)
    return sorted(statuses)


def document(app: FastAPI) -> None:
    """Every REST operation's OpenAPI entry lists the problem+json errors it can answer, with their schema."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items() if path.startswith("/api/") else ():
                responses = operation.setdefault("responses", {})
                for status in applicable(path, method):
                    described = {"description": HTTPStatus(status).phrase, **PROBLEM}
                    responses.setdefault(str(status), described)
                for status, response in responses.items():
                    if status.startswith(("4", "5")) and MEDIA_TYPE in response.get("content", {}):
                        response["content"][MEDIA_TYPE].setdefault("schema", PROBLEM["content"][MEDIA_TYPE]["schema"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
