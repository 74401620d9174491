"""Customer's time rules: task reminders, pool returns and inactivity; their state lives in the database."""

from __future__ import annotations

from functools import partial

from crm_shared.service import Schedule
from customer.accounts import lifecycle, ownership
from customer.settings import CustomerSettings
from customer.tasks import service as tasks


def schedules(settings: CustomerSettings) -> list[Schedule]:
    every = settings.scheduler_seconds
    return [
        Schedule("task reminders", tasks.send_due_reminders, every),
        Schedule("pool returns", partial(ownership.return_idle, settings=settings), every),
        Schedule("inactivity lifecycle rules", partial(lifecycle.apply_inactivity_rules, settings=settings), every),
    ]
