"""Leads: capture, assignment rules on arrival, scoring, statuses, web form, import and the conversion saga."""

import json
import uuid

from crm_contracts.customer import LeadConversionFailed, LeadConverted
from crm_shared.testing import read_topic
from crm_shared.testing.events import delivered

CREATE = """mutation($i: CreateLeadInput!) { createLead(input: $i) {
    id company contactName phone email status score source owner { id } conversionStatus } }"""


def company():
    return f"线索公司{uuid.uuid4().hex[:8]}"


async def test_round_robin_within_a_team_and_territory_rules_assign_on_arrival(gql, persona):
    source = f"expo-{uuid.uuid4().hex[:6]}"
    rep1, rep2, rep3 = (str(persona[n].user_id) for n in ("rep1", "rep2", "rep3"))
    rule = """mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id method members { id } } }"""
    await gql.ok(
        rule,
        {
            "i": {
                "name": "华南",
                "method": "fixed",
                "priority": 1,
                "sources": [source],
                "provinces": ["广东"],
                "memberIds": [rep3],
            }
        },
        "admin",
    )
    await gql.ok(
        rule,
        {"i": {"name": "轮询", "method": "round_robin", "priority": 2, "sources": [source], "memberIds": [rep1, rep2]}},
        "admin",
    )
    owners = []
    for province in ("浙江", "浙江", "浙江", "广东"):
        made = await gql.ok(
            CREATE,
            {
                "i": {
                    "company": company(),
                    "contactName": "张三",
                    "phone": f"138{uuid.uuid4().int % 10**8:08d}",
                    "source": source,
                    "province": province,
                }
            },
            "marketing",
        )
        owners.append(made["createLead"]["owner"]["id"])
    assert owners[:3] in ([rep1, rep2, rep1], [rep2, rep1, rep2])
    assert owners[3] == rep3  # the territory rule comes first for 广东


async def test_least_loaded_picks_the_rep_with_fewest_open_leads(gql, persona):
    source = f"ll-{uuid.uuid4().hex[:6]}"
    rep1, rep2 = str(persona["rep1"].user_id), str(persona["rep2"].user_id)
    for _ in range(2):  # rep1 holds more open leads
        await gql.ok(
            CREATE,
            {
                "i": {
                    "company": company(),
                    "contactName": "甲",
                    "email": f"a{uuid.uuid4().hex[:8]}@example.cn",
                    "ownerId": rep1,
                }
            },
            "manager",
        )
    await gql.ok(
        "mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id } }",
        {
            "i": {
                "name": "最少",
                "method": "least_loaded",
                "priority": 0,
                "sources": [source],
                "memberIds": [rep1, rep2],
            }
        },
        "admin",
    )
    made = await gql.ok(
        CREATE,
        {
            "i": {
                "company": company(),
                "contactName": "乙",
                "email": f"b{uuid.uuid4().hex[:8]}@example.cn",
                "source": source,
            }
        },
        "marketing",
    )
    assert made["createLead"]["owner"]["id"] == rep2


async def test_scoring_from_attributes_and_activity_and_statuses(gql):
    tag = uuid.uuid4().hex[:6]
    for field, value, points in (
        ("source", f"转介绍{tag}", 30),
        ("title", "总监", 15),
        ("activities", "2", 20),
    ):
        await gql.ok(
            "mutation($f: String!, $v: String!, $p: Int!) { addScoringRule(field: $f, value: $v, points: $p) { id } }",
            {"f": field, "v": value, "p": points},
            "admin",
        )
    made = await gql.ok(
        CREATE,
        {
            "i": {
                "company": company(),
                "contactName": "王五",
                "title": "采购总监",
                "phone": "+86 139-0013-9000",
                "source": f"转介绍{tag}",
            }
        },
        "rep1",
    )
    lead = made["createLead"]
    assert lead["phone"] == "13900139000" and lead["status"] == "new"
    base = lead["score"]
    assert base == 45  # source and title
    log = (
        'mutation($id: ID!) { logLeadActivity(id: $id, kind: "call", note: "初次沟通") { score status activityCount } }'
    )
    first = (await gql.ok(log, {"id": lead["id"]}, "rep1"))["logLeadActivity"]
    assert first["status"] == "contacted" and first["score"] == base
    second = (await gql.ok(log, {"id": lead["id"]}, "rep1"))["logLeadActivity"]
    assert second["score"] == 65 and second["activityCount"] == 2
    disq = await gql.error(
        'mutation($id: ID!) { disqualifyLead(id: $id, reason: "") { status } }',
        {"id": lead["id"]},
        "rep1",
        code="BAD_USER_INPUT",
    )
    assert disq["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    done = await gql.ok(
        'mutation($id: ID!) { disqualifyLead(id: $id, reason: "无预算") { status disqualifyReason } }',
        {"id": lead["id"]},
        "rep1",
    )
    assert done["disqualifyLead"] == {"status": "disqualified", "disqualifyReason": "无预算"}
    refused = await gql.error(
        "mutation($id: ID!) { convertLead(id: $id) { id } }", {"id": lead["id"]}, "rep1", code="CONFLICT"
    )
    assert refused["extensions"]["code"] == "CONFLICT"


