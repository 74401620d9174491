"""Customer's pure rules, without a database or a broker."""

import datetime as dt
import uuid

import pytest

from crm_contracts.customer import LifecycleStage
from crm_shared.auth import Principal
from crm_shared.crypto import encrypt
from crm_shared.errors import BadInput, Conflict
from customer.accounts.lifecycle import after_order
from customer.accounts.models import Account, stage_of
from customer.accounts.views import account_view, contact_view
from customer.contacts.models import Contact
from customer.events import AccountLifecycleChanged, ActivityLogged
from customer.tasks.models import Task, TaskStatus

S = LifecycleStage


@pytest.mark.parametrize(
    ("stage", "after"),
    [(S.PROSPECT, S.NEW), (S.AT_RISK, S.ACTIVE), (S.CHURNED, S.ACTIVE), (S.NEW, None), (S.LOYAL, None)],
)
def test_an_order_makes_a_prospect_new_and_wins_back_lapsed_customers(stage, after):
    assert after_order(stage) == after


def test_an_unknown_stage_is_refused_naming_the_field():
    assert stage_of("active", "stage") is S.ACTIVE
    with pytest.raises(BadInput) as refused:
        stage_of("gone", "stage")
    assert refused.value.field == "stage"


def test_a_task_completes_once():
    task = Task(title="回访", assignee_id=uuid.uuid4())
    task.complete()
    assert task.status == TaskStatus.DONE and task.completed_at is not None
    with pytest.raises(Conflict):
        task.complete()


def test_personal_fields_are_masked_only_for_roles_that_mask_them():
    account = Account(name="华为", name_key="华为", phone_enc=encrypt("13812345678"), email_enc=encrypt("li@hw.cn"))
    contact = Contact(name="李雷", phone_enc=encrypt("13812345678"), id_number_enc=encrypt("110101199003070000"))
    plain = Principal(user_id=uuid.uuid4(), permissions=frozenset({"*"}))
    masking = Principal(
        user_id=uuid.uuid4(),
        permissions=frozenset({"*"}),
        masked_fields=frozenset({"customer:account.phone", "customer:contact.id_number"}),
    )
    assert (account_view(plain, account).phone, account_view(plain, account).email) == ("13812345678", "li@hw.cn")
    assert (account_view(masking, account).phone, account_view(masking, account).email) == ("138****5678", "li@hw.cn")
    seen = contact_view(masking, contact)
    assert (seen.phone, seen.email, seen.id_number) == ("13812345678", None, "110***********0000")


def test_event_payloads_keep_their_wire_format():
    at = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    logged = ActivityLogged(
        id=uuid.uuid4(), account_id=uuid.uuid4(), kind="call", headline="回访", occurred_at=at, owner_id=uuid.uuid4()
    )
    assert logged.data()["occurredAt"] == "2026-11-30T09:30:00+08:00" and logged.data()["subject"] == "回访"
    changed = AccountLifecycleChanged(id=uuid.uuid4(), from_stage=None, to="new", reason="order placed", automatic=True)
    assert {k: v for k, v in changed.data().items() if k != "id"} == {
        "from": None,
        "to": "new",
        "reason": "order placed",
        "automatic": True,
    }
