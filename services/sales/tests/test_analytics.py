"""Forecast, funnel and targets: figures computed from real opportunities, within the caller's data scope."""

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select, update

from sales.opportunities.models import Opportunity
from sales.performance.models import ForecastSnapshot
from sales.periods import current

CLOSE = 'mutation($id: ID!, $won: Boolean!) { closeOpportunity(id: $id, won: $won, reason: "r") { status } }'
MOVE = "mutation($id: ID!, $s: ID!) { moveOpportunity(id: $id, stageId: $s) { id } }"


async def rep3_opportunity(gql, amount, **fields):
    return await gql.opportunity("rep3", amount, accountId=await gql.account("rep3"), **fields)


async def test_forecast_weighs_the_pipeline_by_stage_and_category(gql, app, persona):
    stages = await gql.stages()
    close = "2031-05-10"
    await rep3_opportunity(gql, "100000", expectedCloseDate=close, forecastCategory="commit")
    second = await rep3_opportunity(gql, "200000", expectedCloseDate=close, forecastCategory="best_case")
    await gql.ok(MOVE, {"id": second, "s": stages[1]["id"]}, "rep3")
    await rep3_opportunity(gql, "50000", expectedCloseDate=close)
    query = """query($p: String!, $o: ID) { forecast(period: $p, ownerId: $o) { period weighted commit bestCase pipeline
        closedWon openCount history { period amount } accuracy { period forecast actual accuracy } trend } }"""
    rep3 = str(persona["rep3"].user_id)
    f = (await gql.ok(query, {"p": "2031-Q2", "o": rep3}, "admin"))["forecast"]
    assert (f["weighted"], f["commit"], f["bestCase"], f["pipeline"], f["openCount"]) == (
        "65000.00",
        "100000.00",
        "300000.00",
        "350000.00",
        3,
    )
    assert (await gql.ok(query, {"p": "2031-Q2", "o": None}, "rep3"))["forecast"]["pipeline"] == "350000.00"
    assert (await gql.ok(query, {"p": "2031-Q2", "o": None}, "rep1"))["forecast"]["pipeline"] == "0.00"  # not theirs

    quarter = current("quarter")
    won = await rep3_opportunity(gql, "80000")
    await gql.ok(CLOSE, {"id": won, "won": True}, "rep3")
    previous = quarter.shift(-1)
    async with app.state.db.unit_of_work() as uow:  # as if it had been won last quarter, against a forecast of 100000
        await uow.session.execute(
            update(Opportunity)
            .where(Opportunity.id == uuid.UUID(won))
            .values(closed_at=previous.start_time() + dt.timedelta(days=3))
        )
        uow.session.add(
            ForecastSnapshot(
                period=previous.key,
                owner_id=persona["rep3"].user_id,
                taken_on=previous.start - dt.timedelta(days=1),
                weighted=Decimal(100000),
            )
        )
    f = (await gql.ok(query, {"p": quarter.key, "o": rep3}, "admin"))["forecast"]
    assert len(f["history"]) == 6 and f["history"][-1] == {"period": previous.key, "amount": "80000.00"}
    assert f["accuracy"] == [{"period": previous.key, "forecast": "100000.00", "actual": "80000.00", "accuracy": 0.8}]
    assert Decimal(f["trend"]) > 0
    bad = await gql.error('{ forecast(period: "2026-Q5") { weighted } }', None, "admin", code="BAD_USER_INPUT")
    assert (bad["extensions"]["code"], bad["extensions"]["field"]) == ("BAD_USER_INPUT", "period")
    said = [
        (await gql.error(f'{{ forecast(period: "{p}") {{ weighted }} }}', None, "admin", "BAD_USER_INPUT", lang))[
            "message"
        ]
        for p, lang in (("2026-Q5", "zh-CN"), ("2026-13", "zh-CN"), ("2026-13", "en"))
    ]
    assert said == [
        "字段“period”须为年份（如 2026）、季度（如 2026-Q4）或月份（如 2026-11）",
        "字段“period”的月份不存在：月份须在 01 到 12 之间",
        "Field 'period' names a month that does not exist: months run from 01 to 12",
    ]


