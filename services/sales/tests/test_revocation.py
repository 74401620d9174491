"""Revocation within seconds: identity's user events reach the directory through the broker, and the
user's earlier tokens stop counting for reads and writes alike."""

import asyncio
import dataclasses
import time
import uuid

from crm_contracts.identity import USER_TOPIC
from crm_shared.auth.directory import DIRECTORY
from crm_shared.events import EventConsumer
from crm_shared.testing import ensure_service_topics
from crm_shared.testing.events import put_on_topic
from crm_shared.testing.service import user_created

LEADS = "{ leads { totalCount } }"
CREATE_LEAD = 'mutation { createLead(input: {company: "撤销", contactName: "甲", phone: "13800000001"}) { id } }'


async def until_refused(gql, caller, seconds=30.0):
    """Poll as `caller` until the token is refused; the seconds it took, or None if it never was."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        body = await gql(LEADS, as_=caller)
        if body.get("errors") and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED":
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    return None


async def consuming(app, platform_settings):
    """The directory's consumer, joined and reading (so the measured delay is the event's, not the join's)."""
    consumer = EventConsumer(app.state.db, platform_settings, f"revocation-{uuid.uuid4().hex[:8]}", DIRECTORY.routes)
    task = asyncio.create_task(consumer.run())
    for _ in range(600):
        if consumer.consuming:
            break
        await asyncio.sleep(0.05)
    assert consumer.consuming
    return task


async def test_a_deactivated_users_token_is_refused_within_seconds(app, gql, persona, platform_settings):
    await ensure_service_topics(platform_settings, [USER_TOPIC])
    rep = persona["rep2"]
    assert await gql.ok(LEADS, as_="rep2")
    task = await consuming(app, platform_settings)
    try:
        await put_on_topic(
            platform_settings.kafka_bootstrap_servers, USER_TOPIC, [user_created(rep, "user.deactivated", active=False)]
        )
        delay = await until_refused(gql, "rep2")
    finally:
        task.cancel()
    print(f"\ndeactivation published → token refused: {delay * 1000:.0f} ms" if delay else "\nnever refused")
    assert delay is not None
    error = await gql.error(CREATE_LEAD, as_="rep2", code="UNAUTHENTICATED")
    assert error["message"] == "This access token no longer reflects your account; sign in again"
    assert await gql.ok(LEADS, as_="rep1")  # nobody else is affected


async def test_a_demoted_users_old_token_is_refused_and_a_new_one_carries_the_current_grants(
    app, gql, persona, platform_settings
):
    await ensure_service_topics(platform_settings, [USER_TOPIC])
    manager = persona["manager"]
    demoted = dataclasses.replace(manager, permissions=("sales:lead:read",), authz_version=1)
    task = await consuming(app, platform_settings)
    try:
        await put_on_topic(
            platform_settings.kafka_bootstrap_servers, USER_TOPIC, [user_created(demoted, "user.roles_changed")]
        )
        delay = await until_refused(gql, manager)  # the token issued before the change
    finally:
        task.cancel()
    print(f"\nroles change published → old token refused: {delay * 1000:.0f} ms" if delay else "\nnever refused")
    assert delay is not None
    await gql.error(CREATE_LEAD, as_=manager, code="UNAUTHENTICATED")
    assert await gql.ok(LEADS, as_=demoted)  # the token identity issues now: its current, smaller grants
    await gql.error(CREATE_LEAD, as_=demoted, code="FORBIDDEN")
