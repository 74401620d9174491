"""Accepting a quote orders it and wins its opportunity: the caller needs the right to each, and a deal is sold once.

The same holds wherever one operation makes or changes records of another kind: a quote version is the
opportunity owner's, a contract's order its owner's.
"""

import datetime as dt

from crm_shared.testing.tokens import Persona

QUOTE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }"
ACCEPT = "mutation($id: ID!) { acceptQuote(id: $id) { order { number } } }"


def role(persona, name, permissions, **scopes):
    """A custom role of rep1's team, as an administrator may define one."""
    return Persona(name, permissions, scopes, persona["rep1"].unit_id)


async def approved_quote(gql, owner="rep1"):
    """An opportunity of `owner` and its quote, approved within the discount threshold."""
    o = await gql.opportunity(owner)
    line = {"productId": await gql.product("5000.00"), "quantity": "1"}
    quote = (await gql.ok(QUOTE, {"i": {"opportunityId": o, "lines": [line]}}, owner))["createQuote"]["id"]
    await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { status } }", {"id": quote}, owner)
    return o, quote


async def unchanged(gql, quote, o):
    """The quote still approved, the opportunity open, and no order for it."""
    read = "query($id: ID!, $o: ID!) { quote(id: $id) { status orderId } opportunity(id: $o) { status } }"
    assert await gql.ok(read, {"id": quote, "o": o}) == {
        "quote": {"status": "approved", "orderId": None},
        "opportunity": {"status": "open"},
    }
    orders = await gql.ok("query($a: ID) { orders(accountId: $a) { totalCount } }", {"a": await account_of(gql, o)})
    assert orders["orders"]["totalCount"] == 0


async def account_of(gql, o):
    return (await gql.ok("query($id: ID!) { opportunity(id: $id) { account { id } } }", {"id": o}))["opportunity"][
        "account"
    ]["id"]


async def test_accepting_a_quote_needs_the_right_to_order_it_and_to_win_its_opportunity(gql, persona):
    o, quote = await approved_quote(gql)
    quotes = ("sales:quote:read", "sales:quote:update")
    opportunities = ("sales:opportunity:read", "sales:opportunity:update")
    refused = {
        "sales:opportunity:update": role(persona, "quoter", quotes, **{"sales:quote": "all"}),
        "sales:order:create": role(
            persona, "closer", (*quotes, *opportunities), **{"sales:quote": "all", "sales:opportunity": "all"}
        ),
    }
    for permission, caller in refused.items():
        error = await gql.error(ACCEPT, {"id": quote}, caller, code="FORBIDDEN")
        assert error["extensions"]["permission"] == permission
        await unchanged(gql, quote, o)

    # every permission, but rep1's opportunity is outside the caller's own scope
    own_deals = role(
        persona,
        "desk",
        (*quotes, *opportunities, "sales:order:read", "sales:order:create"),
        **{"sales:quote": "all", "sales:order": "all", "sales:opportunity": "own"},
    )
    error = await gql.error(ACCEPT, {"id": quote}, own_deals, code="FORBIDDEN", lang="zh-CN")
    assert (error["extensions"]["permission"], error["message"]) == (
        "sales:opportunity:update",
        "您没有执行此操作的权限",
    )
    await unchanged(gql, quote, o)

    accepted = await gql.ok(ACCEPT, {"id": quote}, "rep1")
    assert accepted["acceptQuote"]["order"]["number"].startswith("SO-")
    won = await gql.ok("query($id: ID!) { opportunity(id: $id) { status } }", {"id": o}, "rep1")
    assert won["opportunity"]["status"] == "won"


