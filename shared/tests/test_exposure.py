"""Production hardening every service gets from the platform: its secrets, client addresses, request ids,
and no schema, docs or field suggestions for those not allowed to read them."""

import ipaddress

import httpx
import pytest
from fastapi import Request
from pydantic import ValidationError
from sqlmodel import SQLModel

from crm_shared.addresses import bucket, client_address, resolve
from crm_shared.auth.directory import DirectoryServiceAccount, DirectoryUser
from crm_shared.config import DEV_FIELD_KEY, InsecureConfiguration, PlatformSettings, ServiceSettings
from crm_shared.context import client_request_id, request_id
from crm_shared.http.middleware import sanitise_client_id
from crm_shared.testing import GraphQLClient, service_app
from crm_shared.testing.tokens import Persona, TokenFactory

from .test_service_kit import PERSONAS, create_app

STRONG = "s3cret-from-the-vault-0123456789"
TRUSTED = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")]


def production(**changes):
    values = {"env": "production", "field_encryption_key": STRONG, **changes}
    return PlatformSettings().model_copy(update=values)


def test_production_refuses_the_development_secrets_naming_each_setting():
    with pytest.raises(InsecureConfiguration) as refused:
        create_app(ServiceSettings(), production(field_encryption_key=DEV_FIELD_KEY))
    assert str(refused.value) == (
        "CRM_ENV=production refuses to start: CRM_FIELD_ENCRYPTION_KEY is the development default; "
        "DATABASE_URL is the development default"
    )


def test_production_refuses_missing_and_short_secrets():
    settings = ServiceSettings(database_url="postgresql+asyncpg://kit:real@db/kit")
    for key, problem in (("", "is not set"), ("short", "is shorter than 16 characters")):
        with pytest.raises(InsecureConfiguration) as refused:
            create_app(settings, production(field_encryption_key=key))
        assert str(refused.value) == f"CRM_ENV=production refuses to start: CRM_FIELD_ENCRYPTION_KEY {problem}"
    assert create_app(settings, production()).state.platform.production  # real secrets: it starts


def test_development_starts_on_the_development_secrets():
    assert not create_app(ServiceSettings(), PlatformSettings(env="development")).state.platform.production


def test_trusted_proxies_must_be_addresses_or_networks():
    assert PlatformSettings(trusted_proxies="10.0.0.0/8, 127.0.0.1").proxies == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("127.0.0.1/32"),
    )
    with pytest.raises(ValidationError, match="CRM_TRUSTED_PROXIES"):
        PlatformSettings(trusted_proxies="gateway")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # straight from a client: its header is ignored
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),  # from the gateway: the address it saw
        ("10.1.2.3", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself stays unheard
        ("10.1.2.3", "198.51.100.1, 10.9.9.9", "198.51.100.1"),  # through two trusted proxies
        ("10.1.2.3", "not-an-address", "10.1.2.3"),  # garbage: the last address vouched for
        ("10.1.2.3", None, "10.1.2.3"),
        ("::ffff:10.1.2.3", "2001:db8::1", "2001:db8::1"),  # an IPv4 peer written as IPv6
    ],
)
def test_the_client_address_is_believed_only_as_far_as_trusted_proxies_vouch(peer, forwarded, client):
    assert resolve(peer, forwarded, TRUSTED) == client


def test_limits_count_ipv6_clients_by_their_64():
    assert bucket("2001:db8:1:2:aaaa::1") == bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert bucket("203.0.113.5") == "203.0.113.5"


def test_a_client_request_id_is_kept_only_when_short_and_plain():
    assert sanitise_client_id(" web-42:a.b_c ") == "web-42:a.b_c"
    assert sanitise_client_id("x" * 65) is None
    assert sanitise_client_id("forged\nrequestId") is None
    assert sanitise_client_id(None) is None


@pytest.fixture
async def kit(fresh_db):
    database = await fresh_db("identity")
    async with database.engine.begin() as conn:
        await conn.run_sync(
            SQLModel.metadata.create_all, tables=[DirectoryUser.__table__, DirectoryServiceAccount.__table__]
        )
    return database


