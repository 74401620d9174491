"""Campaigns on the real database and broker: budgets submitted to automation's approvals and their decisions
applied, costs against the approved budget, status changes, members, data scope and field errors."""

CAMPAIGN = """query($id: ID!) { campaign(id: $id) { id name type status budgetStatus budgetTotal actualCost
    budgetLines { category amount } memberCounts { status count } sendProgress { queued sent failed } } }"""
CREATE = "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }"
UPDATE = "mutation($id: ID!, $i: UpdateCampaignInput!) { updateCampaign(id: $id, input: $i) { id } }"
SUBMIT = "mutation($id: ID!) { submitCampaignBudget(id: $id) { status budgetStatus } }"
BUDGET = "query($id: ID!) { campaign(id: $id) { status budgetStatus budgetNote budgetDecidedBy { id } } }"
COST = """mutation($id: ID!, $i: CampaignCostInput!) { recordCampaignCost(id: $id, input: $i) {
    actualCost costs { category amount incurredOn } } }"""
STATUS = "mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }"
MEMBERS = """mutation($id: ID!, $c: [ID!], $l: [ID!]) { addCampaignMembers(id: $id, contactIds: $c, leadIds: $l) {
    memberCounts { status count } members { totalCount edges { node { contactId leadId accountId status } } } } }"""
LIST = "query($f: CampaignFilter) { campaigns(filter: $f) { totalCount edges { node { id } } } }"
CAMPAIGN_TOPIC = "crm.marketing.campaign"


async def read(gql, campaign, as_="marketer1"):
    return (await gql.ok(CAMPAIGN, {"id": campaign}, as_))["campaign"]


async def test_a_campaign_is_created_with_its_budget_and_announced(gql, persona, topic_events):
    lines = (("展位 Booth", "80000.00"), ("物料 Materials", "12000.50"))
    campaign = await gql.campaign(lines=lines, goalLeads=50, goalRevenue="500000")
    found = await read(gql, campaign)
    assert found == {
        "id": campaign,
        "name": found["name"],
        "type": "EXHIBITION",
        "status": "PLANNED",
        "budgetStatus": "DRAFT",
        "budgetTotal": "92000.50",
        "actualCost": "0.00",
        "budgetLines": [
            {"category": "展位 Booth", "amount": "80000.00"},
            {"category": "物料 Materials", "amount": "12000.50"},
        ],
        "memberCounts": [],
        "sendProgress": {"queued": 0, "sent": 0, "failed": 0},
    }
    await gql.publish()
    [(kind, data)] = await topic_events(CAMPAIGN_TOPIC, campaign, 1)
    assert kind == "campaign.created"
    assert (data["campaignType"], data["budgetTotal"], data["ownerId"], data["goalLeads"]) == (
        "exhibition",
        "92000.50",
        str(persona["marketer1"].user_id),
        50,
    )


async def test_an_approved_budget_lets_the_campaign_start_and_a_late_decision_changes_nothing(gql, topic_events):
    campaign = await gql.campaign()
    assert (await gql.ok(SUBMIT, {"id": campaign}, "marketer1"))["submitCampaignBudget"] == {
        "status": "PLANNED",
        "budgetStatus": "SUBMITTED",
    }
    await gql.decided(campaign, comment="同意")
    await gql.decided(campaign, approve=False, approver="admin", comment="迟了 Late")  # decided already: nothing
    assert (await gql.ok(BUDGET, {"id": campaign}, "marketer1"))["campaign"] == {
        "status": "APPROVED",
        "budgetStatus": "APPROVED",
        "budgetNote": "同意",
        "budgetDecidedBy": {"id": str(gql.personas["manager"].user_id)},
    }
    started = await gql.ok(STATUS, {"id": campaign, "s": "RUNNING"}, "marketer1")
    assert started["changeCampaignStatus"] == {"status": "RUNNING"}
    await gql.publish()
    events = await topic_events(CAMPAIGN_TOPIC, campaign, 4)
    assert [kind for kind, _ in events] == [
        "campaign.created",
        "campaign.budget_submitted",
        "campaign.budget_approved",
        "campaign.status_changed",
    ]
    assert events[2][1]["approvedBy"] == str(gql.personas["manager"].user_id)
    marketer = str(gql.personas["marketer1"].user_id)
    assert (events[1][1]["submittedBy"], events[1][1]["createdBy"], events[1][1]["ownerId"]) == (marketer,) * 3