async def test_bad_lead_input_names_the_field_in_both_languages(gql):
    error = await gql.error(
        CREATE,
        {"i": {"company": company(), "contactName": "赵", "email": "not-an-email"}},
        "rep1",
        code="BAD_USER_INPUT",
    )
    assert error["extensions"]["field"] == "email"
    error = await gql.error(
        CREATE,
        {"i": {"company": "  ", "contactName": "赵", "phone": "13800138000"}},
        "rep1",
        lang="zh-CN",
        code="BAD_USER_INPUT",
    )
    assert error["extensions"]["field"] == "company" and "必填" in error["message"]
    error = await gql.error(CREATE, {"i": {"company": company(), "contactName": "赵"}}, "rep1", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "phone"  # a phone or an email is needed


async def test_reps_see_only_their_leads_and_managers_reassign(gql, persona):
    made = await gql.ok(
        CREATE,
        {
            "i": {
                "company": company(),
                "contactName": "孙",
                "phone": "13800138001",
                "ownerId": str(persona["rep1"].user_id),
            }
        },
        "rep1",
    )
    lead = made["createLead"]["id"]
    await gql.error("query($id: ID!) { lead(id: $id) { id } }", {"id": lead}, "rep2", code="NOT_FOUND")
    contact = "query($id: ID!) { lead(id: $id) { phone } }"
    assert (await gql.ok(contact, {"id": lead}, "rep1"))["lead"]["phone"] == "13800138001"
    assert (await gql.ok(contact, {"id": lead}, "marketing"))["lead"][
        "phone"
    ] == "138****8001"  # a role that sees it masked
    assign = "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { owner { id } } }"
    await gql.error(assign, {"id": lead, "o": str(persona["rep2"].user_id)}, "rep2", code="NOT_FOUND")
    await gql.error(assign, {"id": lead, "o": str(persona["rep2"].user_id)}, "marketing", code="FORBIDDEN")
    bad = await gql.error(assign, {"id": lead, "o": str(uuid.uuid4())}, "manager", code="BAD_USER_INPUT")
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "ownerId"}
    moved = await gql.ok(assign, {"id": lead, "o": str(persona["rep2"].user_id)}, "manager")
    assert moved["assignLead"]["owner"]["id"] == str(persona["rep2"].user_id)
    assert (await gql.ok("query($id: ID!) { lead(id: $id) { id } }", {"id": lead}, "rep2"))["lead"]["id"] == lead


async def test_web_form_is_public_rate_limited_and_quarantines_spam(app, gql):
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.9", 5000)), base_url="http://sales"
    ) as client:
        name = company()
        ok = await client.post(  # from a page that still names a campaign marketing never had: the lead counts
            "/api/v1/public/web-form",
            json={
                "company": name,
                "contact_name": "访客",
                "email": "v@example.cn",
                "filled_seconds": 12,
                "campaign_id": str(uuid.uuid4()),
            },
        )
        assert ok.status_code == 202
        spam = await client.post(
            "/api/v1/public/web-form",
            json={"company": f"{name}-bot", "contact_name": "bot", "email": "b@example.cn", "website": "http://spam"},
        )
        assert spam.status_code == 202
        await client.post(
            "/api/v1/public/web-form",
            json={"company": company(), "contact_name": "x", "phone": "13800000000"},
        )
        limited = await client.post(
            "/api/v1/public/web-form", json={"company": company(), "contact_name": "y", "phone": "13800000001"}
        )
        assert limited.status_code == 429 and limited.headers["retry-after"] == "60"
    found = await gql.ok(
        "query($s: String!) { leads(filter: {search: $s}) { edges { node { company source campaignId } } } }",
        {"s": name},
        "admin",
    )
    assert [e["node"] for e in found["leads"]["edges"]] == [{"company": name, "source": "web_form", "campaignId": None}]


