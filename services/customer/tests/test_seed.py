"""The demo data `make run` adds goes through the service layer like any other change."""

from sqlalchemy import func, select

from customer.accounts.models import Account
from customer.activities.models import Activity
from customer.contacts.models import Contact
from customer.seed import ACCOUNTS, seed


async def test_demo_seed_adds_its_accounts_once(app, persona):
    users = {name: persona[name].user_id for name in ("rep1", "rep2", "manager")}
    async with app.state.db.unit_of_work() as uow:
        assert await seed(uow, users) == len(ACCOUNTS)
    async with app.state.db.unit_of_work() as uow:
        assert await seed(uow, users) == 0
        pooled = await uow.session.scalar(select(func.count()).select_from(Account).where(Account.in_pool))
        contacts = await uow.session.scalar(select(func.count()).select_from(Contact))
        owners = (await uow.session.execute(select(Account.owner_id, Activity.owner_id).join(Activity))).all()
    assert (pooled, contacts) == (1, len(ACCOUNTS) - 1)
    # each first call is the account owner's, a user identity knows, so the timeline can name them
    assert sorted(str(activity) for _, activity in owners) == sorted(
        str(users[owner]) for owner, *_ in ACCOUNTS if owner is not None
    )
    assert all(account == activity for account, activity in owners)
