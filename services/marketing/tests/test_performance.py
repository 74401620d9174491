"""Campaign performance and attribution on the real database: counters moved by marketing's mail events and
sales' lead and opportunity events (applied by the consumer's handlers), revenue shared by each model."""

import datetime as dt
import uuid
from decimal import Decimal

from crm_contracts.sales import LEAD_TOPIC, LeadStatus
from crm_shared.testing import ensure_service_topics
from crm_shared.testing.events import consumed, put_on_topic
from marketing import events
from marketing.audience import CONTACTS, LeadSeen
from marketing.performance.handlers import PERFORMANCE, LeadConvertedSeen
from marketing.sales_events import (
    OPPORTUNITY_TOPIC,
    OpportunityCreatedSeen,
    OpportunityReopenedSeen,
    OpportunityWonSeen,
)

PERFORMANCE_QUERY = """query($id: ID!, $m: AttributionModel) { campaignPerformance(id: $id, model: $m) {
    sent delivered opened clicked unsubscribed bounced responses leads opportunities wonOpportunities
    wonRevenue cost costPerLead roi } }"""
COST = """mutation($id: ID!, $a: String!) {
    recordCampaignCost(id: $id, input: {category: "场地", amount: $a, incurredOn: "2027-01-01"}) { id } }"""
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


async def apply(app, event):
    """As the consumer applies an event it read: through marketing's handlers (the inbox aside)."""
    envelope = event.envelope("/crm/test")
    async with app.state.db.unit_of_work() as uow:
        await (PERFORMANCE + CONTACTS).routes[event.topic][event.type](uow, envelope)


def message(kind, campaign, contact, at=T0, **extra):
    return kind(
        id=uuid.uuid4(), campaign_id=uuid.UUID(campaign), contact_id=uuid.UUID(contact), channel="email", at=at, **extra
    )


def lead(campaign, created_at):
    return LeadSeen(
        id=uuid.uuid4(),
        company="展会线索公司",
        contact_name="孙女士",
        title=None,
        industry=None,
        province=None,
        city=None,
        source="展会",
        campaign_id=uuid.UUID(campaign) if campaign else None,
        status=LeadStatus.NEW,
        score=0,
        owner_id=None,
        has_phone=False,
        has_email=False,
        created_at=created_at,
    )


def opportunity(kind, opportunity_id, account, campaign, amount="300000.00", **extra):
    return kind(
        id=opportunity_id,
        account_id=uuid.UUID(account),
        status={"opportunity.won": "won", "opportunity.lost": "lost"}.get(kind.type, "open"),
        amount_base=Decimal(amount),
        campaign_id=uuid.UUID(campaign) if campaign else None,
        **extra,
    )


async def performance(gql, campaign, model="LINEAR", as_="marketer1"):
    return (await gql.ok(PERFORMANCE_QUERY, {"id": campaign, "m": model}, as_))["campaignPerformance"]


async def test_mail_events_move_the_campaigns_counters(gql, app):
    campaign = await gql.approved(type="EMAIL")
    contacts = [await gql.contact(email=f"p{i}@example.cn") for i in range(3)]
    for contact in contacts:
        await apply(app, message(events.MessageSent, campaign, contact, message_id=f"{uuid.uuid4().hex}@x"))
    await apply(app, message(events.MessageOpened, campaign, contacts[0]))
    await apply(app, message(events.MessageClicked, campaign, contacts[0], url="https://example.com/offer"))
    await apply(app, message(events.MessageUnsubscribed, campaign, contacts[1]))
    await apply(app, message(events.MessageBounced, campaign, str(uuid.uuid4()), smtp_code=550))
    await gql.ok(COST, {"id": campaign, "a": "1500"})
    assert await performance(gql, campaign) == {
        "sent": 3,
        "delivered": 3,
        "opened": 1,
        "clicked": 1,
        "unsubscribed": 1,
        "bounced": 1,
        "responses": 1,
        "leads": 0,
        "opportunities": 0,
        "wonOpportunities": 0,
        "wonRevenue": "0.00",
        "cost": "1500.00",
        "costPerLead": None,
        "roi": "-1.0000",
    }