async def client_for(kit, platform, tokens):
    settings = ServiceSettings(database_url="postgresql+asyncpg://kit:real@db/kit")
    app = await service_app(create_app, settings, platform, tokens, PERSONAS, kit)
    return GraphQLClient(app, tokens, {**PERSONAS, "tool": Persona("tool", ("identity:schema:read",))})


INTROSPECT = "{ __schema { queryType { name } } }"
SDL = "{ _service { sdl } }"


async def test_production_hides_the_schema_docs_and_suggestions_from_all_but_schema_readers(kit, platform_settings):
    tokens = TokenFactory()
    async with await client_for(
        kit, production(kafka_bootstrap_servers=platform_settings.kafka_bootstrap_servers), tokens
    ) as gql:
        for query in (
            INTROSPECT,
            SDL,
            '{ __type(name: "Query") { name } }',
            "{ ...F } fragment F on Query { _service { sdl } }",
        ):
            for caller in (None, "rep1"):
                refused = await gql.error(query, as_=caller, lang="zh-CN")
                assert refused["message"] == "您没有执行此操作的权限"
                assert refused["extensions"] == {"code": "FORBIDDEN", "permission": "identity:schema:read"}
        assert (await gql.ok(INTROSPECT, as_="tool"))["__schema"]["queryType"]["name"] == "Query"
        assert "type Query" in (await gql.ok(SDL))["_service"]["sdl"]  # administrators hold `*`
        assert (await gql.ok("{ __typename }", as_=None)) == {"__typename": "Query"}
        unknown = await gql.error("{ mee }", as_="rep1", code=None)
        assert unknown["message"] == "Cannot query field 'mee' on type 'Query'."
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await gql.rest("GET", path, as_=None)).status_code == 404


async def test_development_answers_introspection_docs_and_suggestions(kit, platform_settings):
    async with await client_for(kit, platform_settings, TokenFactory()) as gql:
        assert (await gql.ok(INTROSPECT, as_=None))["__schema"]["queryType"]["name"] == "Query"
        assert (await gql.ok('{ __type(name: "Query") { name } }', as_=None))["__type"] == {"name": "Query"}
        unknown = await gql.error("{ mee }", as_="rep1", code=None)
        assert unknown["message"] == "Cannot query field 'mee' on type 'Query'. Did you mean 'me'?"
        assert (await gql.rest("GET", "/openapi.json", as_=None)).status_code == 200


async def test_the_service_names_each_request_and_keeps_the_clients_id_apart(kit, platform_settings):
    seen = {}
    async with await client_for(kit, platform_settings, TokenFactory()) as gql:

        @gql.app.get("/api/v1/ids")
        async def ids() -> dict[str, str | None]:
            seen.update(service=request_id.get(), client=client_request_id.get())
            return {}

        response = await gql.rest("GET", "/api/v1/ids", as_=None, headers={"X-Request-Id": "client-chosen-1"})
        assert response.headers["x-request-id"] == seen["service"] != "client-chosen-1"
        assert seen["client"] == "client-chosen-1"
        await gql.rest("GET", "/api/v1/ids", as_=None, headers={"X-Request-Id": "a" * 200})
        assert seen["client"] is None


async def test_a_forged_forwarded_for_from_an_untrusted_peer_is_not_believed(kit, platform_settings):
    seen = []
    async with await client_for(kit, platform_settings, TokenFactory()) as gql:

        @gql.app.get("/api/v1/address")
        async def address(request: Request) -> dict[str, str]:
            seen.append(client_address(request))
            return {}

        forged = {"X-Forwarded-For": "198.51.100.7"}
        await gql.rest("GET", "/api/v1/address", as_=None, headers=forged)  # from 127.0.0.1, a trusted proxy
        transport = httpx.ASGITransport(app=gql.app, client=("203.0.113.9", 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://kit") as stranger:
            await stranger.get("/api/v1/address", headers=forged)
    assert seen == ["198.51.100.7", "203.0.113.9"]
