"""Who may call which sales operation, on records owned by rep1: every operation, every persona.

Company-wide objects (list prices, price books, scoring rules, rules without a unit, the default
pipeline) are administrators'; a manager shapes those of his own unit; whoever is made an owner or a
member must be an active user within the caller's scope. Quotes and contracts are decided by automation's approvals.
"""

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
ADMINS = expect(admin="ok")
OWNER_OUT_OF_SCOPE = expect(admin="ok", manager="BAD_USER_INPUT")
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
    team, other_team = persona["manager"].unit_id, persona["rep3"].unit_id

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

    async def spam(caller=None):
        """A quarantined web-form submission, made only for the callers expected to recover it."""
        if caller not in ("admin", "manager"):
            return {"id": str(uuid.uuid4())}
        name = f"矩阵垃圾{uuid.uuid4().hex[:6]}"
        sent = await gql.rest(
            "POST",
            "/api/v1/public/web-form",
            None,
            json={"company": name, "contact_name": "甲", "phone": "13800138000", "website": "x"},
        )
        assert sent.status_code == 202
        found = await gql.ok("{ quarantinedSubmissions(first: 200) { edges { node { id company } } } }")
        return {
            "id": next(
                e["node"]["id"] for e in found["quarantinedSubmissions"]["edges"] if e["node"]["company"] == name
            )
        }

    async def quote(status, author="rep1"):
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
                author,
            )
            quote_id = made["createQuote"]["id"]
            if status != "draft":
                await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { id } }", {"id": quote_id}, author)
            if status == "approved":
                await gql.decided("quote", quote_id)
            return {"id": quote_id}

        return make

    async def contract_in(status, submitter="rep1"):
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
                "approved": ["submitContract", "approval"],
                "active": ["submitContract", "approval", "signContract"],
            }[status]
            for step in steps:
                if step == "approval":
                    await gql.decided("contract", contract)
                    continue
                who = submitter if step == "submitContract" else "rep1"
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

    async def number_of(kind, row):
        return (await gql.ok(f"query($id: ID!) {{ {kind}(id: $id) {{ number }} }}", row))[kind]["number"]

    # one invoice, order and product for every caller's ERP documents: each caller sends its own number
    erp_order = await order()
    erp_invoice = await number_of("invoice", await invoice())
    erp_order_number = await number_of("order", erp_order)
    erp_product = f"P-{uuid.uuid4().hex[:8]}"
    await gql.ok(
        "mutation($i: ProductInputFields!) { createProduct(input: $i) { id } }",
        {"i": {"code": erp_product, "name": "矩阵产品", "listPrice": "1", "unit": "套"}},
    )

    async def erp_payment(caller=None):
        number = f"SK-{uuid.uuid4().hex[:8]}"
        return {"i": {"documentNumber": number, "invoiceNumber": erp_invoice, "amount": "1"}}

    async def erp_delivery(caller=None):
        number = f"FH-{uuid.uuid4().hex[:8]}"
        return {"i": {"documentNumber": number, "orderNumber": erp_order_number, "status": "shipped"}}

    async def erp_stock(caller=None):
        levels = [{"productCode": erp_product, "quantity": "3"}]
        return {"i": {"documentNumber": f"KC-{uuid.uuid4().hex[:8]}", "levels": levels}}

    async def unique(caller=None):
        return {"n": f"矩阵{uuid.uuid4().hex[:8]}"}

    fixed_lead = await lead()

    async def lead_for_rep3(caller=None):
        return {**await lead(), "o": str(persona["rep3"].user_id)}

    fixed_opportunity = await opportunity()
    fixed_opportunity_account = await gql.account("rep1")
    fixed_quote = await (await quote("draft"))()
    fixed_contract = await (await contract_in("draft"))()
    fixed_order = await order()
    rule = await gql.ok('mutation { addScoringRule(field: "source", value: "矩阵", points: 1) { id } }', None)
    stage = (await gql.stages())[1]["id"]

    async def assignment_rule(caller=None, unit=None):
        made = await gql.ok(
            'mutation($m: ID!, $u: ID) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", sources: ["矩阵"], '
            "memberIds: [$m], unitId: $u}) { id } }",
            {"m": rep1, "u": unit},
        )
        return {"id": made["saveAssignmentRule"]["id"], "m": rep1}

    async def team_rule(caller=None):
        return await assignment_rule(caller, str(team))

    async def scoring_rule(caller=None):
        made = await gql.ok('mutation { addScoringRule(field: "source", value: "矩阵", points: 1) { id } }', None)
        return {"id": made["addScoringRule"]["id"]}

    async def team_stage(caller=None):
        made = await gql.ok(
            'mutation($n: String!, $u: ID) { createPipeline(input: {name: $n, unitId: $u, stages: [{name: "s", '
            'probability: "10"}]}) { stages { id } } }',
            {"n": f"矩阵{uuid.uuid4().hex[:8]}", "u": str(team)},
        )
        return {"id": made["createPipeline"]["stages"][0]["id"]}

    def in_unit(unit):
        async def make(caller=None):
            return {"n": f"矩阵{uuid.uuid4().hex[:8]}", "u": str(unit), "m": rep1}

        return make

    async def closed(caller=None):
        """Lost, to be reopened into a stage that requires nothing."""
        made = await opportunity()
        await gql.ok('mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "r") { id } }', made, "rep1")
        return {**made, "s": stage}

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
        "assignLead to a user outside the caller's scope": Entry(
            "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id } }",
            {**WRITE_REP1, "manager": "BAD_USER_INPUT", "rep1": "BAD_USER_INPUT"},
            lead_for_rep3,
        ),
        "createLead for an unknown owner": Entry(
            'mutation($o: ID!) { createLead(input: {company: "矩阵", contactName: "乙", email: "u@example.cn", '
            "ownerId: $o}, allowDuplicate: true) { id } }",
            expect(**dict.fromkeys(SALES_TEAM, "BAD_USER_INPUT")),
            {"o": str(uuid.uuid4())},
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
        "quarantinedSubmissions": Entry("{ quarantinedSubmissions { totalCount } }", MANAGERS),
        "recoverSubmission": Entry("mutation($id: ID!) { recoverSubmission(id: $id) { id } }", MANAGERS, spam),
        "discardSubmissions": Entry(
            "mutation($id: ID!) { discardSubmissions(ids: [$id]) }", MANAGERS, {"id": str(uuid.uuid4())}
        ),
        "assignmentRules": Entry("{ assignmentRules { id } }", LIST_WITH_MARKETING),
        "scoringRules": Entry("{ scoringRules { id } }", LIST_WITH_MARKETING),
        "saveAssignmentRule": Entry(
            'mutation($m: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", '
            'sources: ["矩阵"], memberIds: [$m]}) { id } }',
            ADMINS,  # no unit: company-wide, web-form leads included
            {"m": rep1},
        ),
        "saveAssignmentRule for the manager's unit": Entry(
            'mutation($m: ID!, $u: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", '
            "memberIds: [$m], unitId: $u}) { id } }",
            MANAGERS,
            in_unit(team),
        ),
        "saveAssignmentRule for another unit": Entry(
            'mutation($m: ID!, $u: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", '
            "memberIds: [$m], unitId: $u}) { id } }",
            ADMINS,
            in_unit(other_team),
        ),
        "saveAssignmentRule with a member outside the caller's scope": Entry(
            'mutation($m: ID!, $u: ID!) { saveAssignmentRule(input: {name: "矩阵", method: "fixed", '
            "memberIds: [$m], unitId: $u}) { id } }",
            OWNER_OUT_OF_SCOPE,
            {"m": str(persona["rep3"].user_id), "u": str(team)},
        ),
        "saveAssignmentRule rewriting a company-wide rule": Entry(
            'mutation($id: ID!, $m: ID!) { saveAssignmentRule(id: $id, input: {name: "矩阵", method: "fixed", '
            f'memberIds: [$m], unitId: "{team}"}}) {{ id }} }}',
            ADMINS,
            assignment_rule,
        ),
        "deleteAssignmentRule": Entry("mutation($id: ID!) { deleteAssignmentRule(id: $id) }", ADMINS, assignment_rule),
        "deleteAssignmentRule of the manager's unit": Entry(
            "mutation($id: ID!) { deleteAssignmentRule(id: $id) }", MANAGERS, team_rule
        ),
        "addScoringRule": Entry('mutation { addScoringRule(field: "email", points: 1) { id } }', ADMINS),
        "deleteScoringRule": Entry("mutation($id: ID!) { deleteScoringRule(id: $id) }", ADMINS, scoring_rule),
        "pipelines": Entry("{ pipelines { id } }", LIST_WITH_MARKETING),
        "createPipeline": Entry(
            'mutation($n: String!) { createPipeline(input: {name: $n, stages: [{name: "s", probability: "10"}]}) '
            "{ id } }",
            ADMINS,  # no unit: company-wide
            unique,
        ),
        "createPipeline for the manager's unit": Entry(
            "mutation($n: String!, $u: ID!) { createPipeline(input: {name: $n, unitId: $u, "
            'stages: [{name: "s", probability: "10"}]}) { id } }',
            MANAGERS,
            in_unit(team),
        ),
        "createPipeline for another unit": Entry(
            "mutation($n: String!, $u: ID!) { createPipeline(input: {name: $n, unitId: $u, "
            'stages: [{name: "s", probability: "10"}]}) { id } }',
            ADMINS,
            in_unit(other_team),
        ),
        "opportunities": Entry("{ opportunities { totalCount } }", LIST_WITH_MARKETING),
        "openPipeline": Entry("{ openPipeline { count } }", LIST_WITH_MARKETING),
        "opportunity": Entry("query($id: ID!) { opportunity(id: $id) { id } }", READ_REP1_MARKETING, fixed_opportunity),
        "createOpportunity": Entry(
            'mutation($a: ID!) { createOpportunity(input: {name: "矩阵", accountId: $a}) { id } }',
            FOR_REP1_ACCOUNT,
            account,
        ),
        "createOpportunity for an owner outside the caller's scope": Entry(
            'mutation($a: ID!, $o: ID!) { createOpportunity(input: {name: "矩阵", accountId: $a, ownerId: $o}) '
            "{ id } }",
            {**FOR_REP1_ACCOUNT, "manager": "BAD_USER_INPUT", "rep1": "BAD_USER_INPUT"},
            {"a": fixed_opportunity_account, "o": str(persona["rep3"].user_id)},
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
        "reopenOpportunity": Entry(
            "mutation($id: ID!, $s: ID) { reopenOpportunity(id: $id, stageId: $s) { id } }", WRITE_REP1, closed
        ),
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
            ADMINS,  # list prices hold company-wide
            unique,
        ),
        "updateProduct": Entry(
            'mutation($id: ID!) { updateProduct(id: $id, input: {stock: "5"}) { id } }', ADMINS, {"id": product}
        ),
        "createPriceBook": Entry(
            'mutation($n: String!) { createPriceBook(input: {name: $n, region: "广东"}) { id } }', ADMINS, unique
        ),
        "quotes": Entry("{ quotes { totalCount } }", LIST),
        "quote": Entry("query($id: ID!) { quote(id: $id) { id } }", READ_REP1, fixed_quote),
        "createQuote": Entry(
            "mutation($o: ID!, $p: ID!) { createQuote(input: {opportunityId: $o, lines: [{productId: $p}]}) { id } }",
            WRITE_REP1,
            {"o": fixed_opportunity["id"], "p": product},
        ),
        "submitQuote": Entry("mutation($id: ID!) { submitQuote(id: $id) { id } }", WRITE_REP1, await quote("draft")),
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
            ADMINS,  # a stage of the default pipeline
            {"id": stage},
        ),
        "updateStage of the manager's unit pipeline": Entry(
            'mutation($id: ID!) { updateStage(id: $id, input: {name: "需求确认", probability: "25"}) { id } }',
            MANAGERS,
            team_stage,
        ),
        "cancelOrder": Entry('mutation($id: ID!) { cancelOrder(id: $id, reason: "r") { id } }', MANAGERS, order),
        "invoices": Entry("{ invoices { totalCount } }", LIST),
        "payments": Entry("{ payments { totalCount } }", LIST),
        "invoice": Entry("query($id: ID!) { invoice(id: $id) { id } }", READ_REP1, invoice),
        "issueInvoice": Entry(
            'mutation($o: ID!) { issueInvoice(orderId: $o, amount: "1") { id } }', MANAGERS, {"o": fixed_order["id"]}
        ),
        "recordPayment": Entry(
            'mutation($id: ID!) { recordPayment(input: {invoiceId: $id, amount: "1"}) { payment { id } } }',
            MANAGERS,
            invoice,
        ),
        "recordErpPayment": Entry(
            "mutation($i: ErpPaymentInput!) { recordErpPayment(input: $i) { duplicate } }", MANAGERS, erp_payment
        ),
        "recordErpDelivery": Entry(
            "mutation($i: ErpDeliveryInput!) { recordErpDelivery(input: $i) { duplicate } }", MANAGERS, erp_delivery
        ),
        "recordErpStock": Entry(
            "mutation($i: ErpStockInput!) { recordErpStock(input: $i) { duplicate } }", ADMINS, erp_stock
        ),
        "receivablesAging": Entry("{ receivablesAging { total } }", LIST),
        "targets": Entry('{ targets(period: "2026-11") { id } }', LIST),
        "setTarget": Entry(
            'mutation($u: ID!) { setTarget(period: "2026-11", metric: "won_amount", amount: "1", userId: $u) { id } }',
            MANAGERS,
            {"u": rep1},
        ),
        "setTarget for a user outside the caller's scope": Entry(
            'mutation($u: ID!) { setTarget(period: "2026-11", metric: "won_amount", amount: "1", userId: $u) { id } }',
            OWNER_OUT_OF_SCOPE,
            {"u": str(persona["rep3"].user_id)},
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