async def test_a_quote_of_a_lost_opportunity_is_not_accepted(gql):
    o, quote = await approved_quote(gql)
    await gql.ok('mutation($id: ID!) { closeOpportunity(id: $id, won: false, reason: "预算取消") { id } }', {"id": o})
    error = await gql.error(ACCEPT, {"id": quote}, "rep1", code="CONFLICT")
    assert error["message"] == "The opportunity is closed; reopen it first"
    read = "query($id: ID!) { quote(id: $id) { status orderId } }"
    assert (await gql.ok(read, {"id": quote}))["quote"] == {"status": "approved", "orderId": None}


async def signed_contract(gql, clock, **fields):
    """A contract of rep1's for a year from today, approved and signed."""
    today = clock.now().date()
    contract = {
        "title": "年度合同",
        "value": "1000",
        "startDate": today.isoformat(),
        "endDate": (today + dt.timedelta(days=365)).isoformat(),
        **fields,
    }
    made = await gql.ok(
        "mutation($i: CreateContractInput!) { createContract(input: $i) { id } }", {"i": contract}, "rep1"
    )
    contract_id = made["createContract"]["id"]
    await gql.ok("mutation($id: ID!) { submitContract(id: $id) { id } }", {"id": contract_id}, "rep1")
    await gql.decided("contract", contract_id)
    await gql.ok("mutation($id: ID!) { signContract(id: $id) { id } }", {"id": contract_id}, "rep1")
    return contract_id


async def test_a_quote_is_not_accepted_while_its_opportunity_has_a_live_order(gql, clock):
    o, quote = await approved_quote(gql)
    contract_id = await signed_contract(gql, clock, accountId=await account_of(gql, o), opportunityId=o)
    ordered = await gql.ok(
        "mutation($c: ID!) { createOrderFromContract(contractId: $c) { id number } }", {"c": contract_id}, "rep1"
    )
    number = ordered["createOrderFromContract"]["number"]

    error = await gql.error(ACCEPT, {"id": quote}, "rep1", code="CONFLICT")
    assert (error["extensions"]["order"], error["message"]) == (
        number,
        f"The opportunity has a live order ({number}); it can be reopened or sold again only once that order is "
        "cancelled",
    )
    await gql.ok(
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "改按报价下单") { id } }',
        {"id": ordered["createOrderFromContract"]["id"]},
        "manager",
    )
    assert (await gql.ok(ACCEPT, {"id": quote}, "rep1"))["acceptQuote"]["order"]["number"] != number


async def test_a_quote_version_is_made_only_by_who_may_make_the_owners_quotes(gql, persona):
    o = await gql.opportunity("rep1")
    line = {"productId": await gql.product("100.00"), "quantity": "1"}
    # reads every deal, writes quotes only of their own
    reader = role(
        persona,
        "analyst",
        ("sales:opportunity:read", "sales:quote:read", "sales:quote:create"),
        **{"sales:opportunity": "all", "sales:quote": "own"},
    )
    error = await gql.error(QUOTE, {"i": {"opportunityId": o, "lines": [line]}}, reader, code="FORBIDDEN")
    assert error["extensions"]["permission"] == "sales:quote:create"
    quotes = await gql.ok("query($o: ID!) { quotes(opportunityId: $o) { totalCount } }", {"o": o})
    assert quotes["quotes"]["totalCount"] == 0


async def test_ordering_a_contract_needs_the_right_to_order_for_its_owner(gql, persona, clock):
    contract_id = await signed_contract(gql, clock, accountId=await gql.account("rep1"))
    clerk = role(
        persona,
        "clerk",
        ("sales:contract:read", "sales:order:read", "sales:order:create"),
        **{"sales:contract": "all", "sales:order": "own"},
    )
    order = "mutation($c: ID!) { createOrderFromContract(contractId: $c) { id } }"
    error = await gql.error(order, {"c": contract_id}, clerk, code="FORBIDDEN")
    assert error["extensions"]["permission"] == "sales:order:create"
    assert (await gql.ok("{ orders { totalCount } }", None, clerk))["orders"]["totalCount"] == 0
    await gql.ok(order, {"c": contract_id}, "rep1")
