"""What customer consumes: sales' orders (lifecycle), lead conversion requests, and the user directory."""

from __future__ import annotations

from crm_contracts.sales import LeadConversionRequested, OrderCreated
from crm_shared.auth.directory import DIRECTORY
from crm_shared.events.handlers import Handlers
from customer.accounts import lifecycle
from customer.accounts.conversion import on_conversion_requested

own = Handlers()
own.add(OrderCreated, lifecycle.on_order)
own.add(LeadConversionRequested, on_conversion_requested)

HANDLERS = DIRECTORY + own