async def test_web_form_spam_is_reviewed_by_who_routes_leads_and_can_be_recovered(app, gql):
    import httpx

    name = company()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.77", 5000)), base_url="http://sales"
    ) as client:
        for suffix, extra in (("-fast", {"filled_seconds": 0.5}), ("-bot", {"website": "http://spam"})):
            sent = await client.post(
                "/api/v1/public/web-form",
                json={"company": f"{name}{suffix}", "contact_name": "访客", "phone": "13900139000", **extra},
            )
            assert sent.status_code == 202
    spam = """query { quarantinedSubmissions(first: 50) { totalCount
        edges { node { id company contactName phone reason } } } }"""
    await gql.error(spam, None, "rep1", code="FORBIDDEN")
    mine = [
        e["node"]
        for e in (await gql.ok(spam, None, "admin"))["quarantinedSubmissions"]["edges"]
        if e["node"]["company"].startswith(name)
    ]
    assert [(n["company"], n["contactName"], n["phone"], n["reason"]) for n in mine] == [
        (f"{name}-bot", "访客", "13900139000", "honeypot"),
        (f"{name}-fast", "访客", "13900139000", "too fast"),
    ]
    await gql.error(spam, None, "marketing", code="FORBIDDEN")  # captures leads, does not route them
    seen = (await gql.ok(spam, None, "manager"))["quarantinedSubmissions"]["edges"]
    assert len([e for e in seen if e["node"]["company"].startswith(name)]) == 2
    recovered = await gql.ok(
        "mutation($id: ID!) { recoverSubmission(id: $id) { company source status phone } }",
        {"id": mine[1]["id"]},
        "admin",
    )
    assert recovered["recoverSubmission"] == {
        "company": f"{name}-fast",
        "source": "web_form",
        "status": "new",
        "phone": "13900139000",
    }
    discard = "mutation($ids: [ID!]!) { discardSubmissions(ids: $ids) }"
    bad = await gql.error(discard, {"ids": ["2147483647"]}, "admin", code="BAD_USER_INPUT")
    assert bad["extensions"]["field"] == "ids[0]"
    assert (await gql.ok(discard, {"ids": [mine[0]["id"], mine[1]["id"]]}, "admin"))["discardSubmissions"] == 1
    left = (await gql.ok(spam, None, "admin"))["quarantinedSubmissions"]["edges"]
    assert [e for e in left if e["node"]["company"].startswith(name)] == []
    await gql.error(
        "mutation($id: ID!) { recoverSubmission(id: $id) { id } }", {"id": mine[0]["id"]}, "admin", code="NOT_FOUND"
    )


async def test_spam_recovered_into_a_lead_for_someone_outside_the_callers_reach_is_not_shown(app, gql, persona):
    import httpx

    province, name = f"省{uuid.uuid4().hex[:6]}", company()
    rule = """mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id } }"""
    fixed = {"name": "外区", "method": "fixed", "priority": 1, "provinces": [province]}
    await gql.ok(rule, {"i": {**fixed, "memberIds": [str(persona["rep3"].user_id)]}}, "admin")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.78", 5000)), base_url="http://sales"
    ) as client:
        sent = await client.post(
            "/api/v1/public/web-form",
            json={
                "company": name,
                "contact_name": "访客",
                "phone": "13900139001",
                "province": province,
                "website": "x",
            },
        )
        assert sent.status_code == 202
    spam = "{ quarantinedSubmissions(first: 50) { edges { node { id company } } } }"
    [mine] = [
        e["node"]["id"]
        for e in (await gql.ok(spam, None, "manager"))["quarantinedSubmissions"]["edges"]
        if e["node"]["company"] == name
    ]
    recover = "mutation($id: ID!) { recoverSubmission(id: $id) { id owner { id } } }"
    assert (await gql.ok(recover, {"id": mine}, "manager"))["recoverSubmission"] is None
    found = await gql.ok(
        "query($s: String!) { leads(filter: {search: $s}) { edges { node { owner { id } } } } }", {"s": name}, "admin"
    )
    assert found["leads"]["edges"] == [{"node": {"owner": {"id": str(persona["rep3"].user_id)}}}]


