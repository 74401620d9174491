"""Identity's tests: the real app on a fresh database per test, cloned from one holding the demo organisation."""

import uuid

import asyncpg
import pytest
from sqlalchemy import make_url

from crm_shared.db import Database
from crm_shared.events import OutboxRelay
from crm_shared.testing import GraphQLClient, discard_database, ensure_service_topics, fresh_database, service_app
from identity.app import create_app
from identity.auth.keys import KeyRing
from identity.events import TOPICS
from identity.seed import demo_password, seed
from identity.settings import IdentitySettings


class IdentityClient(GraphQLClient):
    """Identity issues the tokens itself: a caller signs in (`login`) and passes `token=`."""

    LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresIn } }"
    CREATE_USER = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"

    async def __call__(self, query, variables=None, as_=None, lang="en", *, token=None, headers=None, source=None):
        """`source` is the client address the gateway forwards (X-Forwarded-For)."""
        sent = {**(headers or {}), **({"X-Forwarded-For": source} if source else {})}
        return await super().__call__(query, variables, as_, lang, token=token, headers=sent)

    async def login(self, email, password=None):
        body = await self(self.LOGIN, {"input": {"email": email, "password": password or demo_password()}})
        assert "errors" not in body, body
        return body["data"]["login"]

    async def company(self, token):
        """The organisation's one root unit, under which a test hangs its own units."""
        units = (await self("{ orgUnits { id parentId } }", token=token))["data"]["orgUnits"]
        [root] = [u["id"] for u in units if u["parentId"] is None]
        return root

    async def new_user(self, password, display_name, roles=(), token=None, prefix="u"):
        """A fresh user, created by the demo admin unless `token` is another's: every test's own (email, id)."""
        admin = token or (await self.login("admin@example.com"))["accessToken"]
        email = f"{prefix}{uuid.uuid4().hex[:8]}@example.com"
        data = {"email": email, "displayName": display_name, "password": password, "roles": list(roles)}
        body = await self(self.CREATE_USER, {"i": data}, token=admin)
        assert "errors" not in body, body
        return email, body["data"]["createUser"]["id"]


@pytest.fixture(scope="session")
async def demo_template(postgres, platform_settings):
    """A database seeded once (demo organisation, a signing key, its events published) that tests clone."""
    await ensure_service_topics(platform_settings, TOPICS)
    db = await fresh_database(postgres, "identity")
    await KeyRing(db, IdentitySettings().signing_key_passphrase).ensure_key()
    await seed(db)
    while await OutboxRelay(db, platform_settings).publish_batch():
        pass
    await db.dispose()
    url = make_url(db.url)
    conn = await asyncpg.connect(postgres.admin_dsn)
    try:
        await conn.execute(f'ALTER DATABASE "{url.database}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
    finally:
        await conn.close()
    return url


@pytest.fixture(scope="session")
def new_app(postgres, platform_settings, smtp_sink, demo_template):
    """`await new_app()`: the app on a new clone of the demo database, and that database to discard;
    `platform` settings of its own replace the suite's."""

    async def make(**platform):
        url = demo_template.set(database=f"identity_{uuid.uuid4().hex[:12]}")
        conn = await asyncpg.connect(postgres.admin_dsn)
        try:
            await conn.execute(
                f'CREATE DATABASE "{url.database}" TEMPLATE "{demo_template.database}" OWNER "{url.username}"'
            )
        finally:
            await conn.close()
        db = Database(url.render_as_string(hide_password=False), source="/crm/identity")
        settings = IdentitySettings(smtp_port=smtp_sink.port, reset_url="https://crm.example.com/reset?token=")
        own = platform_settings.model_copy(update=platform)
        return await service_app(create_app, settings, own, None, {}, db), db

    return make


@pytest.fixture
async def app(new_app, postgres):
    application, db = await new_app()
    yield application
    await discard_database(postgres, db)


@pytest.fixture
async def gql(app):
    async with IdentityClient(app, base_url="http://identity") as client:
        yield client


@pytest.fixture
def client_of():
    """`async with client_of(app) as gql:` for a test's app of its own."""
    return lambda application: IdentityClient(application, base_url="http://identity")


@pytest.fixture
def client(gql):
    return gql.client
