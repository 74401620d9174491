"""The demo organisation: one user per built-in role, all with the demo password."""

from __future__ import annotations

import os

from identity.service import IdentityService, NewUser

DEMO_USERS = (
    ("admin@example.com", "系统管理员 Admin", ["admin"]),
    ("manager@example.com", "王经理 Manager", ["sales_manager"]),
    ("rep1@example.com", "李销售 Rep One", ["sales_rep"]),
    ("rep2@example.com", "张销售 Rep Two", ["sales_rep"]),
    ("marketing@example.com", "陈市场 Marketing", ["marketing"]),
    ("agent@example.com", "赵客服 Agent", ["service_agent"]),
)


def demo_password() -> str:
    return os.environ.get("CRM_DEMO_PASSWORD", "crm-demo")


async def seed(service: IdentityService) -> list[str]:
    """Create the demo users that don't exist yet; returns the logins."""
    for email, name, roles in DEMO_USERS:
        if await service.find_by_email(email) is None:
            await service.create_user(None, NewUser(email, name, demo_password(), roles))
    return [email for email, _, _ in DEMO_USERS]


async def seed_demo(database_url: str) -> list[str]:
    """Seed through the service layer (events go out through the outbox)."""
    from crm_shared.config import PlatformSettings
    from crm_shared.db import Database

    from identity.keys import KeyRing
    from identity.settings import IdentitySettings

    settings = IdentitySettings(database_url=database_url)
    db = Database(settings.database_url, source="/crm/identity")
    try:
        service = IdentityService(
            db, KeyRing(db, settings.signing_key_passphrase), settings, PlatformSettings()
        )
        return await seed(service)
    finally:
        await db.dispose()
