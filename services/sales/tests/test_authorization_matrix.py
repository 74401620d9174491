"""Who may call which sales operation, on records owned by rep1: every operation, every persona."""

import datetime as dt
import uuid

from crm_shared.db import utcnow
from crm_shared.testing.authz import Entry, check_complete, check_matrix
from sales.graphql import schema

NAMES = ("admin", "manager", "rep1", "rep2", "rep3", "marketing", "agent")


def expect(default="FORBIDDEN", **outcomes):
    return {"anonymous": "UNAUTHENTICATED", **dict.fromkeys(NAMES, default), **outcomes}


SALES_TEAM = dict(admin="ok", manager="ok", rep1="ok", rep2="ok", rep3="ok")
MANAGERS = expect(admin="ok", manager="ok")
LIST = expect(**SALES_TEAM)
LIST_WITH_MARKETING = expect(**SALES_TEAM, marketing="ok")
READ_REP1 = expect(admin="ok", manager="ok", rep1="ok", rep2="NOT_FOUND", rep3="NOT_FOUND")
READ_REP1_MARKETING = {**READ_REP1, "marketing": "ok"}
WRITE_REP1 = READ_REP1
FOR_REP1_ACCOUNT = expect(admin="ok", manager="ok", rep1="ok", rep2="BAD_USER_INPUT", rep3="BAD_USER_INPUT")