async def test_funnel_counts_conversion_time_in_stage_and_win_rate(gql):
    stages = await gql.stages()
    source = f"funnel-{uuid.uuid4().hex[:6]}"
    _, b, c, d = [
        await rep3_opportunity(gql, amount, source=source, expectedCloseDate="2030-01-01")
        for amount in ("10000", "20000", "30000", "40000")
    ]
    await gql.ok(MOVE, {"id": b, "s": stages[1]["id"]}, "rep3")
    await gql.ok(MOVE, {"id": c, "s": stages[2]["id"]}, "rep3")
    await gql.ok(CLOSE, {"id": c, "won": False}, "rep3")
    await gql.ok(CLOSE, {"id": d, "won": True}, "rep3")
    funnel = (
        await gql.ok(
            """query($s: String!) { funnel(filter: {source: $s}) { total open won lost winRate averageDealSize
        salesVelocity stages { name count conversionRate averageDaysInStage } } }""",
            {"s": source},
            "rep3",
        )
    )["funnel"]
    assert (funnel["total"], funnel["open"], funnel["won"], funnel["lost"], funnel["winRate"]) == (
        4,
        2,
        1,
        1,
        0.5,
    )
    assert funnel["averageDealSize"] == "40000.00"
    counts = [(s["count"], s["conversionRate"]) for s in funnel["stages"]]
    assert counts == [(4, 0.75), (3, 0.6667), (2, 0.5), (1, 1.0), (1, 1.0), (1, None)]
    assert funnel["stages"][0]["averageDaysInStage"] is not None and funnel["stages"][-1]["name"].endswith("Won")
    hidden = (await gql.ok("query($s: String!) { funnel(filter: {source: $s}) { total } }", {"s": source}, "rep1"))[
        "funnel"
    ]
    assert hidden["total"] == 0


async def test_targets_attainment_and_ranking_within_the_team(gql, app, persona):
    when = dt.datetime(2024, 3, 15, tzinfo=dt.UTC)
    rep1, rep2 = str(persona["rep1"].user_id), str(persona["rep2"].user_id)
    set_target = """mutation($u: ID, $unit: ID, $a: String!) {
      setTarget(period: "2024-03", metric: "won_amount", amount: $a,
        userId: $u, unitId: $unit) { amount } }"""
    for user, amount in ((rep1, "100000"), (rep2, "50000")):
        await gql.ok(set_target, {"u": user, "unit": None, "a": amount}, "manager")
    await gql.ok(set_target, {"u": None, "unit": str(persona["rep1"].unit_id), "a": "400000"}, "manager")
    await gql.error(set_target, {"u": rep2, "unit": None, "a": "1"}, "rep1", code="FORBIDDEN")
    for owner in ("rep1", "rep2"):
        o = await gql.opportunity(owner, "50000")
        await gql.ok(CLOSE, {"id": o, "won": True}, owner)
        async with app.state.db.unit_of_work() as uow:
            await uow.session.execute(update(Opportunity).where(Opportunity.id == uuid.UUID(o)).values(closed_at=when))
    query = '{ targets(period: "2024-03") { user { id } unitId amount actual attainment rank } }'
    rows = (await gql.ok(query, None, "manager"))["targets"]
    by_user = {(r["user"] or {}).get("id") or r["unitId"]: r for r in rows}
    assert (by_user[rep1]["actual"], by_user[rep1]["attainment"], by_user[rep1]["rank"]) == (
        "50000.00",
        0.5,
        2,
    )
    assert (by_user[rep2]["attainment"], by_user[rep2]["rank"]) == (1.0, 1)
    assert by_user[str(persona["rep1"].unit_id)]["actual"] == "100000.00"
    mine = (await gql.ok(query, None, "rep1"))["targets"]
    assert {(r["user"] or {}).get("id") or r["unitId"] for r in mine} == {rep1, str(persona["rep1"].unit_id)}