async def test_budgets_waiting_for_a_decision_are_listed_by_their_state(gql):
    waiting, draft = await gql.campaign(), await gql.campaign()
    await gql.ok(SUBMIT, {"id": waiting}, "marketer1")

    async def listed(states):
        found = (await gql.ok(LIST, {"f": {"budgetStatus": states}}, "manager"))["campaigns"]
        return found["totalCount"], [e["node"]["id"] for e in found["edges"]]

    assert await listed(["SUBMITTED"]) == (1, [waiting])
    assert await listed(["DRAFT"]) == (1, [draft])
    await gql.decided(waiting)
    assert await listed(["SUBMITTED"]) == (0, [])


async def test_a_rejected_budget_is_changed_and_submitted_again(gql):
    campaign = await gql.campaign()
    await gql.ok(SUBMIT, {"id": campaign}, "marketer1")
    locked = (
        'mutation($id: ID!) { updateCampaign(id: $id, input: {budgetLines: [{category: "x", amount: "1"}]}) { id } }'
    )
    refused = await gql.error(locked, {"id": campaign}, "marketer1", code="BAD_USER_INPUT")
    assert (refused["extensions"]["field"], refused["message"]) == (
        "budgetLines",
        "Field 'budgetLines' cannot change while the budget is submitted",
    )
    # nor may its approver take it over meanwhile and then approve their own campaign's budget
    manager = str(gql.personas["manager"].user_id)
    take = "mutation($id: ID!, $o: ID!) { updateCampaign(id: $id, input: {ownerId: $o}) { owner { id } } }"
    refused = await gql.error(take, {"id": campaign, "o": manager}, "manager", "BAD_USER_INPUT", "zh-CN")
    assert (refused["extensions"]["field"], refused["message"]) == (
        "ownerId",
        "预算为“submitted”状态时不能修改字段“ownerId”",
    )
    await gql.decided(campaign, approve=False, comment="展位费过高")
    assert (await gql.ok(BUDGET, {"id": campaign}, "marketer1"))["campaign"] == {
        "status": "PLANNED",
        "budgetStatus": "REJECTED",
        "budgetNote": "展位费过高",
        "budgetDecidedBy": {"id": str(gql.personas["manager"].user_id)},
    }
    change = """mutation($id: ID!) {
        updateCampaign(id: $id, input: {budgetLines: [{category: "展位", amount: "30000"}]}) { budgetTotal } }"""
    assert (await gql.ok(change, {"id": campaign}, "marketer1"))["updateCampaign"] == {"budgetTotal": "30000.00"}
    assert (await gql.ok(SUBMIT, {"id": campaign}, "marketer1"))["submitCampaignBudget"]["budgetStatus"] == "SUBMITTED"
    await gql.decided(campaign)
    assert (await gql.ok(BUDGET, {"id": campaign}, "marketer1"))["campaign"]["status"] == "APPROVED"


