"""Who may call which marketing operation, on campaigns of `lead`'s team (another team than the marketers').

Marketers reach the campaigns of their own unit (scope `unit`), the marketing manager those of the units
below theirs, `lead` every campaign (scope `all`). Budgets are decided by automation's approvals. Consent, templates
and journeys are the marketing staff's, and so are materials (issued only to a campaign the caller may
change) and the keeping of competitors and intelligence, which sales reps read. Otherwise a sales rep
reaches only the campaign history of their own customers (`Account.campaigns`, `Contact.campaigns`).
"""

import uuid

from crm_shared.testing.authz import Entry, check_complete, check_matrix
from marketing.graphql import schema

NAMES = ("admin", "manager", "marketer1", "marketer2", "lead", "rep1", "rep2")


def expect(default="FORBIDDEN", **outcomes):
    return {"anonymous": "UNAUTHENTICATED", **dict.fromkeys(NAMES, default), **outcomes}


STAFF = expect("ok", rep1="FORBIDDEN", rep2="FORBIDDEN")
# a campaign of lead's team: the marketers (another team, scope unit) do not see it
LEADS_CAMPAIGN = {**STAFF, "marketer1": "NOT_FOUND", "marketer2": "NOT_FOUND"}
# the campaign history of rep1's customer: rep1 reads it as the account's owner, rep2 does not
HISTORY = expect("ok", rep2="FORBIDDEN")
# competitors and intelligence: kept by marketing staff, read by sales reps too
READERS = expect("ok")
ENTITY_CAMPAIGNS = (
    "query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {} {{ campaigns {{ totalCount }} }} }} }}"
)

ENTITY_ENGAGEMENT = (
    "query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {} {{ engagement {{ opened }} }} }} }}"
)
SEGMENT = (
    "mutation($n: String!) { saveSegment(input: {name: $n, rules: {conditions: "
    '[{field: TAGS, operator: CONTAINS, value: "矩阵"}]}}) { id } }'
)