async def test_running_totals_match_a_rebuild_from_the_raw_rows(gql, app):
    """Every change shifted the funnel's totals exactly as recounting the opportunities would."""
    import pytest
    from sqlalchemy import text

    from sales.performance.rollup import rebuild

    made = await gql.ok(
        """mutation($n: String!) { createPipeline(input: {name: $n, stages: [{name: "甲", probability: "20"},
        {name: "乙", probability: "50"}, {name: "丙", probability: "80"}]}) { id stages { id } } }""",
        {"n": f"对账{uuid.uuid4().hex[:6]}"},
        "admin",
    )
    pipeline, stages = made["createPipeline"]["id"], made["createPipeline"]["stages"]
    product = await gql.product("250.00")
    o = await gql.opportunity("rep1", "1000", pipelineId=pipeline)
    await gql.ok(MOVE, {"id": o, "s": stages[2]["id"]}, "rep1")
    await gql.ok(
        'mutation($id: ID!, $p: ID!) { setOpportunityLines(id: $id, lines: [{productId: $p, quantity: "3"}]) { id } }',
        {"id": o, "p": product},
        "rep1",
    )
    await gql.ok(CLOSE, {"id": o, "won": True}, "rep1")
    await gql.ok("mutation($id: ID!) { reopenOpportunity(id: $id) { id } }", {"id": o}, "rep1")
    await gql.ok(CLOSE, {"id": o, "won": False}, "rep1")
    sold = await gql.opportunity("rep1", "10", pipelineId=pipeline)  # won by an accepted quote, at the quote's amount
    quote = await gql.ok(
        "mutation($o: ID!, $p: ID!) { createQuote(input: {opportunityId: $o, lines: [{productId: $p}]}) { id } }",
        {"o": sold, "p": product},
        "rep1",
    )
    await gql.ok("mutation($id: ID!) { submitQuote(id: $id) { id } }", {"id": quote["createQuote"]["id"]}, "rep1")
    await gql.ok(
        "mutation($id: ID!) { acceptQuote(id: $id) { order { id } } }",
        {"id": quote["createQuote"]["id"]},
        "rep1",
    )

    queries = {
        "funnel": "SELECT pipeline_id, owner_id, month, source, campaign_id, max_position, status, opportunities, "
        "amount, "
        "cycle_seconds FROM funnel_totals WHERE opportunities <> 0 AND pipeline_id = :p",
        "stages": "SELECT pipeline_id, stage_id, owner_id, month, source, campaign_id, closed_visits, closed_seconds, "
        "open_visits, open_entered_sum FROM stage_time_totals "
        "WHERE closed_visits + open_visits <> 0 AND pipeline_id = :p",
    }

    async def totals():
        async with app.state.db.read() as session:
            return {
                name: sorted(tuple(r) for r in (await session.execute(text(q), {"p": uuid.UUID(pipeline)})).all())
                for name, q in queries.items()
            }

    kept = await totals()
    async with app.state.db.unit_of_work() as uow:
        await rebuild(uow)
    recounted = await totals()
    assert len(kept["funnel"]) == 2 and len(kept["stages"]) == 2  # one lost from 丙, one won; time in 甲 and 丙

    def plain(row):
        return [float(x) if isinstance(x, float | Decimal) else x for x in row]

    def close(row):  # sums of seconds are floats; everything else must match exactly
        return [pytest.approx(x, abs=0.01) if isinstance(x, float) else x for x in plain(row)]

    for name in queries:
        assert [plain(r) for r in kept[name]] == [close(r) for r in recounted[name]], name


async def test_forecast_snapshots_count_the_rows_they_take_once_a_day(gql, app, persona):
    """The scheduler's count is the snapshots written: every owner with open deals in the periods, none on a rerun."""
    day = dt.date(2040, 1, 15)
    await rep3_opportunity(gql, "120000", expectedCloseDate="2040-01-20", forecastCategory="commit")
    async with app.state.db.unit_of_work() as uow:
        taken = await app.state.sales.analytics.take_snapshots(uow, day)
    async with app.state.db.read() as session:
        rows = (await session.scalars(select(ForecastSnapshot).where(ForecastSnapshot.taken_on == day))).all()
    mine = {s.period: s for s in rows if s.owner_id == persona["rep3"].user_id}
    assert set(mine) >= {"2040-01", "2040-Q1"} and mine["2040-01"].commit == Decimal("120000.00")
    assert taken == len(rows) >= 2
    async with app.state.db.unit_of_work() as uow:
        assert await app.state.sales.analytics.take_snapshots(uow, day) == 0