async def test_a_won_deal_is_shared_among_the_campaigns_that_touched_its_account_by_each_model(gql, app):
    mailing, fair = await gql.approved(type="EMAIL"), await gql.approved()
    account = await gql.account()
    contact = await gql.contact(account, "buyer@example.cn")
    # the buyer clicks the mailing, then leaves a lead at the fair that becomes the account's deal
    await apply(app, message(events.MessageClicked, mailing, contact, T0, url="https://example.com/offer"))
    seen = lead(fair, T0 + dt.timedelta(days=3))
    await apply(app, seen)
    await apply(app, lead(fair, T0 + dt.timedelta(days=4)))  # another lead of the fair, never converted
    await apply(app, LeadConvertedSeen(id=seen.id, account_id=uuid.UUID(account), contact_id=uuid.UUID(contact)))
    deal = uuid.uuid4()
    await apply(app, opportunity(OpportunityCreatedSeen, deal, account, fair))
    won = opportunity(
        OpportunityWonSeen, deal, account, fair, competitor="Salesforce", closed_at=dt.datetime.now(dt.UTC)
    )
    await apply(app, won)
    await apply(app, won)  # delivered twice: counted once
    await gql.ok(COST, {"id": mailing, "a": "10000"})
    await gql.ok(COST, {"id": fair, "a": "50000"})

    shares = {
        model: [(await performance(gql, c, model))["wonRevenue"] for c in (mailing, fair)]
        for model in ("FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "U_SHAPED")
    }
    assert shares == {
        "FIRST_TOUCH": ["300000.00", "0.00"],
        "LAST_TOUCH": ["0.00", "300000.00"],
        "LINEAR": ["100000.00", "200000.00"],
        "U_SHAPED": ["120000.00", "180000.00"],
    }
    assert await performance(gql, fair, "U_SHAPED") == {
        "sent": 0,
        "delivered": 0,
        "opened": 0,
        "clicked": 0,
        "unsubscribed": 0,
        "bounced": 0,
        "responses": 0,
        "leads": 2,
        "opportunities": 1,
        "wonOpportunities": 1,
        "wonRevenue": "180000.00",
        "cost": "50000.00",
        "costPerLead": "25000.00",
        "roi": "2.6000",
    }
    assert (await performance(gql, mailing, "FIRST_TOUCH"))["roi"] == "29.0000"

    # reopened, the deal's revenue is taken back from every campaign
    await apply(app, opportunity(OpportunityReopenedSeen, deal, account, fair))
    assert (await performance(gql, fair, "U_SHAPED"))["wonRevenue"] == "0.00"
    assert (await performance(gql, mailing, "FIRST_TOUCH"))["wonRevenue"] == "0.00"
    assert (await performance(gql, fair))["wonOpportunities"] == 0


async def test_a_campaigns_won_revenue_adds_up_deals_past_the_largest_single_amount(gql, app):
    fair = await gql.approved()
    account = await gql.account()
    closed = dt.datetime.now(dt.UTC)
    for _ in range(2):
        deal = opportunity(OpportunityWonSeen, uuid.uuid4(), account, fair, "9999999999999999.99", closed_at=closed)
        await apply(app, deal)
    assert (await performance(gql, fair, "FIRST_TOUCH"))["wonRevenue"] == "19999999999999999.98"


async def test_a_touch_that_arrives_after_the_win_it_preceded_is_attributed(gql, app):
    mailing, fair = await gql.approved(type="EMAIL"), await gql.approved()
    account = await gql.account()
    contact = await gql.contact(account, "late@example.cn")
    deal = uuid.uuid4()
    closed = dt.datetime.now(dt.UTC)
    await apply(app, opportunity(OpportunityWonSeen, deal, account, fair, "1000.00", closed_at=closed))
    assert (await performance(gql, fair))["wonRevenue"] == "1000.00"
    # the mail's click, made before the win, is read after it: the win is shared again
    await apply(app, message(events.MessageClicked, mailing, contact, T0, url="https://example.com/offer"))
    assert [(await performance(gql, c))["wonRevenue"] for c in (mailing, fair)] == ["500.00", "500.00"]
    # a click after the win touches nothing it won
    later = closed + dt.timedelta(days=1)
    await apply(app, message(events.MessageClicked, mailing, contact, later, url="https://example.com/offer"))
    assert [(await performance(gql, c))["wonRevenue"] for c in (mailing, fair)] == ["500.00", "500.00"]


async def test_performance_follows_the_campaigns_data_scope(gql):
    campaign = await gql.approved("lead")
    await gql.error(PERFORMANCE_QUERY, {"id": campaign}, "marketer1", code="NOT_FOUND")
    await gql.error(PERFORMANCE_QUERY, {"id": campaign}, "rep1", code="FORBIDDEN")
    assert (await performance(gql, campaign, as_="lead"))["roi"] is None  # nothing spent yet


async def test_sales_events_read_from_their_topics_reach_the_campaigns_figures(gql, app, platform_settings):
    await ensure_service_topics(platform_settings, [OPPORTUNITY_TOPIC, LEAD_TOPIC])
    campaign = await gql.approved()
    account = await gql.account()
    deal = uuid.uuid4()
    sent = [
        lead(campaign, dt.datetime.now(dt.UTC)),
        opportunity(OpportunityCreatedSeen, deal, account, campaign, "88000.00"),
        opportunity(OpportunityWonSeen, deal, account, campaign, "88000.00", closed_at=dt.datetime.now(dt.UTC)),
    ]
    for event in sent:
        await put_on_topic(platform_settings.kafka_bootstrap_servers, event.topic, [event.envelope("/crm/sales")])

    async def counted():
        found = await performance(gql, campaign)
        return found if (found["leads"], found["wonOpportunities"]) == (1, 1) else None  # either topic may come first

    found = await consumed(app.state.consumer, counted)
    assert (found["leads"], found["opportunities"], found["wonRevenue"]) == (1, 1, "88000.00")


async def test_a_campaign_named_by_an_opportunity_resolves_for_those_who_read_opportunities(gql, app):
    named, other = await gql.approved(), await gql.approved()
    await apply(app, opportunity(OpportunityCreatedSeen, uuid.uuid4(), await gql.account(), named))
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { id name status } } }"""

    def entity(campaign):
        return {"r": [{"__typename": "Campaign", "id": campaign}]}

    found = await gql.ok(query, entity(named), "rep1")
    assert found["_entities"][0]["id"] == named and found["_entities"][0]["status"] == "APPROVED"
    await gql.error(query, entity(other), "rep1", code="NOT_FOUND")  # no opportunity names it
    budget = await gql.error(
        """query($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { budgetTotal } } }""",
        entity(named),
        "rep1",
    )
    assert budget["extensions"]["code"] == "FORBIDDEN"
    members = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { members { totalCount } } } }"
    await gql.error(members, entity(named), "rep1")
    assert (await gql.ok(query, entity(other), "marketer1"))["_entities"][0]["id"] == other