async def test_import_reports_bad_rows_and_keeps_the_good(gql):
    a, b = company(), company()
    content = f"公司,联系人,电话,邮箱,来源\n{a},甲,13800138000,,展会\n,乙,13800138001,,展会\n{b},丙,,bad-mail,展会\n"
    result = await gql.ok(
        "mutation($c: String!) { importLeads(content: $c) { imported rejected { row field message } } }",
        {"c": content},
        "rep1",
    )
    assert result["importLeads"]["imported"] == 1
    assert [(r["row"], r["field"]) for r in result["importLeads"]["rejected"]] == [
        (3, "company"),
        (4, "email"),
    ]


async def test_an_import_counts_its_rows_not_its_blank_lines(gql, monkeypatch):
    from sales.leads import intake

    monkeypatch.setattr(intake, "MAX_IMPORT_ROWS", 2)
    imported = "mutation($c: String!) { importLeads(content: $c) { imported } }"
    rows = [f"{company()},甲,138{uuid.uuid4().int % 10**8:08d}" for _ in range(3)]
    spaced = "公司,联系人,电话\n" + "\n\n,,\n\n".join(rows[:2]) + "\n\n\n"
    assert (await gql.ok(imported, {"c": spaced}, "rep1"))["importLeads"] == {"imported": 2}
    refused = await gql.error(
        imported, {"c": "公司,联系人,电话\n" + "\n".join(rows)}, "rep1", "BAD_USER_INPUT", "zh-CN"
    )
    assert (refused["extensions"]["field"], refused["message"]) == ("content", "字段“content”：文件超过允许的 2 行")


async def test_conversion_saga_opens_the_opportunity_or_records_the_failure(gql, app, platform_settings, persona):
    lead = {"company": company(), "contactName": "周", "phone": "13800138002", "campaignId": str(uuid.uuid4())}
    refused = await gql.error(CREATE, {"i": lead}, "rep1", code="BAD_USER_INPUT")  # a campaign marketing never had
    assert refused["extensions"]["field"] == "campaignId"
    made = await gql.ok(CREATE, {"i": {**lead, "campaignId": await gql.campaign()}}, "rep1")
    lead = made["createLead"]["id"]
    convert = "mutation($id: ID!) { convertLead(id: $id) { status conversionStatus } }"
    assert (await gql.ok(convert, {"id": lead}, "rep1"))["convertLead"] == {
        "status": "new",
        "conversionStatus": "pending",
    }
    assert (await gql.ok(convert, {"id": lead}, "rep1"))["convertLead"]["conversionStatus"] == "pending"  # asked twice
    await gql.publish()
    requests = await read_topic(
        platform_settings.kafka_bootstrap_servers,
        "crm.sales.lead",
        1,
        match=lambda e: e["subject"] == lead and e["type"] == "lead.conversion_requested",
    )
    request = json.loads(requests[0].value)["data"]
    assert "13800138002" not in json.dumps(request) and request["phoneEncrypted"]

    sales = app.state.sales
    failed = delivered(
        LeadConversionFailed(lead_id=uuid.UUID(lead), reason="客户名称无效", field="name", code="invalid")
    )
    async with app.state.db.unit_of_work() as uow:
        await sales.conversion.on_failed(uow, failed)
    state = await gql.ok(
        "query($id: ID!) { lead(id: $id) { status conversionStatus conversionError opportunity { id } } }",
        {"id": lead},
        "rep1",
    )
    assert state["lead"] == {
        "status": "new",
        "conversionStatus": "failed",
        "conversionError": "客户名称无效",
        "opportunity": None,
    }

    await gql.ok(convert, {"id": lead}, "rep1")  # corrected and asked again
    account, contact = str(uuid.uuid4()), str(uuid.uuid4())
    answer = delivered(
        LeadConverted(
            lead_id=uuid.UUID(lead),
            account_id=uuid.UUID(account),
            account_name="新客户",
            contact_id=uuid.UUID(contact),
            matched=False,
        )
    )
    for _ in range(2):  # redelivered: converts once
        async with app.state.db.unit_of_work() as uow:
            await sales.conversion.on_converted(uow, answer)
    state = await gql.ok(
        """query($id: ID!) { lead(id: $id) { status conversionStatus account { id } contactId
        opportunity { account { id } campaignId owner { id } stage { name } } } }""",
        {"id": lead},
        "rep1",
    )
    got = state["lead"]
    assert (got["status"], got["conversionStatus"], got["account"]["id"], got["contactId"]) == (
        "converted",
        "done",
        account,
        contact,
    )
    assert got["opportunity"]["account"]["id"] == account and got["opportunity"]["stage"]["name"] == "初步接洽"
    assert got["opportunity"]["owner"]["id"] == str(persona["rep1"].user_id) and got["opportunity"]["campaignId"]
    listed = await gql.ok(
        "query($a: ID!) { opportunities(filter: {accountId: $a}) { totalCount } }", {"a": account}, "rep1"
    )
    assert listed["opportunities"]["totalCount"] == 1


