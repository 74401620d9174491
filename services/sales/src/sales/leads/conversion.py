"""Lead conversion, a saga over events.

1. `convertLead` marks the lead pending and publishes `lead.conversion_requested` (with the contact's
   phone and email encrypted under the suite's field key, never in clear on the topic).
2. Customer matches an existing account by name, phone or email, or creates one, adds the contact,
   and answers on `crm.customer.account` with `account.lead_converted` or
   `account.lead_conversion_failed`.
3. Here the answer opens the opportunity and marks the lead converted, or records the failure on the
   lead so it can be corrected and converted again. Every step is idempotent: redelivered events
   and repeated requests change nothing twice.
"""

from __future__ import annotations

import uuid

from crm_contracts import customer
from crm_contracts.sales import LeadStatus
from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from sales.events import LeadConversionFailed, LeadConversionRequested, LeadConverted
from sales.leads import lifecycle
from sales.leads.models import Lead
from sales.leads.service import LeadView, created, view
from sales.opportunities.service import OpportunityInput, OpportunityService
from sales.repositories import Leads, Opportunities


class ConversionService:
    def __init__(self, opportunities: OpportunityService) -> None:
        self.opportunities = opportunities

    async def request(self, uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID) -> LeadView:
        lead = await Leads(uow, principal).get(lead_id, "convert", lock=True)
        if lead.owner_id is not None:  # the opportunity the saga opens is the owner's, and the caller's doing
            await Opportunities(uow, principal).require_for("create", lead.owner_id)
        if not lifecycle.conversion_requested(lead):
            return view(principal, lead)
        await uow.publish(
            LeadConversionRequested(
                **created(lead).model_dump(),
                lead_id=lead.id,
                phone_encrypted=lead.phone_enc,
                email_encrypted=lead.email_enc,
                requested_by=principal.user_id,
            )
        )
        await audit.record(
            uow, "lead.conversion_requested", "Lead", lead.id, {"conversion": "none"}, {"conversion": "pending"}
        )
        return view(principal, lead)

    async def on_converted(self, uow: UnitOfWork, answer: customer.LeadConverted) -> None:
        """account.lead_converted: open the opportunity, then the lead is converted."""
        lead = await uow.session.get(Lead, answer.lead_id, with_for_update=True)
        if lead is None or lead.status == LeadStatus.CONVERTED or lead.owner_id is None:
            return
        account_id, contact_id = answer.account_id, answer.contact_id
        if await uow.session.get(AccountRef, account_id) is None:  # the answer may overtake account.created
            uow.session.add(
                AccountRef(
                    id=account_id, name=answer.account_name[:200], owner_id=lead.owner_id, updated_at=answer.time
                )
            )
            await uow.flush()
        opportunity = await self.opportunities.start(
            uow,
            OpportunityInput(
                name=f"{lead.company} - 新商机",
                account_id=account_id,
                contact_id=contact_id,
                source=lead.source,
                campaign_id=lead.campaign_id,
            ),
            lead.owner_id,
            lead.id,
        )
        await lifecycle.converted(uow, lead, account_id, contact_id, opportunity.id)
        converted = LeadConverted(
            id=lead.id,
            account_id=account_id,
            contact_id=contact_id,
            opportunity_id=opportunity.id,
            matched_existing_account=answer.matched,
            campaign_id=lead.campaign_id,
            owner_id=lead.owner_id,
        )
        await uow.publish(converted)
        await audit.record(uow, converted.type, "Lead", lead.id, {"status": "qualified"}, converted.data())

    async def on_failed(self, uow: UnitOfWork, answer: customer.LeadConversionFailed) -> None:
        """account.lead_conversion_failed: nothing was created; the lead says why."""
        lead = await uow.session.get(Lead, answer.lead_id, with_for_update=True)
        reason = (answer.reason or "conversion failed")[:500]
        if lead is None or not lifecycle.conversion_failed(lead, reason):
            return
        await uow.publish(LeadConversionFailed(id=lead.id, reason=reason, field=answer.field))
        await audit.record(
            uow,
            "lead.conversion_failed",
            "Lead",
            lead.id,
            {"conversion": "pending"},
            {"conversion": "failed"},
            detail={"reason": reason},
        )
