"""A CSV row becomes a lead input field by field; an opportunity cannot start without its account."""

import uuid
from typing import cast

import pytest

from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput
from sales.leads.intake import HEADERS, row_input
from sales.leads.service import LeadInput
from sales.money import Rates
from sales.opportunities.service import OpportunityInput, OpportunityService


def test_a_csv_row_fills_the_text_columns_and_leaves_the_rest_unset() -> None:
    data = row_input({"company": "华东制造", "contact_name": "张伟", "phone": "13800138000", "notes": ""})
    assert data == LeadInput(company="华东制造", contact_name="张伟", phone="13800138000", notes="")
    assert (data.campaign_id, data.owner_id, data.source) == (None, None, None)
    every = {attr: attr.upper() for attr in HEADERS}
    assert {attr: getattr(row_input(every), attr) for attr in HEADERS} == every


async def test_an_opportunity_does_not_start_without_an_account() -> None:
    service = OpportunityService(Rates("CNY", {}))
    with pytest.raises(BadInput) as raised:
        await service.start(cast(UnitOfWork, None), OpportunityInput(name="x"), uuid.uuid4(), None)
    assert raised.value.field == "accountId"
