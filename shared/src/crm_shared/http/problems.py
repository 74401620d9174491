"""RFC 9457 problem+json responses for domain and validation errors, in the caller's language."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from crm_shared import audit
from crm_shared.context import current_principal
from crm_shared.errors import RETRY_AFTER_SECONDS, DomainError, Forbidden
from crm_shared.events.faults import INFRASTRUCTURE_ERRORS, describe, is_transient, scrubbed_traceback
from crm_shared.i18n import translate

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, code: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, Forbidden):
        await audit.denied(request.app.state.db, current_principal.get(), {**exc.params, "path": request.url.path})
    extra = {k: v for k, v in exc.extensions().items() if k != "code"}  # the same details GraphQL gives
    response = problem(exc.status, exc.code.replace("_", " ").title(), exc.code, exc.message(), **extra)
    if "retryAfterSeconds" in extra:
        response.headers["Retry-After"] = str(extra["retryAfterSeconds"])
    return response


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path"))
        key = "required_field" if err["type"] == "missing" else "invalid_field"
        errors.append({"field": field, "detail": translate(key, field=field, reason=err["msg"])})
    detail = "; ".join(e["detail"] for e in errors)
    return problem(422, "Bad User Input", "BAD_USER_INPUT", detail, errors=errors)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if is_transient(exc):
        log.warning("unavailable on %s %s: %s", request.method, request.url.path, describe(exc))
        response = problem(
            503,
            "Service Unavailable",
            "SERVICE_UNAVAILABLE",
            translate("unavailable"),
            retryAfterSeconds=RETRY_AFTER_SECONDS,
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    log.error("unhandled error on %s %s: %s", request.method, request.url.path, scrubbed_traceback(exc))
    return problem(500, "Internal Server Error", "INTERNAL_SERVER_ERROR", translate("internal"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # infrastructure errors get their own handlers: a server-error handler answers and then re-raises
    for kind in INFRASTRUCTURE_ERRORS:
        app.add_exception_handler(kind, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


# OpenAPI `responses=` entries: the problem+json answers a route documents
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = dict.fromkeys((401, 403, 404, 409, 422, 503), PROBLEM)