async def test_costs_are_recorded_against_an_approved_budget_only(gql):
    campaign = await gql.campaign()
    cost = {"category": "展位", "amount": "20000.00", "incurredOn": "2027-03-01"}
    early = await gql.error(COST, {"id": campaign, "i": cost}, "marketer1", code="CONFLICT")
    assert early["message"] == "Costs are recorded once the budget is approved, until the campaign is cancelled"
    start = await gql.error(STATUS, {"id": campaign, "s": "RUNNING"}, "marketer1", code="CONFLICT")
    assert start["message"] == "A campaign cannot go from planned to running"
    await gql.error(STATUS, {"id": campaign, "s": "APPROVED"}, "marketer1", code="CONFLICT")
    await gql.ok(SUBMIT, {"id": campaign}, "marketer1")
    await gql.decided(campaign)
    await gql.ok(COST, {"id": campaign, "i": cost}, "marketer1")
    distant = await gql.error(COST, {"id": campaign, "i": {**cost, "incurredOn": "2100-12-31"}}, code="BAD_USER_INPUT")
    assert (distant["extensions"]["field"], distant["message"]) == (
        "incurredOn",
        "Field 'incurredOn' must be between 2026-02-28 and 2028-03-03",
    )
    second = {"category": "物料", "amount": "1500.55", "incurredOn": "2027-03-02"}
    recorded = (await gql.ok(COST, {"id": campaign, "i": second}, "marketer1"))["recordCampaignCost"]
    assert recorded == {
        "actualCost": "21500.55",
        "costs": [
            {"category": "展位", "amount": "20000.00", "incurredOn": "2027-03-01"},
            {"category": "物料", "amount": "1500.55", "incurredOn": "2027-03-02"},
        ],
    }
    negative = await gql.error(COST, {"id": campaign, "i": {**cost, "amount": "-5"}}, code="BAD_USER_INPUT")
    assert negative["extensions"]["field"] == "amount"
    assert (await read(gql, campaign))["actualCost"] == "21500.55"


async def test_a_page_of_campaigns_shows_each_its_own_budget_and_costs(gql):
    booth = await gql.approved(lines=(("展位", "80000.00"), ("物料", "12000.50")))
    await gql.ok(COST, {"id": booth, "i": {"category": "展位", "amount": "20000.00", "incurredOn": "2027-03-01"}})
    webinar = await gql.campaign(lines=(("平台", "3000.00"),))
    empty = await gql.campaign(lines=())
    page = """{ campaigns(first: 20) { edges { node { id budgetTotal actualCost } } } }"""
    listed = {e["node"]["id"]: e["node"] for e in (await gql.ok(page, {}, "marketer1"))["campaigns"]["edges"]}
    assert [listed[c] for c in (booth, webinar, empty)] == [
        {"id": booth, "budgetTotal": "92000.50", "actualCost": "20000.00"},
        {"id": webinar, "budgetTotal": "3000.00", "actualCost": "0.00"},
        {"id": empty, "budgetTotal": "0.00", "actualCost": "0.00"},
    ]


async def test_a_finished_campaign_changes_no_more(gql):
    campaign = await gql.approved()
    await gql.ok(STATUS, {"id": campaign, "s": "CANCELLED"})
    rename = 'mutation($id: ID!) { updateCampaign(id: $id, input: {name: "新名"}) { id } }'
    refused = await gql.error(rename, {"id": campaign}, "marketer1", code="CONFLICT")
    assert refused["message"] == "The campaign is cancelled and cannot change"


