"""Canned responses: kept by the service manager, filled in for a ticket by its agents."""

MACROS = "{ macros { name body } }"
RENDER = "query($id: ID!, $t: ID!) { renderMacro(id: $id, ticketId: $t) }"


async def test_a_macro_is_saved_listed_renamed_and_deleted(gql):
    macro = await gql.macro("您好 {{contact.name}}", name="问候")
    change = 'mutation($id: ID!) { saveMacro(id: $id, input: {name: "问候 2", body: "再见"}) { name } }'
    await gql.ok(change, {"id": macro}, "manager")
    assert (await gql.ok(MACROS, None, "agent1"))["macros"] == [{"name": "问候 2", "body": "再见"}]
    await gql.ok("mutation($id: ID!) { deleteMacro(id: $id) }", {"id": macro}, "manager")
    assert (await gql.ok(MACROS, None, "agent1"))["macros"] == []


async def test_a_macro_names_only_known_merge_fields_and_unique_names(gql):
    save = "mutation($b: String!, $n: String!) { saveMacro(input: {name: $n, body: $b}) { id } }"
    unknown = await gql.error(
        save, {"n": "坏", "b": "{{contact.phone}}"}, "manager", code="BAD_USER_INPUT", lang="zh-CN"
    )
    assert unknown["extensions"]["field"] == "body"
    assert "{{contact.phone}}" in unknown["message"]
    await gql.macro("一", name="同名")
    taken = await gql.error(save, {"n": "同名", "b": "二"}, "manager", code="CONFLICT")
    assert taken["extensions"]["field"] == "name"


async def test_a_merge_field_left_open_is_refused_at_the_body(gql):
    save = 'mutation($b: String!) { saveMacro(input: {name: "未闭合", body: $b}) { id } }'
    for body in ("{{contact.name 您好", "您好 {{ contact.name }}，{{"):
        refused = await gql.error(save, {"b": body}, "manager", code="BAD_USER_INPUT")
        assert (refused["extensions"]["field"], refused["message"]) == (
            "body",
            "Field 'body' has a merge field that is not closed or names no field: write {{contact.name}}",
        )
    refused = await gql.error(save, {"b": "{{contact.name"}, "manager", code="BAD_USER_INPUT", lang="zh-CN")
    assert refused["message"] == "字段“body”中的合并字段未闭合或未指明字段：应写作 {{contact.name}}"
    assert (await gql.ok(MACROS, None, "agent1"))["macros"] == []
    await gql.macro("写作 {{{{contact.name}} 即可", name="转义")  # `{{{{` writes `{{`: nothing left open


async def test_merge_fields_are_filled_for_the_ticket_and_values_stay_text(gql):
    account = await gql.account("rep1")
    contact = await gql.contact(account, name="{{ticket.number}}王工")
    team = await gql.team("agent1")
    ticket = await gql.ticket(account=account, contactId=contact, teamId=team, subject="网络中断")
    number = (await gql.ok("query($id: ID!) { ticket(id: $id) { number } }", {"id": ticket}))["ticket"]["number"]
    macro = await gql.macro("{{contact.name}}您好，{{ticket.number}}「{{ticket.subject}}」由 {{agent.name}} 处理。")
    filled = (await gql.ok(RENDER, {"id": macro, "t": ticket}, "agent1"))["renderMacro"]
    assert filled == f"{{{{ticket.number}}}}王工您好，{number}「网络中断」由 agent1 处理。"
    await gql.error(RENDER, {"id": macro, "t": ticket}, "agent3", code="NOT_FOUND")
    bare = await gql.error(
        "mutation($id: ID!) { replyToTicket(id: $id) { id } }", {"id": ticket}, code="BAD_USER_INPUT"
    )
    assert bare["extensions"]["field"] == "body"


async def test_the_status_is_told_as_the_customer_reads_it_in_the_macros_language(gql):
    ticket = await gql.ticket(teamId=await gql.team("agent1"))
    chinese = await gql.macro("您的工单当前状态：{{ticket.status}}。")
    english = await gql.macro("Your request is now: {{ticket.status}}.")
    assert (await gql.ok(RENDER, {"id": chinese, "t": ticket}, "agent1"))["renderMacro"] == "您的工单当前状态：新建。"
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: PENDING_CUSTOMER) { id } }", {"id": ticket})
    for lang in ("en", "zh-CN"):  # the agent's console language is not the customer's
        filled = await gql.ok(RENDER, {"id": english, "t": ticket}, "agent1", lang)
        assert filled["renderMacro"] == "Your request is now: Pending customer."
        filled = await gql.ok(RENDER, {"id": chinese, "t": ticket}, "agent1", lang)
        assert filled["renderMacro"] == "您的工单当前状态：等待客户。"
