"""Who may call which support operation, on a ticket of agent1's team for an account rep1 owns.

Agents work on tickets of their own unit's teams (scope `unit`), the service manager on those of the
units below theirs; an account's owner reads its tickets and changes none; calendars and SLA
policies are company-wide, for administrators and the service manager. Survey results and rosters are
read by the service staff; analytics, sending NPS surveys and keeping rosters are the managers'. Every
support reader reads published articles; agents draft their own (scope `own`), the service manager
changes and publishes those of the units below, keeps the categories and the canned responses, which
agents use.
"""

from crm_shared.testing.authz import Entry, check_complete, check_matrix
from support.graphql import schema

NAMES = ("admin", "manager", "agent1", "agent2", "agent3", "rep1", "rep2")


def expect(default="FORBIDDEN", **outcomes):
    return {"anonymous": "UNAUTHENTICATED", **dict.fromkeys(NAMES, default), **outcomes}


STAFF = dict(admin="ok", manager="ok", agent1="ok", agent2="ok", agent3="ok")
LIST = expect(**STAFF, rep1="ok", rep2="ok")
SUPPORT_READ = expect(**STAFF)
MANAGERS = expect(admin="ok", manager="ok")
READ_TICKET = expect(
    admin="ok", manager="ok", agent1="ok", agent2="ok", agent3="NOT_FOUND", rep1="ok", rep2="NOT_FOUND"
)
WORK_TICKET = {**READ_TICKET, "rep1": "FORBIDDEN"}
REVIEW = {**WORK_TICKET, "agent1": "FORBIDDEN", "agent2": "FORBIDDEN"}
# agent1's unpublished draft: their own (scope `own`), and the service manager's subtree
OWN_DRAFT = expect(admin="ok", manager="ok", agent1="ok", agent2="NOT_FOUND", agent3="NOT_FOUND")


