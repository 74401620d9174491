"""After-sales records: the installed base from sales' `order.fulfilled` read from the topic, each product's
service history, and routing by product."""

import datetime as dt
import uuid
from decimal import Decimal

from crm_contracts.sales import ORDER_TOPIC, DeliveredLine, OrderFulfilled, OrderStatus
from crm_shared.testing import ensure_service_topics
from crm_shared.testing.events import consumed, put_on_topic
from support.installed.service import handlers

PRINTER, SCANNER = uuid.uuid4(), uuid.uuid4()
BASE = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) { ... on Account {
  installedBase { orderNumber productId productCode name quantity deliveredOn warrantyUntil inWarranty
    serviceHistory { id } } } } }"""


def fulfilled(account, number="SO0001", day=dt.date(2026, 1, 31)):
    return OrderFulfilled(
        id=uuid.uuid4(),
        number=number,
        account_id=uuid.UUID(account),
        opportunity_id=None,
        quote_id=None,
        contract_id=None,
        status=OrderStatus.FULFILLED,
        currency="CNY",
        total=Decimal("30000.00"),
        owner_id=uuid.uuid4(),
        delivered_on=day,
        lines=[
            DeliveredLine(product_id=PRINTER, product_code="P-100", name="激光打印机", quantity=Decimal(2)),
            DeliveredLine(product_id=SCANNER, product_code="S-200", name="扫描仪", quantity=Decimal(1)),
            DeliveredLine(product_id=None, product_code=None, name="安装服务", quantity=Decimal(1)),
        ],
    )


async def base(gql, account, as_="agent1"):
    return (await gql.ok(BASE, {"id": account}, as_))["_entities"][0]["installedBase"]


async def test_a_fulfilled_order_read_from_the_topic_becomes_the_accounts_installed_base(
    app, gql, clock, platform_settings
):
    await ensure_service_topics(platform_settings, [ORDER_TOPIC])
    clock.set(dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC))
    account = await gql.account("rep1")
    envelope = fulfilled(account).envelope("/crm/sales")
    await put_on_topic(platform_settings.kafka_bootstrap_servers, ORDER_TOPIC, [envelope, envelope])  # at least once

    async def listed():
        return found if len(found := await base(gql, account)) == 3 else None

    found = await consumed(app.state.consumer, listed)
    assert found == [
        {
            "orderNumber": "SO0001",
            "productId": str(PRINTER),
            "productCode": "P-100",
            "name": "激光打印机",
            "quantity": "2.0000",
            "deliveredOn": "2026-01-31",
            "warrantyUntil": "2027-01-31",
            "inWarranty": True,
            "serviceHistory": [],
        },
        {
            "orderNumber": "SO0001",
            "productId": str(SCANNER),
            "productCode": "S-200",
            "name": "扫描仪",
            "quantity": "1.0000",
            "deliveredOn": "2026-01-31",
            "warrantyUntil": "2027-01-31",
            "inWarranty": True,
            "serviceHistory": [],
        },
        {
            "orderNumber": "SO0001",
            "productId": None,
            "productCode": None,
            "name": "安装服务",
            "quantity": "1.0000",
            "deliveredOn": "2026-01-31",
            "warrantyUntil": "2027-01-31",
            "inWarranty": True,
            "serviceHistory": [],
        },
    ]
    assert await base(gql, account, "rep1") != []  # the account's owner sees it
    assert await base(gql, account, "rep2") == []  # a colleague does not


async def test_tickets_about_a_product_make_its_service_history_and_route_by_it(app, gql, persona):
    account = await gql.account("rep1")
    other = await gql.account("rep1")
    async with app.state.db.unit_of_work() as uow:  # as the consumer applies it (read from the topic above)
        await handlers(12).routes[ORDER_TOPIC]["order.fulfilled"](uow, fulfilled(account).envelope("/crm/sales"))
    printers = await gql.team("agent2", name="打印机组")
    general = await gql.team("agent1", name="综合组")
    rule = "mutation($i: RoutingRuleInput!) { saveRoutingRule(input: $i) { products } }"
    made = await gql.ok(rule, {"i": {"name": "打印机", "teamId": printers, "products": [str(PRINTER)], "rank": 1}})
    assert made["saveRoutingRule"]["products"] == [str(PRINTER)]
    await gql.ok(rule, {"i": {"name": "其他", "teamId": general, "rank": 2}})

    about = await gql.ticket(account=account, productId=str(PRINTER))
    installed = await gql.ticket(account=account)  # no product named: the account has a printer installed
    elsewhere = await gql.ticket(account=other)
    teams = "query($id: ID!) { ticket(id: $id) { teamId productId assignee { id } } }"
    assert (await gql.ok(teams, {"id": about}))["ticket"] == {
        "teamId": printers,
        "productId": str(PRINTER),
        "assignee": {"id": str(persona["agent2"].user_id)},
    }
    assert (await gql.ok(teams, {"id": installed}))["ticket"]["teamId"] == printers
    assert (await gql.ok(teams, {"id": elsewhere}))["ticket"]["teamId"] == general

    wrong = await gql.error(
        'mutation($a: ID!, $p: ID!) { createTicket(input: {subject: "错", accountId: $a, productId: $p}) { id } }',
        {"a": other, "p": str(PRINTER)},
        code="BAD_USER_INPUT",
    )
    assert wrong["extensions"]["field"] == "productId"
    history = {b["productId"]: [t["id"] for t in b["serviceHistory"]] for b in await base(gql, account, "agent2")}
    assert history == {str(PRINTER): [about], str(SCANNER): [], None: []}
