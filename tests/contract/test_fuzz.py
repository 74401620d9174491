"""Security fuzzing: schemathesis over every service's REST API and GraphQL subgraph, signed in as an
administrator, against the real app on a real port with real PostgreSQL and the broker.

Whatever the generated input, a service answers a client error naming the field or a success,
never a server error (5xx, INTERNAL_SERVER_ERROR) and never a body that breaks its own schema.
Every installed service is fuzzed (`crm_shared.service.discover()`), so a new one is covered
without a line here. `CRM_FUZZ_EXAMPLES` sets the examples per operation (default 8: the whole run
stays within about three minutes on two cores).
"""

import json
import os
import threading
import time
import typing
import uuid

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.graphql import nodes
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import text

from crm_shared.devstack.broker import free_port
from crm_shared.service import discover
from crm_shared.testing import discard_database, ensure_service_topics, fresh_database, persona_map, service_app
from crm_shared.testing.tokens import Persona

EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "8"))
SERVICES = [manifest.name for manifest in discover()]
ADMIN = persona_map(Persona("admin", ("*",), {}, uuid.uuid4()))["admin"]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # report, do not shrink: the run stays bounded
    suppress_health_check=list(HealthCheck),
)
TEXT = st.text(max_size=40)  # any characters, U+0000 included

# strawberry's JSON scalar: any text, U+0000 included, and objects of such text
schemathesis.graphql.scalar(
    "JSON", st.one_of(TEXT, st.dictionaries(TEXT, TEXT, max_size=3).map(json.dumps)).map(nodes.String)
)
schemathesis.graphql.scalar("_Any", st.just(nodes.Null))


class Server:
    """A service app served by uvicorn on a free port in a thread of its own (its own event loop)."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, port=self.port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the service did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture(scope="module", params=SERVICES)
async def served(request, postgres, platform_settings, tokens, smtp_sink):
    """(name, base URL, admin headers) of one service running on its own fresh database."""
    [manifest] = [m for m in discover() if m.name == request.param]
    create_app = manifest.load(manifest.app)
    settings_type = typing.get_args(typing.get_type_hints(create_app)["settings"])[0]
    settings = settings_type()
    if "smtp_port" in type(settings).model_fields:
        settings = settings.model_copy(update={"smtp_port": smtp_sink.port})
    await ensure_service_topics(platform_settings, manifest.topics)
    db = await fresh_database(postgres, manifest.name)
    async with db.read() as session:  # identity keeps users, not a directory of them
        directory = await session.scalar(text("SELECT to_regclass('directory_users') IS NOT NULL"))
    app = await service_app(create_app, settings, platform_settings, tokens, {"admin": ADMIN} if directory else {}, db)
    await app.state.db.dispose()  # the server's own event loop opens its connections
    headers = {"Authorization": f"Bearer {tokens.token(ADMIN, lifetime=3600)}", "Accept-Language": "en"}
    with Server(app) as server:
        yield manifest.name, server.url, headers
    await discard_database(postgres, db)


def fuzz(operations, check) -> list[str]:
    """Run `check(case)` on EXAMPLES generated cases of every operation; the failures, described."""
    failures: list[str] = []

    def examples(operation):
        @FUZZ
        @given(case=operation.as_strategy())
        def run(case):
            try:
                check(case)
            except Exception as error:  # every failure is collected, so one report lists them all
                failures.append(f"{operation.label}: {error!r}"[:2000])

        return run

    for result in operations:
        examples(result.ok())()
    return failures


def no_server_error(ctx, response, case) -> bool | None:
    """No 5xx, but for the outage answer (503, SERVICE_UNAVAILABLE, Retry-After) of a service that calls
    another to do its work: fuzzed alone, it finds that other service away, and says so as it should."""
    outage = response.status_code == 503 and response.headers.get("retry-after")
    if outage and json.loads(response.content).get("code") == "SERVICE_UNAVAILABLE":
        return None
    return not_a_server_error(ctx, response, case)


def test_rest_api_answers_no_server_error_and_keeps_its_schema(served):
    name, url, headers = served
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    api = [r for r in schema.get_all_operations() if r.ok().path.startswith("/api/")]

    def check(case):
        response = case.call(base_url=url, headers=headers, timeout=60)
        case.validate_response(response, checks=[no_server_error, response_schema_conformance])

    assert fuzz(api, check) == [], name


def test_graphql_subgraph_answers_no_server_error_and_keeps_its_schema(served):
    name, url, headers = served
    schema = schemathesis.graphql.from_url(f"{url}/graphql")
    operations = [r for r in schema.get_all_operations() if not r.ok().label.startswith("Query._")]

    def check(case):
        body = case.as_transport_kwargs(base_url=url, headers=headers)["json"]
        response = httpx.post(f"{url}/graphql", json=body, headers=headers, timeout=60)
        assert response.status_code < 500, response.text
        answer = response.json()
        assert isinstance(answer, dict) and ("data" in answer or "errors" in answer), response.text
        for error in answer.get("errors") or []:
            code = error.get("extensions", {}).get("code")
            assert code != "INTERNAL_SERVER_ERROR", (body, error)
            assert "Cannot return null for non-nullable field" not in error["message"], (body, error)

    assert fuzz(operations, check) == [], name
