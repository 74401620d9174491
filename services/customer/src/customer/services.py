"""The customer service layer, wired once per process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_shared.db import Database
from customer.accounts.graph import GraphService
from customer.accounts.lifecycle import LifecycleService
from customer.accounts.merge import MergeService
from customer.accounts.ownership import OwnershipService
from customer.accounts.service import AccountService
from customer.activities.service import ActivityService
from customer.contacts.service import ContactService
from customer.custom_fields.service import CustomFieldService
from customer.imports.service import ImportService
from customer.settings import CustomerSettings
from customer.tasks.service import TaskService


@dataclass
class Customer:
    db: Database
    settings: CustomerSettings
    accounts: AccountService
    ownership: OwnershipService
    lifecycle: LifecycleService
    graph: GraphService
    merge: MergeService
    contacts: ContactService
    activities: ActivityService
    tasks: TaskService
    imports: ImportService
    fields: CustomFieldService

    @classmethod
    def wire(cls, db: Database, settings: CustomerSettings) -> Customer:
        fields = CustomFieldService(db)
        return cls(
            db,
            settings,
            AccountService(db, fields),
            OwnershipService(db, settings),
            LifecycleService(db, settings),
            GraphService(db),
            MergeService(db),
            ContactService(db),
            ActivityService(db),
            TaskService(db),
            ImportService(db, Path(settings.import_dir), fields),
            fields,
        )

    async def run_schedule(self) -> None:
        """Reminders, pool returns and lifecycle rules, every few seconds; state lives in the database."""
        import asyncio
        import logging

        while True:
            try:
                await self.tasks.send_due_reminders()
                await self.ownership.return_idle()
                await self.lifecycle.apply_inactivity_rules()
            except Exception:
                logging.getLogger(__name__).exception("scheduled customer rules failed; retrying")
            await asyncio.sleep(self.settings.scheduler_seconds)
