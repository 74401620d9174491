"""The input policy on every REST request of every service, before any route runs.

Query parameters and JSON bodies are checked once here: no control characters in any text or key,
no array longer than `MAX_ITEMS`, no value nested deeper than `MAX_NESTING`, no number a column could
not hold (NaN, Infinity, 1e400); a body that is not JSON at all is refused the same way. The answer
is a 422 problem naming the field. Uploads (multipart) are checked by the routes that read them; `declared_only`
refuses a form field the route does not declare, as it does a JSON body's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Query, Request
from fastapi.dependencies.utils import get_flat_params
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_shared.db.pages import MAX_CURSOR
from crm_shared.errors import BadInput
from crm_shared.http.problems import refusal
from crm_shared.http.uploads import read_body
from crm_shared.validate import DECIMAL, field_name, items, largest, no_controls, shallow

MAX_NUMBER = largest()
MAX_SEARCH = 200


# the query parameters every REST list shares, with the constraints the OpenAPI document shows; what a cursor
# holds is `page()`'s to check, as for GraphQL's `after`, and the problem names it `cursor`
Cursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR, pattern=r"^[A-Za-z0-9_-]+$", description="`nextCursor` of the previous page."),
]
# the rule is `crm_shared.validate.DECIMAL`, shown here and applied where the amount is read (`exact_decimal`),
# so REST and GraphQL refuse the same texts with the same message; the service knows how many places it keeps
Amount = Annotated[
    str,
    Field(
        max_length=32,
        json_schema_extra={"pattern": DECIMAL.pattern},
        description='A decimal string, e.g. "128000.00" or "128,000.00".',
    ),
]


def text(maximum: int, **options: Any) -> Any:
    """A body field's length limit, the one its service applies, shown in the OpenAPI document."""
    return Field(max_length=maximum, **options)


SearchText = Annotated[str | None, Query(max_length=MAX_SEARCH, description="Words the records contain.")]


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def check_json(value: Any, path: list[str | int]) -> None:
    """Walk a decoded JSON body: texts, keys, array sizes and numbers."""
    field = field_name(path) or "body"
    if isinstance(value, str):
        no_controls(value, field)
    elif isinstance(value, list):
        items(value, field)
        for index, item in enumerate(value):
            check_json(item, [*path, index])
    elif isinstance(value, dict):
        for key, item in value.items():
            no_controls(key, field)
            check_json(item, [*path, key])
    elif isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        # what the field holds is its own type's to say (a score, a quantity, an amount): only "too large" here
        raise BadInput("number_too_large", field=field)


def check_query(query_string: bytes) -> None:
    try:
        pairs = parse_qsl(query_string.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadInput("control_characters", field="query") from exc
    for name, value in pairs:
        no_controls(name, "query")
        no_controls(value, name)


def check_body(body: bytes) -> None:
    if not body:
        return
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise BadInput("not_json", field="body") from exc
    for field, value in document.items() if isinstance(document, dict) else [("body", document)]:
        shallow(value, field)  # before `check_json` walks it level by level
    check_json(document, [])


async def declared_only(request: Request) -> None:
    """A REST request names only the query parameters and body fields its route declares: one it does not (a
    misspelt filter, `owner_id` where ownership changes by transfer) is refused at its name, never ignored, as
    GraphQL refuses a field its input lacks. Bodies, JSON or forms (uploads), are checked at their top level."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    _only(request.query_params, {param.alias for param in get_flat_params(dependant)})
    body = getattr(route, "body_field", None)
    model = getattr(getattr(body, "field_info", None), "annotation", None)
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or model.model_config.get("extra") == "allow":
        return
    sent = await _body(request)
    if isinstance(sent, Mapping):
        _only(sent.keys(), {*model.model_fields, *(info.alias for info in model.model_fields.values() if info.alias)})


async def _body(request: Request) -> Any:
    """The body as sent: JSON, or a form, which FastAPI read before any dependency ran (files stay spooled)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        return await request.json()
    if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return await request.form()
    return None


def _only(keys: Iterable[str], known: set[str]) -> None:
    for key in keys:
        if key not in known:
            raise BadInput("unknown_field", field=key or '""')  # an empty name is named as written


class InputPolicyMiddleware:
    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body  # a JSON body is held in memory to be checked

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/graphql"):
            await self.app(scope, receive, send)  # GraphQL has its own policy, argument by argument
            return
        headers = dict(scope["headers"])
        is_json = b"json" in headers.get(b"content-type", b"")
        try:
            check_query(scope.get("query_string", b""))
            no_controls(scope["path"], "path")
            body = await read_body(headers, receive, self.max_body) if is_json else b""
            check_body(body)
        except BadInput as error:
            await refusal(error)(scope, receive, send)
            return
        if not is_json:
            await self.app(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


__all__ = [
    "Amount",
    "Cursor",
    "InputPolicyMiddleware",
    "SearchText",
    "check_body",
    "check_json",
    "check_query",
    "declared_only",
    "text",
]
