"""RFC 9457 problem+json responses for domain and validation errors, in the caller's language.

A request to a GraphQL endpoint that fails before GraphQL runs (its Idempotency-Key could not be
claimed with the database away) gets the same answer in GraphQL's shape, `errors[].extensions.code`,
so the gateway and GraphQL clients read SERVICE_UNAVAILABLE instead of an unreadable body.

The domain names a field as GraphQL does (`accountId`, `after`); a problem names it as REST does
(`account_id`, `cursor`), but on a route whose body is camelCase (a connector taking its partner's JSON).
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

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


# GraphQL's list arguments that REST calls otherwise; any other name is GraphQL's camelCase in snake_case
REST_NAMES = {"after": "cursor", "first": "limit"}
CAPITAL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def rest_name(field: str) -> str:
    """`accountId` → `account_id`, `lines[0].unitPrice` → `lines[0].unit_price`, `after` → `cursor`; a header
    (`Idempotency-Key`) stays as it is."""
    return CAPITAL.sub(lambda capital: "_" + capital[1].lower(), REST_NAMES.get(field, field))


def _camel_case_body(request: Request) -> bool:
    """Whether the route's body names its fields in camelCase, as GraphQL does."""
    route = request.scope.get("route")
    for param in getattr(getattr(route, "dependant", None), "body_params", ()):
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel) and model.model_config.get("alias_generator"):
            return True
    return False


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, Forbidden):
        await audit.denied(request.app.state.db, current_principal.get(), {**exc.params, "path": request.url.path})
    if exc.field and not _camel_case_body(request):
        exc.field = rest_name(exc.field)  # the error ends here, said once in this transport's names
    return refusal(exc)


def refusal(exc: DomainError) -> JSONResponse:
    """A domain error as a problem response, with the same details GraphQL gives."""
    extra = {k: v for k, v in exc.extensions().items() if k != "code"}
    response = problem(exc.status, exc.code.replace("_", " ").title(), exc.code, exc.message(), **extra)
    if "retryAfterSeconds" in extra:
        response.headers["Retry-After"] = str(extra["retryAfterSeconds"])
    return response


# pydantic's messages are English only: its error types are said in the suite's words instead, with the limit its
# `ctx` gives; a type not named here is an invalid value, never pydantic's English
SAID = {
    "missing": "required_field",
    "json_invalid": "not_json",
    "string_pattern_mismatch": "bad_format",
    "timezone_aware": "needs_time_zone",
    "extra_forbidden": "unknown_field",
    "int_parsing_size": "number_too_large",
}
LIMITS = {  # error type: message, its parameter, the `ctx` entry that gives it
    "string_too_short": ("too_short", "minimum", "min_length"),
    "string_too_long": ("too_long", "maximum", "max_length"),
    "too_short": ("too_few_items", "minimum", "min_length"),
    "too_long": ("too_many_items", "maximum", "max_length"),
    "greater_than_equal": ("at_least", "minimum", "ge"),
    "greater_than": ("more_than", "minimum", "gt"),
    "less_than_equal": ("at_most", "maximum", "le"),
    "less_than": ("less_than", "maximum", "lt"),
}
CHOICE = re.compile(r"'([^']*)'")  # an enum's or literal's values in pydantic's "'a', 'b' or 'c'"
# the type wanted by the first word of a `*_type` or `*_parsing` error, named as GraphQL names it
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
    kind, context = str(err["type"]), err.get("ctx") or {}
    if kind in SAID:
        return translate(SAID[kind], field=field)
    if kind in LIMITS and (limit := LIMITS[kind])[2] in context:
        return translate(limit[0], field=field, **{limit[1]: context[limit[2]]})
    choices = CHOICE.findall(str(context.get("expected", ""))) if kind in ("enum", "literal_error") else []
    if choices:
        return translate("one_of", field=field, choices=", ".join(choices))
    wanted = EXPECTED.get(kind.split("_", 1)[0])
    if wanted is not None and (kind.endswith(("_type", "_parsing")) or kind == "int_from_float"):
        return translate("expected_type", field=field, type=wanted)
    return translate("invalid_value", field=field)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Each refused value named as the services name fields (`lines[0].quantity`; `body` for the body itself)."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        field = field_name([p for p in err["loc"] if p not in ("body", "query", "path")]) or str(err["loc"][0])
        errors.append({"field": field, "detail": _detail(err, field)})
    detail = "; ".join(e["detail"] for e in errors)
    return problem(422, "Bad User Input", "BAD_USER_INPUT", detail, field=errors[0]["field"], errors=errors)


METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


async def _routing_error(request: Request, exc: Exception) -> Response:
    """The router's own refusals said as every other error is: no operation at the path (NOT_FOUND), or none for the
    method (405 with BAD_USER_INPUT, the suite's code for a request refused for its form, as for a file too large)."""
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code == 404:
        return answer(path, 404, "Not Found", "NOT_FOUND", translate("no_such_path"))
    if exc.status_code != 405:
        return await http_exception_handler(request, exc)
    allowed = ", ".join(allowed_methods(request))
    detail = translate("method_not_allowed", method=request.method, allowed=allowed)
    response = answer(path, 405, "Method Not Allowed", "BAD_USER_INPUT", detail)
    response.headers["Allow"] = allowed
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at the request's path: the router's own `Allow` names the first route's only
    (`GET` for a path that takes `POST` too)."""
    scope = {k: v for k, v in request.scope.items() if k not in ("fastapi", "route", "endpoint", "path_params")}
    routes = request.app.router.routes
    return [m for m in METHODS if any(r.matches({**scope, "method": m})[0] is Match.FULL for r in routes)]


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
    app.add_exception_handler(HTTPException, _routing_error)
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
    field: str | None = Field(
        default=None,
        description="The parameter or body field at fault, when one is, named as this API names it "
        "(`account_id`, `cursor`, `lines[0].quantity`, `body`).",
    )
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
