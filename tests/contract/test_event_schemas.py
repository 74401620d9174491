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


async def test_customer_events_match_their_schemas(postgres, platform_settings: PlatformSettings):
    import datetime as dt

    from crm_shared.auth import Principal
    from crm_shared.auth.directory import apply_user_event
    from crm_shared.events import CloudEvent
    from customer.accounts.service import AccountInput
    from customer.activities.service import ActivityInput
    from customer.contacts.service import ContactInput
    from customer.events import TOPICS
    from customer.services import Customer
    from customer.settings import CustomerSettings
    from customer.tasks.service import TaskInput

    await ensure_topics(platform_settings.kafka_bootstrap_servers, [*TOPICS, "crm.audit"])
    db = await migrated_database(postgres, "customer")
    customer = Customer.wire(db, CustomerSettings(database_url=db.url))
    admin = Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"}))
    other = uuid.uuid4()
    async with db.unit_of_work() as uow:
        await apply_user_event(
            uow,
            CloudEvent(
                source="/crm/identity",
                type="user.created",
                data={"id": str(other), "displayName": "某人", "isActive": True},
            ),
        )
    account = await customer.accounts.create(
        admin, AccountInput(name="契约测试有限公司", level="B", tags=["契约"])
    )
    source = await customer.accounts.create(admin, AccountInput(name="契约重复", phone="13800000009"))
    await customer.accounts.update(admin, account.id, AccountInput(industry="软件"))
    await customer.contacts.create(
        admin, ContactInput(account.id, "契约联系人", role="buyer", phone="13800000008")
    )
    await customer.activities.log(admin, ActivityInput(account.id, "meeting", "契约会议"))
    now = dt.datetime.now(dt.UTC)
    await customer.tasks.create(admin, TaskInput("契约任务", now + dt.timedelta(hours=1), account.id, now))
    await customer.tasks.send_due_reminders()
    await customer.ownership.transfer(admin, [account.id], other, "契约移交")
    await customer.lifecycle.change(admin, account.id, "active", "契约")
    await customer.merge.merge(admin, account.id, source.id)
    relay = OutboxRelay(db, platform_settings)
    while await relay.publish_batch():
        pass
    await relay.close()

    seen = set()
    for topic in TOPICS:
        for record in await read_topic(platform_settings.kafka_bootstrap_servers, topic, 50, timeout=3):
            event = json.loads(record.value)
            if (SCHEMAS / f"{event['type']}.schema.json").exists() and event["source"] == "/crm/customer":
                validate(event, event["type"])
                seen.add(event["type"])
    expected = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")} - {"user.created"}
    assert expected <= seen, f"no event emitted for {expected - seen}"
    await db.dispose()
