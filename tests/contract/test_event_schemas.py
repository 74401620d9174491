"""Every published event matches its JSON Schema in tests/contract/events/."""

import json
import uuid
from pathlib import Path

import jsonschema
from crm_shared.config import PlatformSettings
from crm_shared.events import OutboxRelay
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import migrated_database, read_topic
from identity.services import Identity
from identity.settings import IdentitySettings
from identity.users.service import NewUser

SCHEMAS = Path(__file__).parent / "events"


def validate(event: dict, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / f"{schema_name}.schema.json").read_text())
    jsonschema.validate(event, schema, format_checker=jsonschema.FormatChecker())


async def test_user_created_matches_its_schema(postgres, platform_settings: PlatformSettings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, ["crm.identity.user", "crm.audit"])
    db = await migrated_database(postgres, "identity")
    settings = IdentitySettings(database_url=db.url)
    identity = Identity.wire(db, settings, platform_settings)
    await identity.roles.ensure_builtin()
    user = await identity.users.create(
        None, NewUser(f"c{uuid.uuid4().hex[:6]}@example.com", "合同测试", "long-enough", ["marketing"])
    )
    await OutboxRelay(db, platform_settings).publish_batch()
    records = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.identity.user",
        1,
        match=lambda e: e["subject"] == str(user.id),
    )
    validate(json.loads(records[0].value), "user.created")
    await db.dispose()


def test_schemas_reject_what_consumers_cannot_handle():
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/crm/identity",
        "type": "user.created",
        "subject": str(uuid.uuid4()),
        "time": "2026-11-22T00:00:00Z",
        "data": {"id": str(uuid.uuid4()), "email": "a@example.com", "displayName": "A", "roles": []},
    }
    try:
        validate(event, "user.created")
    except jsonschema.ValidationError as exc:
        assert "isActive" in exc.message
    else:
        raise AssertionError("an event without isActive must not validate")