async def test_an_open_lead_with_the_same_phone_is_a_conflict_unless_a_second_one_is_meant(gql):
    create = """mutation($i: CreateLeadInput!, $d: Boolean! = false) {
      createLead(input: $i, allowDuplicate: $d) { id } }"""
    lead = {"company": company(), "contactName": "钱七", "phone": "+86 137-0013-7000"}
    first = (await gql.ok(create, {"i": lead}, "rep1"))["createLead"]["id"]

    mine = await gql(create, {"i": {**lead, "phone": "13700137000"}}, "rep1", lang="zh-CN")
    theirs = await gql(create, {"i": lead}, "rep3")
    masked = await gql(create, {"i": lead}, "marketing")  # sees lead phones as 137****7000
    second = (await gql.ok(create, {"i": lead, "d": True}, "rep1"))["createLead"]["id"]

    assert mine["errors"][0]["extensions"] == {"code": "CONFLICT", "field": "phone", "existingId": first}
    assert mine["errors"][0]["message"] == "已存在电话或邮箱相同的未关闭线索"
    assert theirs["errors"][0]["extensions"] == {"code": "CONFLICT", "field": "phone"}  # not theirs to see
    assert masked["errors"][0]["extensions"] == {"code": "CONFLICT"}  # nor which field, which would confirm it
    assert second != first


async def test_a_units_rule_gives_leads_only_to_those_of_the_unit_who_may_read_leads(gql, persona):
    source = f"unit-{uuid.uuid4().hex[:6]}"
    unit = str(persona["marketing"].unit_id)  # also the unit of an order clerk, who may not read leads
    rule = "mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id } }"
    everyone = {"name": "市场部轮询", "method": "round_robin", "priority": 0, "sources": [source], "unitId": unit}
    await gql.ok(rule, {"i": everyone}, "admin")
    owners = []
    for _ in range(3):
        lead = {"company": company(), "contactName": "乙", "source": source, "email": f"{uuid.uuid4().hex[:8]}@a.cn"}
        owners.append((await gql.ok(CREATE, {"i": lead}, "marketing"))["createLead"]["owner"]["id"])
    assert owners == [str(persona["marketing"].user_id)] * 3


async def test_a_managers_rule_routes_only_his_units_leads_never_the_web_forms(app, gql, persona):
    import httpx

    manager, rep3 = str(persona["manager"].user_id), str(persona["rep3"].user_id)
    team = str(persona["manager"].unit_id)
    rule = "mutation($i: AssignmentRuleInput!) { saveAssignmentRule(input: $i) { id } }"
    grab_all = {"name": "全部给我", "method": "fixed", "priority": 0, "memberIds": [manager]}
    denied = await gql.error(rule, {"i": grab_all}, "manager", code="FORBIDDEN")  # no unit: company-wide
    assert denied["message"] == "This applies to the whole company; only an administrator may change it"
    outsider = await gql.error(rule, {"i": {**grab_all, "unitId": team, "memberIds": [rep3]}}, "manager", None)
    assert outsider["extensions"] == {"code": "BAD_USER_INPUT", "field": "memberIds"}
    await gql.ok(rule, {"i": {**grab_all, "unitId": team}}, "manager")

    def lead():
        return {"company": company(), "contactName": "甲", "email": f"{uuid.uuid4().hex[:8]}@example.cn"}

    mine = await gql.ok(CREATE, {"i": lead()}, "rep1")  # entered in the manager's unit: his rule applies
    assert mine["createLead"]["owner"]["id"] == manager
    elsewhere = await gql.ok(CREATE, {"i": lead()}, "rep3")  # another unit: it does not
    assert elsewhere["createLead"]["owner"]["id"] == rep3
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.77", 5000)), base_url="http://sales"
    ) as client:
        name = company()
        posted = await client.post(
            "/api/v1/public/web-form",
            json={"company": name, "contact_name": "访客", "email": "w@example.cn", "filled_seconds": 12},
        )
        assert posted.status_code == 202
    found = await gql.ok(
        "query($s: String!) { leads(filter: {search: $s}) { edges { node { owner { id } } } } }", {"s": name}, "admin"
    )
    assert [e["node"]["owner"] for e in found["leads"]["edges"]] == [None]  # only company-wide rules route it