async def test_every_sales_operation_has_a_matrix_entry_and_holds(gql, tokens, persona):
    rep1 = str(persona["rep1"].user_id)
    today = utcnow().date()
    product = await gql.product("1000.00")

    async def lead(caller=None):
        made = await gql.ok(
            'mutation($o: ID!) { createLead(input: {company: "矩阵线索", contactName: "甲", phone: "13800138000", '
            "ownerId: $o}, allowDuplicate: true) { id } }",
            {"o": rep1},
            "rep1",
        )
        return {"id": made["createLead"]["id"], "o": rep1}

    async def opportunity(caller=None):
        return {"id": await gql.opportunity("rep1")}

    async def quote(status):
        async def make(caller=None):
            o = await gql.opportunity("rep1")
            discount = "30" if status != "draft" else "0"
            made = await gql.ok(
                "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }",
                {
                    "i": {
                        "opportunityId": o,
                        "discountPercent": discount,
                        "lines": [{"productId": product, "quantity": "1"}],
                    }
                },
                "rep1",
            )
            quote_id = made["createQuote"]["id"]
            if status != "draft":
                await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { id } }", {"id": quote_id}, "rep1")
            if status == "approved":
                await gql.ok("mutation($id: ID!) { approveQuote(id: $id) { id } }", {"id": quote_id}, "manager")
            return {"id": quote_id}

        return make

    async def contract_in(status):
        async def make(caller=None):
            made = await gql.ok(
                "mutation($i: CreateContractInput!) { createContract(input: $i) { id } }",
                {
                    "i": {
                        "accountId": await gql.account("rep1"),
                        "title": "矩阵合同",
                        "value": "1000",
                        "startDate": today.isoformat(),
                        "endDate": (today + dt.timedelta(days=365)).isoformat(),
                    }
                },
                "rep1",
            )
            contract = made["createContract"]["id"]
            steps = {
                "draft": [],
                "pending": ["submitContract"],
                "approved": ["submitContract", "approveContract"],
                "active": ["submitContract", "approveContract", "signContract"],
            }[status]
            for step in steps:
                who = "manager" if step == "approveContract" else "rep1"
                await gql.ok(f"mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}", {"id": contract}, who)
            return {"id": contract}

        return make

    async def order(caller=None):
        made = await (await quote("approved"))()
        accepted = await gql.ok("mutation($id: ID!) { acceptQuote(id: $id) { order { id } } }", made, "rep1")
        return {"id": accepted["acceptQuote"]["order"]["id"]}

    async def invoice(caller=None):
        made = await order()
        issued = await gql.ok("mutation($o: ID!) { issueInvoice(orderId: $o) { id } }", {"o": made["id"]}, "manager")
        return {"id": issued["issueInvoice"]["id"]}

    async def account(caller=None):
        return {"a": await gql.account("rep1")}

    async def unique(caller=None):
        return {"n": f"矩阵{uuid.uuid4().hex[:8]}"}

    fixed_lead = await lead()
    fixed_opportunity = await opportunity()
    fixed_quote = await (await quote("draft"))()
    fixed_contract = await (await contract_in("draft"))()
    fixed_order = await order()
    rule = await gql.ok(
        'mutation { addScoringRule(field: "source", value: "矩阵", points: 1) { id } }', None, "manager"
    )
    stage = (await gql.stages())[1]["id"]

    async def assignment_rule(caller=None):
        made = await gql.ok(
            'mutation($m: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", sources: ["矩阵"], '
            "memberIds: [$m]}) { id } }",
            {"m": rep1},
            "manager",
        )
        return {"id": made["saveAssignmentRule"]["id"], "m": rep1}

    async def scoring_rule(caller=None):
        made = await gql.ok(
            'mutation { addScoringRule(field: "source", value: "矩阵", points: 1) { id } }', None, "manager"
        )
        return {"id": made["addScoringRule"]["id"]}

    async def closed(caller=None):
        made = await opportunity()
        await gql.ok('mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "r") { id } }', made, "rep1")
        return made

    assert rule
    make_active = await contract_in("active")

    async def active_contract(caller=None):
        return {"c": (await make_active())["id"]}

    entries = {
        "leads": Entry("{ leads { totalCount } }", LIST_WITH_MARKETING),
        "lead": Entry("query($id: ID!) { lead(id: $id) { id } }", READ_REP1_MARKETING, fixed_lead),
        "createLead": Entry(
            'mutation { createLead(input: {company: "矩阵", contactName: "乙", email: "m@example.cn"}, '
            "allowDuplicate: true) { id } }",
            LIST_WITH_MARKETING,
        ),
        "updateLead": Entry(
            'mutation($id: ID!) { updateLead(id: $id, input: {title: "经理"}) { id } }', WRITE_REP1, fixed_lead
        ),
        "assignLead": Entry(
            "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id } }", WRITE_REP1, fixed_lead
        ),
        "logLeadActivity": Entry(
            'mutation($id: ID!) { logLeadActivity(id: $id, kind: "call") { id } }', WRITE_REP1, fixed_lead
        ),
        "qualifyLead": Entry("mutation($id: ID!) { qualifyLead(id: $id) { id } }", WRITE_REP1, lead),
        "disqualifyLead": Entry('mutation($id: ID!) { disqualifyLead(id: $id, reason: "r") { id } }', WRITE_REP1, lead),
        "convertLead": Entry("mutation($id: ID!) { convertLead(id: $id) { id } }", WRITE_REP1, lead),
        "importLeads": Entry(
            'mutation { importLeads(content: "company,contact,phone\\n矩阵导入,丙,13800138000") { imported } }', LIST
        ),
        "assignmentRules": Entry("{ assignmentRules { id } }", LIST_WITH_MARKETING),
        "scoringRules": Entry("{ scoringRules { id } }", LIST_WITH_MARKETING),
        "saveAssignmentRule": Entry(
            'mutation($m: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", '
            'sources: ["矩阵"], memberIds: [$m]}) { id } }',
            MANAGERS,
            {"m": rep1},
        ),
        "deleteAssignmentRule": Entry(
            "mutation($id: ID!) { deleteAssignmentRule(id: $id) }", MANAGERS, assignment_rule
        ),
        "addScoringRule": Entry('mutation { addScoringRule(field: "email", points: 1) { id } }', MANAGERS),
        "deleteScoringRule": Entry("mutation($id: ID!) { deleteScoringRule(id: $id) }", MANAGERS, scoring_rule),
        "pipelines": Entry("{ pipelines { id } }", LIST_WITH_MARKETING),
        "createPipeline": Entry(
            'mutation($n: String!) { createPipeline(input: {name: $n, stages: [{name: "s", probability: "10"}]}) '
            "{ id } }",
            MANAGERS,
            unique,
        ),
        "opportunities": Entry("{ opportunities { totalCount } }", LIST_WITH_MARKETING),
        "opportunity": Entry("query($id: ID!) { opportunity(id: $id) { id } }", READ_REP1_MARKETING, fixed_opportunity),
        "createOpportunity": Entry(
            'mutation($a: ID!) { createOpportunity(input: {name: "矩阵", accountId: $a}) { id } }',
            FOR_REP1_ACCOUNT,
            account,
        ),
        "updateOpportunity": Entry(
            'mutation($id: ID!) { updateOpportunity(id: $id, input: {description: "d"}) { id } }',
            WRITE_REP1,
            fixed_opportunity,
        ),
        "moveOpportunity": Entry(
            "mutation($id: ID!, $s: ID!) { moveOpportunity(id: $id, stageId: $s) { id } }",
            WRITE_REP1,
            {**fixed_opportunity, "s": stage},
        ),
        "closeOpportunity": Entry(
            'mutation($id: ID!) { closeOpportunity(id: $id, won: true, reason: "r") { id } }', WRITE_REP1, opportunity
        ),
        "reopenOpportunity": Entry("mutation($id: ID!) { reopenOpportunity(id: $id) { id } }", WRITE_REP1, closed),
        "setOpportunityLines": Entry(
            "mutation($id: ID!, $p: ID!) { setOpportunityLines(id: $id, lines: [{productId: $p}]) { id } }",
            WRITE_REP1,
            {**fixed_opportunity, "p": product},
        ),
        "products": Entry("{ products { totalCount } }", LIST),
        "product": Entry("query($id: ID!) { product(id: $id) { id } }", LIST, {"id": product}),
        "priceBooks": Entry("{ priceBooks { id } }", LIST),
        "createProduct": Entry(
            'mutation($n: String!) { createProduct(input: {code: $n, name: "n", listPrice: "1"}) { id } }',
            MANAGERS,
            unique,
        ),
        "updateProduct": Entry(
            'mutation($id: ID!) { updateProduct(id: $id, input: {stock: "5"}) { id } }', MANAGERS, {"id": product}
        ),
        "createPriceBook": Entry(
            'mutation($n: String!) { createPriceBook(input: {name: $n, region: "广东"}) { id } }', MANAGERS, unique
        ),
        "quotes": Entry("{ quotes { totalCount } }", LIST),
        "quote": Entry("query($id: ID!) { quote(id: $id) { id } }", READ_REP1, fixed_quote),
        "createQuote": Entry(
            "mutation($o: ID!, $p: ID!) { createQuote(input: {opportunityId: $o, lines: [{productId: $p}]}) { id } }",
            WRITE_REP1,
            {"o": fixed_opportunity["id"], "p": product},
        ),
        "submitQuote": Entry("mutation($id: ID!) { submitQuote(id: $id) { id } }", WRITE_REP1, await quote("draft")),
        "approveQuote": Entry("mutation($id: ID!) { approveQuote(id: $id) { id } }", MANAGERS, await quote("pending")),
        "rejectQuote": Entry(
            'mutation($id: ID!) { rejectQuote(id: $id, comment: "c") { id } }', MANAGERS, await quote("pending")
        ),
        "acceptQuote": Entry(
            "mutation($id: ID!) { acceptQuote(id: $id) { order { id } } }", WRITE_REP1, await quote("approved")
        ),
        "contracts": Entry("{ contracts { totalCount } }", LIST),
        "contract": Entry("query($id: ID!) { contract(id: $id) { id } }", READ_REP1, fixed_contract),
        "createContract": Entry(
            'mutation($a: ID!) { createContract(input: {accountId: $a, title: "t", value: "1", '
            'startDate: "2026-01-01", endDate: "2027-01-01"}) { id } }',
            FOR_REP1_ACCOUNT,
            account,
        ),
        "submitContract": Entry(
            "mutation($id: ID!) { submitContract(id: $id) { id } }", WRITE_REP1, await contract_in("draft")
        ),
        "approveContract": Entry(
            "mutation($id: ID!) { approveContract(id: $id) { id } }", MANAGERS, await contract_in("pending")
        ),
        "rejectContract": Entry(
            'mutation($id: ID!) { rejectContract(id: $id, comment: "c") { id } }',
            MANAGERS,
            await contract_in("pending"),
        ),
        "signContract": Entry(
            "mutation($id: ID!) { signContract(id: $id) { id } }", WRITE_REP1, await contract_in("approved")
        ),
        "terminateContract": Entry(
            'mutation($id: ID!) { terminateContract(id: $id, reason: "r") { id } }',
            WRITE_REP1,
            await contract_in("active"),
        ),
        "orders": Entry("{ orders { totalCount } }", expect(**SALES_TEAM, agent="ok")),
        "order": Entry("query($id: ID!) { order(id: $id) { id } }", {**READ_REP1, "agent": "ok"}, fixed_order),
        "createOrderFromContract": Entry(
            "mutation($c: ID!) { createOrderFromContract(contractId: $c) { id } }", WRITE_REP1, active_contract
        ),
        "fulfillOrder": Entry("mutation($id: ID!) { fulfillOrder(id: $id) { id } }", MANAGERS, order),
        "updateStage": Entry(
            'mutation($id: ID!) { updateStage(id: $id, input: {name: "需求确认", probability: "25"}) { id } }',
            MANAGERS,
            {"id": stage},
        ),
        "cancelOrder": Entry('mutation($id: ID!) { cancelOrder(id: $id, reason: "r") { id } }', MANAGERS, order),
        "invoices": Entry("{ invoices { totalCount } }", LIST),
        "issueInvoice": Entry(
            'mutation($o: ID!) { issueInvoice(orderId: $o, amount: "1") { id } }', MANAGERS, {"o": fixed_order["id"]}
        ),
        "recordPayment": Entry(
            'mutation($id: ID!) { recordPayment(input: {invoiceId: $id, amount: "1"}) { payment { id } } }',
            MANAGERS,
            invoice,
        ),
        "receivablesAging": Entry("{ receivablesAging { total } }", LIST),
        "targets": Entry('{ targets(period: "2026-11") { id } }', LIST),
        "setTarget": Entry(
            'mutation($u: ID!) { setTarget(period: "2026-11", metric: "won_amount", amount: "1", userId: $u) { id } }',
            MANAGERS,
            {"u": rep1},
        ),
        "forecast": Entry('{ forecast(period: "2026-Q4") { weighted } }', LIST),
        "funnel": Entry("{ funnel { total } }", LIST_WITH_MARKETING),
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
