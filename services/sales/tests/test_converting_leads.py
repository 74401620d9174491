"""A lead being converted, or converted, changes no more by hand; converting it is opening its owner's opportunity."""

import uuid

from crm_contracts.customer import LeadConverted
from crm_shared.testing.events import delivered
from crm_shared.testing.tokens import Persona

CONVERT = "mutation($id: ID!) { convertLead(id: $id) { conversionStatus } }"
READ = "query($id: ID!) { lead(id: $id) { title owner { id } score activityCount status conversionStatus } }"
CHANGES = {
    "assignLead": "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id } }",
    "updateLead": 'mutation($id: ID!) { updateLead(id: $id, input: {title: "总监"}) { id } }',
    "logLeadActivity": 'mutation($id: ID!) { logLeadActivity(id: $id, kind: "call", note: "回访") { id } }',
}


async def lead_of_rep1(gql):
    made = await gql.ok(
        'mutation($o: ID!) { createLead(input: {company: "转化中公司", contactName: "吴", phone: "13800138009", '
        "ownerId: $o}, allowDuplicate: true) { id } }",
        {"o": gql.user("rep1")},
        "rep1",
    )
    return made["createLead"]["id"]


async def refused_every_change(gql, lead, en, zh):
    before = await gql.ok(READ, {"id": lead}, "rep1")
    for name, mutation in CHANGES.items():
        error = await gql.error(mutation, {"id": lead, "o": gql.user("rep2")}, "manager", code="CONFLICT")
        assert error["message"] == en, name
        error = await gql.error(mutation, {"id": lead, "o": gql.user("rep1")}, "rep1", code="CONFLICT", lang="zh-CN")
        assert error["message"] == zh, name
    assert await gql.ok(READ, {"id": lead}, "rep1") == before


async def test_a_lead_being_converted_is_neither_reassigned_nor_edited_nor_worked(gql):
    lead = await lead_of_rep1(gql)
    assert (await gql.ok(CONVERT, {"id": lead}, "rep1"))["convertLead"] == {"conversionStatus": "pending"}
    await refused_every_change(
        gql,
        lead,
        "The lead is being converted; it changes no more until the conversion completes or fails",
        "该线索正在转化中，转化完成或失败之前不能修改",
    )


async def test_a_converted_lead_is_neither_reassigned_nor_edited_nor_scored_by_activities(gql, app):
    lead = await lead_of_rep1(gql)
    await gql.ok(CONVERT, {"id": lead}, "rep1")
    answer = LeadConverted(
        lead_id=uuid.UUID(lead),
        account_id=uuid.uuid4(),
        account_name="转化中公司",
        contact_id=uuid.uuid4(),
        matched=False,
    )
    async with app.state.db.unit_of_work() as uow:
        await app.state.sales.conversion.on_converted(uow, delivered(answer))
    assert (await gql.ok(READ, {"id": lead}, "rep1"))["lead"]["status"] == "converted"
    await refused_every_change(gql, lead, "The lead is already converted", "该线索已转化")


async def test_converting_a_lead_needs_the_right_to_open_its_owners_opportunity(gql, persona):
    lead = await lead_of_rep1(gql)
    # routes every lead, but works only on opportunities of their own
    router = Persona(
        "router",
        (
            "sales:lead:read",
            "sales:lead:update",
            "sales:lead:convert",
            "sales:opportunity:read",
            "sales:opportunity:create",
        ),
        {"sales:lead": "all", "sales:opportunity": "own"},
        persona["rep1"].unit_id,
    )
    error = await gql.error(CONVERT, {"id": lead}, router, code="FORBIDDEN")
    assert error["extensions"]["permission"] == "sales:opportunity:create"
    assert (await gql.ok(READ, {"id": lead}, "rep1"))["lead"]["conversionStatus"] == "none"
    assert (await gql.ok(CONVERT, {"id": lead}, "manager"))["convertLead"] == {"conversionStatus": "pending"}
