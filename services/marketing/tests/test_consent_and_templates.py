"""Consent records and the do-not-contact list, the contact's standing on Contact and Account, and email
templates with their preview, on the real database and broker."""

CONSENT = "query($c: ID!) { consent(contactId: $c) { channel granted source doNotContact decision } }"
HISTORY = "query($c: ID!) { consentHistory(contactId: $c) { channel granted source note } }"
RECORD = "mutation($i: ConsentInput!) { recordConsent(input: $i) { channel granted decision } }"
DNC = 'mutation($c: ID!, $l: Boolean!) { setDoNotContact(contactId: $c, listed: $l, reason: "客户要求") }'
SAVE = "mutation($i: EmailTemplateInput!, $id: ID) { saveEmailTemplate(input: $i, id: $id) { id name subjectEn } }"
PREVIEW = """query($id: ID, $i: EmailTemplateInput, $l: String!, $c: ID) {
    previewEmailTemplate(id: $id, input: $i, language: $l, contactId: $c) { subject html text } }"""
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Contact { consents { channel decision } campaigns { totalCount edges { node { id } } } }
    ... on Account { consents { contactId channel decision } campaigns { totalCount edges { node { id } } } } } }"""


async def test_the_latest_consent_decides_and_the_history_keeps_every_record(gql, platform_settings, topic_events):
    contact = await gql.contact(email="a@example.cn")
    assert (await gql.ok(CONSENT, {"c": contact}, "marketer1"))["consent"] == [
        {"channel": "EMAIL", "granted": None, "source": None, "doNotContact": False, "decision": "NO_CONSENT"},
        {"channel": "SMS", "granted": None, "source": None, "doNotContact": False, "decision": "NO_CONSENT"},
    ]
    opt_in = {"contactId": contact, "channel": "EMAIL", "granted": True, "source": "form", "note": "展会登记"}
    assert (await gql.ok(RECORD, {"i": opt_in}, "marketer1"))["recordConsent"] == {
        "channel": "EMAIL",
        "granted": True,
        "decision": "SEND",
    }
    opt_out = {**opt_in, "granted": False, "source": "manual", "note": "电话退订"}
    assert (await gql.ok(RECORD, {"i": opt_out}, "marketer1"))["recordConsent"]["decision"] == "OPTED_OUT"
    assert (await gql.ok(HISTORY, {"c": contact}, "marketer1"))["consentHistory"] == [
        {"channel": "EMAIL", "granted": False, "source": "manual", "note": "电话退订"},
        {"channel": "EMAIL", "granted": True, "source": "form", "note": "展会登记"},
    ]
    bad = await gql.error(RECORD, {"i": {**opt_in, "source": "guess"}}, "marketer1", code="BAD_USER_INPUT")
    assert bad["extensions"]["field"] == "source"
    await gql.publish()
    events = await topic_events("crm.marketing.consent", contact, 2)
    assert [(kind, data["granted"], data["source"]) for kind, data in events] == [
        ("consent.recorded", True, "form"),
        ("consent.recorded", False, "manual"),
    ]


async def test_an_empty_or_blank_source_is_refused_at_source_and_only_an_omitted_one_is_manual(gql):
    contact = await gql.contact(email="empty-source@example.cn")
    opt_in = {"contactId": contact, "channel": "EMAIL", "granted": True}
    for source in ("", "   "):
        zh = await gql.error(RECORD, {"i": {**opt_in, "source": source}}, "marketer1", "BAD_USER_INPUT", "zh-CN")
        en = await gql.error(RECORD, {"i": {**opt_in, "source": source}}, "marketer1", "BAD_USER_INPUT", "en")
        assert (zh["extensions"]["field"], zh["message"], en["message"]) == (
            "source",
            "字段“source”须为以下之一：form, event, import, manual, contract",
            "Field 'source' must be one of: form, event, import, manual, contract",
        ), source
    assert (await gql.ok(HISTORY, {"c": contact}, "marketer1"))["consentHistory"] == []
    await gql.ok(RECORD, {"i": opt_in}, "marketer1")
    assert (await gql.ok(HISTORY, {"c": contact}, "marketer1"))["consentHistory"] == [
        {"channel": "EMAIL", "granted": True, "source": "manual", "note": ""}
    ]


async def test_the_do_not_contact_list_overrides_consent_on_every_channel(gql):
    contact = await gql.contact(email="b@example.cn")
    await gql.consent(contact)
    assert (await gql.ok(DNC, {"c": contact, "l": True}, "marketer1"))["setDoNotContact"] is True
    found = (await gql.ok(CONSENT, {"c": contact}, "marketer1"))["consent"]
    assert [(s["channel"], s["doNotContact"], s["decision"]) for s in found] == [
        ("EMAIL", True, "DO_NOT_CONTACT"),
        ("SMS", True, "DO_NOT_CONTACT"),
    ]
    listed = await gql.ok("{ doNotContactList { contactId reason } }", None, "marketer1")
    assert listed["doNotContactList"] == [{"contactId": contact, "reason": "客户要求"}]
    await gql.ok(DNC, {"c": contact, "l": False}, "marketer1")
    assert (await gql.ok(CONSENT, {"c": contact}, "marketer1"))["consent"][0]["decision"] == "SEND"


async def test_contacts_and_accounts_show_their_campaigns_and_consent(gql):
    account = await gql.account()
    contact = await gql.contact(account, "c@example.cn")
    await gql.consent(contact)
    campaign = await gql.campaign()
    members = "mutation($id: ID!, $c: [ID!]) { addCampaignMembers(id: $id, contactIds: $c) { id } }"
    await gql.ok(members, {"id": campaign, "c": [contact]}, "marketer1")
    await gql.campaign()  # a campaign the contact is not in
    found = await gql.ok(
        ENTITIES,
        {"r": [{"__typename": "Contact", "id": contact}, {"__typename": "Account", "id": account}]},
        "marketer1",
    )
    by_campaign = {"totalCount": 1, "edges": [{"node": {"id": campaign}}]}
    assert found["_entities"] == [
        {
            "consents": [{"channel": "EMAIL", "decision": "SEND"}, {"channel": "SMS", "decision": "NO_CONSENT"}],
            "campaigns": by_campaign,
        },
        {
            "consents": [
                {"contactId": contact, "channel": "EMAIL", "decision": "SEND"},
                {"contactId": contact, "channel": "SMS", "decision": "NO_CONSENT"},
            ],
            "campaigns": by_campaign,
        },
    ]
    other = await gql.ok(ENTITIES, {"r": [{"__typename": "Contact", "id": contact}]}, "lead")
    assert other["_entities"][0]["campaigns"] == by_campaign  # scope all
    hidden = await gql(ENTITIES, {"r": [{"__typename": "Contact", "id": contact}]}, "rep2")
    assert hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # rep1's customer, not rep2's


HISTORY_OF = """query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Account { campaigns { totalCount edges { node { id name status
        members { edges { node { contactId contactName email status } } } } } } }
    ... on Contact { campaigns { edges { node { id members { edges { node { contactId status } } } } } } } } }"""


async def test_a_rep_sees_the_campaign_history_of_their_own_accounts_only(gql):
    mine, theirs = await gql.account("rep1"), await gql.account("rep2")
    contact = await gql.contact(mine, "li.ming@example.cn", name="李明")
    colleague = await gql.contact(mine, "zhang@example.cn", name="张伟")
    other = await gql.contact(theirs, "other@example.cn")
    campaign = await gql.campaign("lead")  # another team's campaign: the reps hold no campaign permission
    members = "mutation($id: ID!, $c: [ID!]) { addCampaignMembers(id: $id, contactIds: $c) { id } }"
    for added in (contact, colleague, other):  # one at a time: members are listed in the order they were added
        await gql.ok(members, {"id": campaign, "c": [added]}, "lead")
    await gql.ok(members, {"id": await gql.campaign("lead"), "c": [other]}, "lead")
    name = (await gql.ok("query($id: ID!) { campaign(id: $id) { name } }", {"id": campaign}, "lead"))["campaign"]

    def account(account_id):
        return {"r": [{"__typename": "Account", "id": account_id}]}

    found = (await gql.ok(HISTORY_OF, account(mine), "rep1"))["_entities"][0]["campaigns"]
    assert found == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "id": campaign,
                    "name": name["name"],
                    "status": "PLANNED",
                    "members": {
                        "edges": [
                            {
                                "node": {
                                    "contactId": contact,
                                    "contactName": "李明",
                                    "email": "li.ming@example.cn",
                                    "status": "TARGETED",
                                }
                            },
                            {
                                "node": {
                                    "contactId": colleague,
                                    "contactName": "张伟",
                                    "email": "zhang@example.cn",
                                    "status": "TARGETED",
                                }
                            },
                        ]
                    },
                }
            }
        ],
    }
    by_contact = await gql.ok(HISTORY_OF, {"r": [{"__typename": "Contact", "id": contact}]}, "rep1")
    assert by_contact["_entities"][0]["campaigns"]["edges"] == [
        {"node": {"id": campaign, "members": {"edges": [{"node": {"contactId": contact, "status": "TARGETED"}}]}}}
    ]
    masked = (await gql.ok(HISTORY_OF, account(theirs), "rep2"))["_entities"][0]["campaigns"]
    assert masked["totalCount"] == 2
    assert [e["node"]["members"]["edges"][0]["node"]["email"] for e in masked["edges"]] == ["o***@example.cn"] * 2
    for caller, account_id in (("rep1", theirs), ("rep2", mine)):
        refused = await gql(HISTORY_OF, account(account_id), caller)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    budget = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { campaigns { edges { node {"
    for field in ("budgetTotal", "goalRevenue"):
        refused = await gql(budget + f" {field} }} }} }} }} }} }}", account(mine), "rep1")
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a marketer of another unit sees the customer's history as the rep does, its budget only where theirs
    outsider = (await gql.ok(HISTORY_OF, account(mine), "marketer1"))["_entities"][0]["campaigns"]
    assert [e["node"]["id"] for e in outsider["edges"]] == [campaign]
    refused = await gql(budget + " budgetTotal } } } } } }", account(mine), "marketer1")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    whole = await gql.ok(budget + " budgetTotal } } } } } }", account(mine), "lead")
    assert whole["_entities"][0]["campaigns"]["edges"] == [{"node": {"budgetTotal": "50000.00"}}]  # the lead's own
    listing = await gql("{ campaigns { totalCount } }", None, "rep1")
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_template_is_saved_checked_and_previewed_with_its_merge_fields_escaped(gql):
    data = {
        "name": "邀请函",
        "subjectZh": "{{ contact.name }}，邀请您",
        "htmlZh": "<p>{{ contact.name }} / {{ account.name }}</p>",
        "textZh": "{{ contact.name }}",
        "subjectEn": "Invitation for {{ contact.name }}",
        "htmlEn": "<p>Dear {{ contact.name }}</p>",
        "textEn": "Dear {{ contact.name }}",
    }
    saved = (await gql.ok(SAVE, {"i": data}, "marketer1"))["saveEmailTemplate"]
    assert (saved["name"], saved["subjectEn"]) == ("邀请函", "Invitation for {{ contact.name }}")
    account = await gql.account()
    contact = await gql.contact(account, name="<i>周</i>总")
    shown = await gql.ok(PREVIEW, {"id": saved["id"], "l": "zh-CN", "c": contact}, "marketer1")
    preview = shown["previewEmailTemplate"]
    assert preview["subject"] == "<i>周</i>总，邀请您"
    assert preview["html"].startswith("<p>&lt;i&gt;周&lt;/i&gt;总 / 测试客户")
    english = await gql.ok(PREVIEW, {"id": saved["id"], "l": "en"}, "marketer1")
    assert english["previewEmailTemplate"] == {
        "subject": "Invitation for 张三",
        "html": "<p>Dear 张三</p>",
        "text": "Dear 张三",
    }
    clash = await gql.error(SAVE, {"i": data}, "marketer2", code="CONFLICT")
    assert clash["extensions"]["field"] == "name"
    unknown = {**data, "name": "坏模板", "htmlZh": "{{ contact.idNumber }}"}
    refused = await gql.error(SAVE, {"i": unknown}, "marketer1", lang="zh-CN", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "htmlZh"
    assert refused["message"].startswith("字段“htmlZh”使用了不存在的合并字段 contact.idNumber")
    half = {**data, "name": "半英文", "htmlEn": None, "textEn": None}
    assert (await gql.error(SAVE, {"i": half}, "marketer1", code="BAD_USER_INPUT"))["extensions"]["field"] == "htmlEn"
    names = await gql.ok("{ emailTemplates { name } }", None, "marketer2")
    assert names["emailTemplates"] == [{"name": "邀请函"}]


async def test_a_template_that_cannot_be_filled_in_is_refused_naming_its_part_and_never_an_internal_error(gql):
    data = {"name": "坏模板", "subjectZh": "邀请", "htmlZh": "<p>{{ contact.name }}</p>", "textZh": "您好"}
    for source, words in (
        ("{{ 1/0 }}", "division by zero"),
        ("{{ contact.name.foo.bar }}", "UndefinedError"),
        ("{{ ''.__class__.__mro__ }}", "SecurityError"),
        ("{% include 'x' %}", "no loader"),
        ("{{ 9**9**9**9 }}", "power operator"),
        ("{{ 'x' * 999999999 }}", "repetition"),
        ("{{ contact.name|int + 'a' }}", "TypeError"),
        ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "not a valid template"),
    ):
        draft = {**data, "htmlZh": source}
        for query, variables in ((SAVE, {"i": draft}), (PREVIEW, {"i": draft, "l": "zh-CN"})):
            refused = await gql.error(query, variables, "marketer1", code="BAD_USER_INPUT")
            assert (refused["extensions"]["field"], words in refused["message"]) == ("htmlZh", True), refused
    zh = await gql.error(SAVE, {"i": {**data, "textZh": "{{ 1/0 }}"}}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    assert zh["message"] == "字段“textZh”无法填充，模板引擎报错：ZeroDivisionError: division by zero"
    assert (await gql.ok("{ emailTemplates { name } }", None, "marketer1"))["emailTemplates"] == []


async def test_a_template_that_would_multiply_its_size_is_refused_at_its_field_and_nothing_is_saved(gql):
    huge = {"name": "x", "subjectZh": "s", "htmlZh": "{{ contact.name|center(100000000) }}", "textZh": "t"}
    allowed = (
        "abs, capitalize, count, d, default, e, escape, first, float, forceescape, int, last, length, lower, round, "
        "safe, string, striptags, title, trim, truncate, upper, urlencode, wordcount"
    )
    zh = await gql.error(PREVIEW, {"i": huge, "l": "zh-CN"}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    assert (zh["extensions"]["field"], zh["message"]) == (
        "htmlZh",
        f"字段“htmlZh”使用了模板不允许的 center（可用的过滤器：{allowed}）",
    )
    big = {**huge, "htmlZh": "{{ contact.name|center(5000000) }}"}
    en = await gql.error(SAVE, {"i": big}, "marketer1", "BAD_USER_INPUT", "en")
    assert (en["extensions"]["field"], en["message"]) == (
        "htmlZh",
        f"Field 'htmlZh' uses center, which a template may not use (filters allowed: {allowed})",
    )
    method = await gql.error(
        SAVE, {"i": {**big, "htmlZh": "{{ contact.name.ljust(10**8) }}"}}, "marketer1", "BAD_USER_INPUT"
    )
    assert (method["extensions"]["field"], method["message"].split(",")[0]) == ("htmlZh", "Field 'htmlZh' uses ljust()")
    doubling = "{% set contact = 'x' * 9999 %}" + "{% set contact = contact ~ contact %}" * 30 + "{{ contact }}"
    statement = await gql.error(
        SAVE, {"i": {**huge, "htmlZh": "<p>您好</p>", "textZh": doubling}}, "marketer1", "BAD_USER_INPUT", "zh-CN"
    )
    assert (statement["extensions"]["field"], statement["message"].split("（")[0]) == (
        "textZh",
        "字段“textZh”使用了模板不允许的 {% set %}",
    )
    many = {**big, "htmlZh": "{{ contact.name * 5000 }}" * 101}
    long = await gql.error(SAVE, {"i": many}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    assert (long["extensions"]["field"], long["message"]) == ("htmlZh", "字段“htmlZh”填充后超过 1,000,000 个字符")
    assert (await gql.ok("{ emailTemplates { name } }", None, "marketer1"))["emailTemplates"] == []
