"""Identity tests run the real app against a migrated PostgreSQL database and the broker."""

import httpx
import pytest

from crm_shared.audit import AUDIT_TOPIC
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import migrated_database
from identity.app import create_app
from identity.events import TOPICS
from identity.seed import seed
from identity.settings import IdentitySettings


@pytest.fixture(scope="session")
async def app(postgres, platform_settings, smtp_sink):
    db = await migrated_database(postgres, "identity")
    settings = IdentitySettings(
        database_url=db.url, smtp_port=smtp_sink.port, reset_url="https://crm.example.com/reset?token="
    )
    await db.dispose()
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, AUDIT_TOPIC])
    application = create_app(settings, platform_settings)
    await application.state.keys.ensure_key()
    await seed(application.state.db)
    return application


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://identity") as c:
        yield c


class GraphQL:
    LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresIn } }"

    def __init__(self, client):
        self.client = client

    async def __call__(self, query, variables=None, token=None, lang="en", source=None):
        headers = {"Accept-Language": lang, **({"X-Forwarded-For": source} if source else {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def login(self, email, password="crm-demo"):
        body = await self(self.LOGIN, {"input": {"email": email, "password": password}})
        assert "errors" not in body, body
        return body["data"]["login"]


@pytest.fixture
def gql(client):
    return GraphQL(client)
