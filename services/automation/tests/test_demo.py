"""The demo data, made while identity's events are still bringing the demo users over."""

import asyncio
import uuid

from sqlalchemy import select
from sqlmodel import col

from automation.connectors.models import Call
from automation.notifications.models import Notification
from automation.seed import seed
from crm_contracts.identity import UserCreated
from crm_shared.auth.directory import DirectoryUser, project_user
from crm_shared.testing.events import delivered


async def test_the_demo_waits_for_every_user_it_names_to_arrive(app):
    """The directory holds the administrator but not yet rep1, whose call log the demo fills."""
    db = app.state.db
    making = asyncio.create_task(seed(db))
    await asyncio.sleep(0.5)
    assert not making.done()

    arrived = {email: uuid.uuid4() for email in ("manager@example.com", "rep1@example.com")}
    async with db.unit_of_work() as uow:
        for email, user_id in arrived.items():
            user = UserCreated(id=user_id, email=email, display_name=email, roles=[], org_unit_id=None, is_active=True)
            await project_user(uow, delivered(user))
    assert await asyncio.wait_for(making, 30) == 2

    async with db.read() as session:
        calls = (await session.scalars(select(col(Call.agent_id)))).all()
        welcomed = (await session.scalars(select(col(Notification.user_id)))).all()
        directory = set((await session.scalars(select(col(DirectoryUser.user_id)))).all())
    assert calls == [arrived["rep1@example.com"]] * 2
    assert sorted(welcomed) == sorted(directory) and set(arrived.values()) <= directory