async def test_every_support_operation_has_a_matrix_entry_and_holds(gql, tokens, persona):
    desk = str(persona["agent1"].unit_id)
    team = await gql.team("agent1", "agent2")
    account = await gql.account("rep1")
    calendar = await gql.calendar()
    agent1 = str(persona["agent1"].user_id)

    async def ticket(caller=None, **fields):
        data = {"subject": "矩阵工单", "accountId": account, "teamId": team, "assigneeId": agent1, **fields}
        made = await gql.ok("mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }", {"i": data})
        return {"id": made["createTicket"]["id"]}

    async def complaint(caller=None):
        made = await ticket(type="COMPLAINT")
        await gql.ok(
            'mutation($id: ID!) { updateTicket(id: $id, input: {rootCause: "因", resolution: "果"}) { id } }', made
        )
        await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }", made, "agent1")
        return made

    fixed = await ticket()
    calendar_input = {"c": calendar}
    published = {"id": await gql.article("manager", publish=True)}

    async def draft(caller=None):
        return {"id": await gql.article("agent1")}

    async def macro(caller=None):
        return {"id": await gql.macro()}

    fixed_macro = await macro()

    async def named(caller=None):
        return {"n": f"矩阵{caller}"}

    entries = {
        "tickets": Entry("{ tickets { totalCount } }", LIST),
        "ticket": Entry("query($id: ID!) { ticket(id: $id) { id } }", READ_TICKET, fixed),
        "createTicket": Entry(
            'mutation($a: ID!) { createTicket(input: {subject: "矩阵", accountId: $a}) { id } }',
            expect(**STAFF),
            {"a": account},
        ),
        "updateTicket": Entry(
            'mutation($id: ID!) { updateTicket(id: $id, input: {tags: ["矩阵"]}) { id } }', WORK_TICKET, fixed
        ),
        "assignTicket": Entry(
            "mutation($id: ID!, $u: ID!) { assignTicket(id: $id, assigneeId: $u) { id } }",
            WORK_TICKET,
            {**fixed, "u": agent1},
        ),
        "assignTicket to an agent outside the team": Entry(
            "mutation($id: ID!, $u: ID!) { assignTicket(id: $id, assigneeId: $u) { id } }",
            {**WORK_TICKET, **dict.fromkeys(("admin", "manager", "agent1", "agent2"), "BAD_USER_INPUT")},
            {**fixed, "u": str(persona["agent3"].user_id)},
        ),
        "replyToTicket": Entry(
            'mutation($id: ID!) { replyToTicket(id: $id, body: "您好") { id } }', WORK_TICKET, fixed
        ),
        "addTicketNote": Entry(
            'mutation($id: ID!) { addTicketNote(id: $id, body: "备注") { id } }', WORK_TICKET, fixed
        ),
        "changeTicketStatus": Entry(
            "mutation($id: ID!) { changeTicketStatus(id: $id, status: ON_HOLD) { id } }", WORK_TICKET, ticket
        ),
        "reviewComplaint": Entry(
            "mutation($id: ID!) { reviewComplaint(id: $id, approve: true) { id } }", REVIEW, complaint
        ),
        "businessCalendars": Entry("{ businessCalendars { id } }", SUPPORT_READ),
        "saveBusinessCalendar": Entry(
            'mutation($id: ID!) { saveBusinessCalendar(id: $id, input: {name: "矩阵日历"}) { id } }',
            MANAGERS,
            {"id": calendar},
        ),
        "slaPolicies": Entry("{ slaPolicies { id } }", SUPPORT_READ),
        "slaRechecks": Entry("{ slaRechecks { id checked } }", SUPPORT_READ),
        "saveSlaPolicy": Entry(
            'mutation($c: ID!) { saveSlaPolicy(input: {name: "矩阵", calendarId: $c, resolutionMinutes: 60}) { id } }',
            MANAGERS,
            calendar_input,
        ),
        "serviceTeams": Entry("{ serviceTeams { id } }", SUPPORT_READ),
        "saveServiceTeam": Entry(
            'mutation($id: ID!, $u: ID) { saveServiceTeam(id: $id, input: {name: "矩阵团队", unitId: $u}) { id } }',
            MANAGERS,
            {"id": team, "u": desk},
        ),
        "saveServiceTeam without a unit (company-wide)": Entry(
            'mutation { saveServiceTeam(input: {name: "全公司"}) { id } }', expect(admin="ok"), None
        ),
        "routingRules": Entry("{ routingRules { id } }", SUPPORT_READ),
        "surveyResults": Entry("{ surveyResults { totalCount } }", SUPPORT_READ),
        "surveySummary": Entry("{ surveySummary { csat { answers } } }", SUPPORT_READ),
        "sendNpsSurveys": Entry("mutation($a: ID!) { sendNpsSurveys(accountId: $a) }", MANAGERS, {"a": account}),
        "serviceAnalytics": Entry(
            '{ serviceAnalytics(filter: {from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z"}) { created } }',
            MANAGERS,
        ),
        "agentShifts": Entry("{ agentShifts { userId } }", SUPPORT_READ),
        "saveAgentShift": Entry(
            "mutation($u: ID!) { saveAgentShift(input: {userId: $u}) { userId } }", MANAGERS, {"u": agent1}
        ),
        "saveAgentShift for someone outside the manager's units": Entry(
            "mutation($u: ID!) { saveAgentShift(input: {userId: $u}) { userId } }",
            {**MANAGERS, "manager": "BAD_USER_INPUT"},
            {"u": str(persona["admin"].user_id)},  # who may read tickets (a sales rep may not: no shift for them)
        ),
        "saveRoutingRule": Entry(
            'mutation($t: ID!) { saveRoutingRule(input: {name: "矩阵", teamId: $t}) { id } }', MANAGERS, {"t": team}
        ),
        "articles": Entry("{ articles { totalCount } }", SUPPORT_READ),
        "article": Entry("query($id: ID!) { article(id: $id) { id } }", SUPPORT_READ, published),
        "article as a draft": Entry("query($id: ID!) { article(id: $id) { id } }", OWN_DRAFT, draft),
        "searchArticles": Entry('{ searchArticles(query: "打印") { id } }', SUPPORT_READ),
        "suggestArticles": Entry('{ suggestArticles(subject: "打印机坏了") { id } }', SUPPORT_READ),
        "articleCategories": Entry("{ articleCategories { id } }", SUPPORT_READ),
        "saveArticle": Entry('mutation { saveArticle(input: {titleZh: "新文章"}) { id } }', SUPPORT_READ),
        "saveArticle of a draft": Entry(
            'mutation($id: ID!) { saveArticle(id: $id, input: {bodyZh: "改"}) { id } }', OWN_DRAFT, draft
        ),
        "publishArticle": Entry(
            "mutation($id: ID!) { publishArticle(id: $id) { id } }",
            {**OWN_DRAFT, "agent1": "FORBIDDEN"},
            draft,
        ),
        "voteArticle": Entry(
            "mutation($id: ID!) { voteArticle(id: $id, helpful: true) { id } }", SUPPORT_READ, published
        ),
        "linkArticle": Entry(
            "mutation($t: ID!, $a: ID!) { linkArticle(ticketId: $t, articleId: $a) { id } }",
            WORK_TICKET,
            {"t": fixed["id"], "a": published["id"]},
        ),
        "saveArticleCategory": Entry(
            "mutation($n: String!) { saveArticleCategory(input: {nameZh: $n}) { id } }", MANAGERS, named
        ),
        "macros": Entry("{ macros { id } }", SUPPORT_READ),
        "macroFields": Entry("{ macroFields }", SUPPORT_READ),
        "saveMacro": Entry(
            'mutation($n: String!) { saveMacro(input: {name: $n, body: "您好"}) { id } }', MANAGERS, named
        ),
        "deleteMacro": Entry("mutation($id: ID!) { deleteMacro(id: $id) }", MANAGERS, macro),
        "renderMacro": Entry(
            "query($id: ID!, $t: ID!) { renderMacro(id: $id, ticketId: $t) }",
            {**WORK_TICKET, "rep2": "FORBIDDEN"},
            {"id": fixed_macro["id"], "t": fixed["id"]},
        ),
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
