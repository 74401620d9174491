"""The demo organisation: a company tree and one user per built-in role, all with the demo password, and
the service accounts other services call as (their development keys, which `make run` passes them)."""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork
from crm_shared.service import discover
from identity.auth import apikeys
from identity.auth.models import ApiKey, ServiceAccount
from identity.auth.tokens import hash_secret
from identity.org import service as org
from identity.org.models import OrgUnit
from identity.org.service import UnitInput
from identity.roles.service import ensure_builtin
from identity.users import service as users
from identity.users.service import NewUser

UNITS = (  # name, kind, parent
    ("示例科技有限公司 Example Tech", "company", None),
    ("销售部 Sales", "department", "示例科技有限公司 Example Tech"),
    ("华东销售一组 East Team 1", "team", "销售部 Sales"),
    ("市场部 Marketing", "department", "示例科技有限公司 Example Tech"),
    ("客服部 Service", "department", "示例科技有限公司 Example Tech"),
    ("客服一组 Service Desk", "team", "客服部 Service"),
)
DEMO_USERS = (  # email, display name, roles, unit
    ("admin@example.com", "系统管理员 Admin", ["admin"], "示例科技有限公司 Example Tech"),
    ("manager@example.com", "王经理 Manager", ["sales_manager"], "华东销售一组 East Team 1"),
    ("rep1@example.com", "李销售 Rep One", ["sales_rep"], "华东销售一组 East Team 1"),
    ("rep2@example.com", "张销售 Rep Two", ["sales_rep"], "华东销售一组 East Team 1"),
    ("marketer@example.com", "陈市场 Marketer", ["marketing"], "市场部 Marketing"),
    ("marketing.manager@example.com", "吴经理 Marketing Manager", ["marketing_manager"], "市场部 Marketing"),
    ("agent@example.com", "赵客服 Agent", ["service_agent"], "客服一组 Service Desk"),
    ("agent2@example.com", "孙客服 Agent Two", ["service_agent"], "客服一组 Service Desk"),
    ("service.manager@example.com", "周经理 Service Manager", ["service_manager"], "客服部 Service"),
)
MANAGED = {
    "manager@example.com": "华东销售一组 East Team 1",
    "marketing.manager@example.com": "市场部 Marketing",
    "service.manager@example.com": "客服部 Service",
}


def demo_password() -> str:
    return os.environ.get("CRM_DEMO_PASSWORD", "crm-demo")


async def seed(db: Database) -> list[str]:
    """Create what is missing of the demo organisation, in one transaction; returns the logins."""
    async with db.unit_of_work() as uow:
        await ensure_builtin(uow)
        units = {u.name: u.id for u in (await uow.session.scalars(select(OrgUnit))).all()}
        for name, kind, parent in UNITS:
            if name not in units:
                unit = await org.create(uow, None, UnitInput(name, kind, units.get(parent) if parent else None))
                units[name] = unit.id
        ids = {}
        for email, name, roles, unit_name in DEMO_USERS:
            user = await users.find_by_email(uow, email)
            user_id = user.id if user else None
            if user_id is None:
                new = NewUser(email, name, demo_password(), roles, units[unit_name])
                user_id = (await users.create(uow, None, new)).id
            if email in MANAGED:
                await org.update(uow, None, units[MANAGED[email]], UnitInput(manager_id=user_id))
            ids[email] = user_id
        await _service_accounts(uow, Principal(user_id=ids["admin@example.com"], permissions=frozenset({"*"})))
    return [email for email, *_ in DEMO_USERS]


async def _service_accounts(uow: UnitOfWork, admin: Principal) -> None:
    """An account per service that calls others (`CallsAs`), created as the administrator would, with the
    development key `make run` hands that service."""
    for spec in discover():
        if spec.calls_as is None:
            continue
        secret = spec.calls_as.dev_key(spec.name)
        if await apikeys.ApiKeys(uow).by_secret(secret) is not None:
            continue
        name = f"{spec.name} service"
        account = await uow.session.scalar(select(ServiceAccount).where(col(ServiceAccount.name) == name))
        if account is None:
            grant = spec.calls_as
            data = apikeys.NewServiceAccount(name, list(grant.permissions), dict(grant.scopes))
            account = await apikeys.create(uow, admin, data)
        uow.session.add(
            ApiKey(service_account_id=account.id, name="make run", prefix="dev", key_hash=hash_secret(secret))
        )


async def seed_demo(database_url: str) -> list[str]:
    """Seed through the service layer (events go out through the outbox)."""
    db = Database(database_url, source="/crm/identity")
    try:
        return await seed(db)
    finally:
        await db.dispose()


def banner() -> str:
    """The demo logins `make run` prints."""
    logins = "\n".join(f"    {email:<24} {', '.join(roles)}" for email, _, roles, _unit in DEMO_USERS)
    return f"  Demo logins (password: {demo_password()}):\n{logins}"