async def test_every_marketing_operation_has_a_matrix_entry_and_holds(gql, tokens, persona):
    account = await gql.account()
    contact = await gql.contact(account, "matrix@example.cn")
    fixed = {"id": await gql.approved("lead")}
    template = await gql.template()

    async def lead_campaign(caller=None):
        return {"id": await gql.campaign("lead")}

    async def lead_approved(caller=None):
        return {"id": await gql.approved("lead")}

    async def email(caller=None):
        return {"id": await gql.approved("lead", type="EMAIL", templateId=template)}

    async def named(caller=None):
        return {"n": f"矩阵{caller}{uuid.uuid4().hex[:4]}"}

    own_campaign = await gql.campaign("marketer1")  # one every marketing role reaches
    journey_input = (
        '{name: "矩阵", campaignId: $k, trigger: {type: EVENT, eventType: "contact.created"}, '
        'steps: [{key: "a", type: GOAL}]}'
    )
    save_journey = f"mutation($k: ID!) {{ saveJourney(input: {journey_input}) {{ id }} }}"

    async def draft(caller=None):
        return {"id": (await gql.ok(save_journey, {"k": own_campaign}, "marketer1"))["saveJourney"]["id"]}

    journey = await draft()

    async def sms_campaign(caller=None):
        return {"id": await gql.campaign("lead", type="SMS"), "t": sms_template}

    sms_template = await gql.sms_template()
    on_contact = {"c": contact}
    sms_input = '{name: $n, providerCode: "SMS_1", signature: "【示例科技】", content: "春季优惠，回T退订"}'
    template_input = '{name: $n, subjectZh: "主题", htmlZh: "<p>正文</p>", textZh: "正文"}'
    entries = {
        "campaigns": Entry("{ campaigns { totalCount } }", STAFF),
        "campaign": Entry("query($id: ID!) { campaign(id: $id) { id } }", LEADS_CAMPAIGN, fixed),
        "createCampaign": Entry(
            'mutation { createCampaign(input: {name: "矩阵", type: SOCIAL, startsOn: "2027-01-01", '
            'endsOn: "2027-01-02"}) { id } }',
            STAFF,
        ),
        "updateCampaign": Entry(
            'mutation($id: ID!) { updateCampaign(id: $id, input: {description: "矩阵"}) { id } }',
            LEADS_CAMPAIGN,
            fixed,
        ),
        "submitCampaignBudget": Entry(
            "mutation($id: ID!) { submitCampaignBudget(id: $id) { id } }", LEADS_CAMPAIGN, lead_campaign
        ),
        "recordCampaignCost": Entry(
            'mutation($id: ID!) { recordCampaignCost(id: $id, input: {category: "矩阵", amount: "1", '
            'incurredOn: "2027-01-01"}) { id } }',
            LEADS_CAMPAIGN,
            fixed,
        ),
        "addCampaignMembers": Entry(
            "mutation($id: ID!, $c: ID!) { addCampaignMembers(id: $id, contactIds: [$c]) { id } }",
            LEADS_CAMPAIGN,
            {**fixed, "c": contact},
        ),
        "changeCampaignStatus": Entry(
            "mutation($id: ID!) { changeCampaignStatus(id: $id, status: RUNNING) { id } }",
            LEADS_CAMPAIGN,
            lead_approved,
        ),
        "sendCampaign": Entry("mutation($id: ID!) { sendCampaign(id: $id) { id } }", LEADS_CAMPAIGN, email),
        "consent": Entry("query($c: ID!) { consent(contactId: $c) { decision } }", STAFF, on_contact),
        "consentHistory": Entry("query($c: ID!) { consentHistory(contactId: $c) { granted } }", STAFF, on_contact),
        "doNotContactList": Entry("{ doNotContactList { contactId } }", STAFF),
        "recordConsent": Entry(
            "mutation($c: ID!) { recordConsent(input: {contactId: $c, channel: EMAIL, granted: true}) { decision } }",
            STAFF,
            on_contact,
        ),
        "setDoNotContact": Entry(
            "mutation($c: ID!) { setDoNotContact(contactId: $c, listed: false) }", STAFF, on_contact
        ),
        "emailTemplates": Entry("{ emailTemplates { id } }", STAFF),
        "emailTemplate": Entry("query($id: ID!) { emailTemplate(id: $id) { id } }", STAFF, {"id": template}),
        "emailMergeFields": Entry("{ emailMergeFields }", STAFF),
        "previewEmailTemplate": Entry(
            "query($id: ID!) { previewEmailTemplate(id: $id) { subject } }", STAFF, {"id": template}
        ),
        "saveEmailTemplate": Entry(
            f"mutation($n: String!) {{ saveEmailTemplate(input: {template_input}) {{ id }} }}", STAFF, named
        ),
        "smsTemplates": Entry("{ smsTemplates { id } }", STAFF),
        "saveSmsTemplate": Entry(
            f"mutation($n: String!) {{ saveSmsTemplate(input: {sms_input}) {{ id }} }}", STAFF, named
        ),
        "sendSmsTest": Entry(
            'mutation($t: ID!) { sendSmsTest(id: $t, phone: "13800138000") { accepted } }', STAFF, {"t": sms_template}
        ),
        "setCampaignSmsTemplate": Entry(
            "mutation($id: ID!, $t: ID!) { setCampaignSmsTemplate(id: $id, templateId: $t) { id } }",
            LEADS_CAMPAIGN,
            sms_campaign,
        ),
        "journeys": Entry("{ journeys { id } }", STAFF),
        "journey": Entry("query($id: ID!) { journey(id: $id) { id } }", STAFF, journey),
        "journeyProgress": Entry("query($id: ID!) { journeyProgress(id: $id) { enrolled } }", STAFF, journey),
        "saveJourney": Entry(save_journey, STAFF, {"k": own_campaign}),
        "publishJourney": Entry("mutation($id: ID!) { publishJourney(id: $id) { liveVersion } }", STAFF, draft),
    }
    competitor = {
        "id": (await gql.ok('mutation { saveCompetitor(input: {name: "矩阵对手"}) { id } }'))["saveCompetitor"]["id"]
    }
    material = await gql.ok(
        'mutation { saveMaterial(input: {name: "矩阵手册", kind: BROCHURE, unitCost: "1"}) { id } }'
    )
    stocked = {"id": material["saveMaterial"]["id"]}
    await gql.ok("mutation($id: ID!) { restockMaterial(id: $id, quantity: 1000) { stock } }", stocked)

    async def issue_to(caller=None):
        return {**stocked, "c": await gql.approved("lead")}

    entries |= {
        "campaignPerformance": Entry(
            "query($id: ID!) { campaignPerformance(id: $id, model: U_SHAPED) { roi } }", LEADS_CAMPAIGN, fixed
        ),
        "competitors": Entry("{ competitors { name winLoss { won } } }", READERS),
        "competitor": Entry("query($id: ID!) { competitor(id: $id) { name } }", READERS, competitor),
        "intelligence": Entry("{ intelligence { totalCount } }", READERS),
        "saveCompetitor": Entry("mutation($n: String!) { saveCompetitor(input: {name: $n}) { id } }", STAFF, named),
        "saveIntelligence": Entry(
            'mutation { saveIntelligence(input: {kind: NEWS, title: "矩阵情报"}) { id } }', STAFF
        ),
        "materials": Entry("{ materials { stock } }", STAFF),
        "saveMaterial": Entry(
            'mutation($n: String!) { saveMaterial(input: {name: $n, kind: GIFT, unitCost: "5"}) { id } }', STAFF, named
        ),
        "restockMaterial": Entry(
            "mutation($id: ID!) { restockMaterial(id: $id, quantity: 1) { stock } }", STAFF, stocked
        ),
        # marketer1 and marketer2 do not reach lead's campaign, so it is not theirs to charge
        "issueMaterial": Entry(
            "mutation($id: ID!, $c: ID!) { issueMaterial(id: $id, campaignId: $c, quantity: 1) { stock } }",
            LEADS_CAMPAIGN,
            issue_to,
        ),
    }
    segment = (await gql.ok(SEGMENT, {"n": "矩阵细分"}, "lead"))["saveSegment"]["id"]

    async def lead_segment(caller=None):
        return {
            "id": (await gql.ok(SEGMENT, {"n": f"矩阵{caller}{uuid.uuid4().hex[:4]}"}, "lead"))["saveSegment"]["id"]
        }

    entries |= {
        "segments": Entry("{ segments { totalCount } }", STAFF),
        # segments are their owner's here (scope own): only lead and the administrator reach lead's
        "segment": Entry(
            "query($id: ID!) { segment(id: $id) { memberCount } }",
            expect("NOT_FOUND", admin="ok", lead="ok", rep1="FORBIDDEN", rep2="FORBIDDEN"),
            {"id": segment},
        ),
        "segmentPreview": Entry(
            'query { segmentPreview(rules: {conditions: [{field: LEVEL, operator: EQUALS, value: "A"}]}) { count } }',
            STAFF,
        ),
        "saveSegment": Entry(SEGMENT, STAFF, named),
        # as for reading: only lead, its owner, and the administrator delete lead's segment
        "deleteSegment": Entry(
            "mutation($id: ID!) { deleteSegment(id: $id) }",
            expect("NOT_FOUND", admin="ok", lead="ok", rep1="FORBIDDEN", rep2="FORBIDDEN"),
            lead_segment,
        ),
    }
    entries |= {
        f"{typename}.engagement": Entry(
            ENTITY_ENGAGEMENT.format(typename), HISTORY, {"r": [{"__typename": typename, "id": entity}]}
        )
        for typename, entity in (("Account", account), ("Contact", contact))
    }
    entries |= {
        f"{typename}.campaigns": Entry(
            ENTITY_CAMPAIGNS.format(typename), HISTORY, {"r": [{"__typename": typename, "id": entity}]}
        )
        for typename, entity in (("Account", account), ("Contact", contact))
    }
    check_complete(schema, entries)
    bearer = {name: tokens.token(p) for name, p in persona.items()} | {"anonymous": None}

    async def execute(query, variables, token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await gql.client.post(
            "/graphql", json={"query": query, "variables": dict(variables)}, headers=headers
        )
        return response.json()

    await check_matrix(entries, bearer, execute)