async def test_bad_input_names_its_field_and_leaves_nothing_behind(gql):
    data = {"name": "倒序活动", "type": "SEMINAR", "startsOn": "2027-03-05", "endsOn": "2027-03-01"}
    refused = await gql.error(CREATE, {"i": data}, "marketer1", lang="zh-CN", code="BAD_USER_INPUT")
    assert (refused["extensions"]["field"], refused["message"]) == ("endsOn", "字段“endsOn”不能早于开始日期")
    lines = [{"category": "场地", "amount": "100"}, {"category": "餐饮", "amount": "-1"}]
    data = {**data, "endsOn": "2027-03-06", "budgetLines": lines}
    refused = await gql.error(CREATE, {"i": data}, "marketer1", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "budgetLines[1].amount"
    assert (await gql.ok(LIST, {"f": {"search": "倒序活动"}}))["campaigns"]["totalCount"] == 0


async def test_a_budget_adding_up_past_the_largest_amount_is_refused_at_its_lines_and_nothing_is_written(gql):
    largest = [{"category": "展位", "amount": "9999999999999999.99"}, {"category": "物料", "amount": "0.01"}]
    data = {"name": "天价活动", "type": "SEMINAR", "startsOn": "2027-03-01", "endsOn": "2027-03-06"}
    zh = await gql.error(CREATE, {"i": {**data, "budgetLines": largest}}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    en = await gql.error(CREATE, {"i": {**data, "budgetLines": largest}}, "marketer1", "BAD_USER_INPUT", "en")
    assert (zh["extensions"], zh["message"], en["message"]) == (
        {"code": "BAD_USER_INPUT", "field": "budgetLines", "maximum": "9999999999999999.99"},
        "字段“budgetLines”合计超过 9999999999999999.99",
        "Field 'budgetLines' adds up to more than 9999999999999999.99",
    )
    assert (await gql.ok(LIST, {"f": {"search": "天价活动"}}))["campaigns"]["totalCount"] == 0
    campaign = await gql.campaign(lines=(("展位", "9999999999999999.99"),))
    refused = await gql.error(UPDATE, {"id": campaign, "i": {"budgetLines": largest}}, code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "budgetLines"
    found = await read(gql, campaign)
    assert (found["budgetTotal"], found["budgetLines"]) == (
        "9999999999999999.99",
        [{"category": "展位", "amount": "9999999999999999.99"}],
    )


async def test_a_cost_taking_the_actual_cost_past_the_largest_amount_is_refused_at_amount_and_not_recorded(gql):
    campaign = await gql.approved()
    cost = {"category": "展位", "amount": "9999999999999999.98", "incurredOn": "2027-03-01"}
    await gql.ok(COST, {"id": campaign, "i": cost}, "marketer1")
    more = {"id": campaign, "i": {**cost, "amount": "0.02"}}
    zh = await gql.error(COST, more, "marketer1", "BAD_USER_INPUT", "zh-CN")
    en = await gql.error(COST, more, "marketer1", "BAD_USER_INPUT", "en")
    assert (zh["extensions"], zh["message"], en["message"]) == (
        {"code": "BAD_USER_INPUT", "field": "amount", "spent": "9999999999999999.98", "maximum": "9999999999999999.99"},
        "字段“amount”将使活动的实际费用（现为 9999999999999999.98）超过 9999999999999999.99",
        "Field 'amount' would take the campaign's actual cost of 9999999999999999.98 past 9999999999999999.99",
    )
    recorded = (await gql.ok(COST, {"id": campaign, "i": {**cost, "amount": "0.01"}}))["recordCampaignCost"]
    assert recorded["actualCost"] == "9999999999999999.99"
    assert len(recorded["costs"]) == 2


async def test_a_campaign_in_a_language_it_cannot_be_sent_in_is_refused_in_the_callers_language(gql):
    data = {"name": "法语活动", "type": "SEMINAR", "startsOn": "2027-03-01", "endsOn": "2027-03-06", "language": "fr"}
    zh = await gql.error(CREATE, {"i": data}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    en = await gql.error(CREATE, {"i": data}, "marketer1", "BAD_USER_INPUT", "en")
    assert (zh["extensions"]["field"], zh["message"], en["message"]) == (
        "language",
        "字段“language”须为以下之一：zh-CN, en",
        "Field 'language' must be one of: zh-CN, en",
    )
    assert (await gql.ok(LIST, {"f": {"search": "法语活动"}}))["campaigns"]["totalCount"] == 0


async def test_members_are_contacts_and_leads_the_caller_may_see_each_once(gql):
    campaign = await gql.campaign()
    account = await gql.account()
    first, second = await gql.contact(account), await gql.contact(account, name="李工")
    lead = await gql.lead()
    added = await gql.ok(MEMBERS, {"id": campaign, "c": [first, second, first], "l": [lead]})
    assert added["addCampaignMembers"]["memberCounts"] == [{"status": "TARGETED", "count": 3}]
    again = await gql.ok(MEMBERS, {"id": campaign, "c": [first]})
    nodes = [e["node"] for e in again["addCampaignMembers"]["members"]["edges"]]
    assert sorted(nodes, key=lambda n: (n["contactId"] or "", n["leadId"] or "")) == sorted(
        [
            {"contactId": first, "leadId": None, "accountId": account, "status": "TARGETED"},
            {"contactId": second, "leadId": None, "accountId": account, "status": "TARGETED"},
            {"contactId": None, "leadId": lead, "accountId": None, "status": "TARGETED"},
        ],
        key=lambda n: (n["contactId"] or "", n["leadId"] or ""),
    )
    unknown = await gql.error(MEMBERS, {"id": campaign, "c": [str(account)]}, code="BAD_USER_INPUT")
    assert unknown["extensions"]["field"] == "contactIds"
    stranger = await gql.error(MEMBERS, {"id": campaign, "l": [campaign]}, code="BAD_USER_INPUT")
    assert stranger["extensions"]["field"] == "leadIds"


async def test_marketers_see_their_units_campaigns_and_the_manager_those_below(gql):
    mine = await gql.campaign("marketer1")
    colleague = await gql.campaign("marketer2")
    other = await gql.campaign("lead")

    async def listed(as_):
        found = (await gql.ok(LIST, {"f": {"type": ["EXHIBITION"]}}, as_))["campaigns"]
        return found["totalCount"], {e["node"]["id"] for e in found["edges"]}

    assert await listed("marketer1") == (2, {mine, colleague})
    assert await listed("manager") == (3, {mine, colleague, other})
    assert await listed("lead") == (3, {mine, colleague, other})  # scope all
    await gql.error(CAMPAIGN, {"id": other}, "marketer1", code="NOT_FOUND")
    await gql.error(LIST, None, "rep1", code="FORBIDDEN")


async def test_days_outside_2000_to_2100_zero_amounts_and_unknown_currencies_are_refused_at_their_field(gql):
    data = {"name": "极端活动", "type": "SEMINAR", "startsOn": "1999-12-31", "endsOn": "2027-03-01"}
    for changed, field in (
        ({}, "startsOn"),
        ({"startsOn": "2027-03-01", "endsOn": "2101-01-01"}, "endsOn"),
        ({"startsOn": "2027-03-01", "budgetLines": [{"category": "a", "amount": "0.00"}]}, "budgetLines[0].amount"),
        ({"startsOn": "2027-03-01", "currency": "QQQ"}, "currency"),
        ({"startsOn": "2027-03-01", "currency": "ZZZ"}, "currency"),
    ):
        refused = await gql.error(CREATE, {"i": {**data, **changed}}, "marketer1", "BAD_USER_INPUT", "zh-CN")
        assert refused["extensions"]["field"] == field, changed
    zh = await gql.error(CREATE, {"i": data}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    en = await gql.error(CREATE, {"i": data}, "marketer1", "BAD_USER_INPUT", "en")
    assert (zh["message"], en["message"]) == (
        "字段“startsOn”须在 2000-01-01 到 2100-12-31 之间",
        "Field 'startsOn' must be between 2000-01-01 and 2100-12-31",
    )
    zero = {**data, "startsOn": "2027-03-01", "budgetLines": [{"category": "a", "amount": "0.00"}]}
    assert (await gql.error(CREATE, {"i": zero}, "marketer1", "BAD_USER_INPUT", "zh-CN"))["message"] == (
        "字段“budgetLines[0].amount”须大于零"
    )
    campaign = await gql.campaign(startsOn="2100-12-31", endsOn="2100-12-31")
    later = await gql.error(UPDATE, {"id": campaign, "i": {"startsOn": "1999-12-31"}}, "marketer1", "BAD_USER_INPUT")
    assert later["extensions"]["field"] == "startsOn"
    assert (await gql.ok(LIST, {"f": {"search": "极端活动"}}))["campaigns"]["totalCount"] == 0
