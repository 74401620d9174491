"""Satisfaction surveys: a CSAT after each resolution, NPS rounds to the accounts' contacts, the public
signed form (tampered, expired and reused links refused), and what a low score sets off.
"""

import datetime as dt
import json
import uuid

from crm_shared.testing import read_topic
from support.surveys.events import SURVEY_TOPIC
from support.surveys.models import FollowUpTask

MONDAY = dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC)
SURVEYS = """query($f: SurveyFilter) { surveyResults(filter: $f) { totalCount edges { node {
  id kind ticketId accountId contactId score effort comment followUp link answeredAt } } } }"""


async def resolved_ticket(gql, **fields):
    ticket = await gql.ticket(teamId=await gql.team("agent1"), **fields)
    await gql.ok('mutation($id: ID!) { replyToTicket(id: $id, body: "已处理") { id } }', {"id": ticket})
    await gql.ok("mutation($id: ID!) { changeTicketStatus(id: $id, status: RESOLVED) { id } }", {"id": ticket})
    return ticket


async def surveys(gql, as_="admin", **f):
    found = (await gql.ok(SURVEYS, {"f": f}, as_))["surveyResults"]
    return [e["node"] for e in found["edges"]]


def path(link):
    return link[link.index("/api/v1/") :]


async def survey_events(platform_settings, survey_id):
    records = await read_topic(platform_settings.kafka_bootstrap_servers, SURVEY_TOPIC, None)
    found = [json.loads(r.value) for r in records]
    return [(e["type"], e["data"]) for e in found if e["subject"] == survey_id]


async def test_a_resolution_sends_one_csat_survey_answered_once_through_its_link(gql, clock, platform_settings):
    clock.set(MONDAY)
    account = await gql.account()
    contact = await gql.contact(account)
    ticket = await resolved_ticket(gql, account=account, contactId=contact)
    for _ in range(2):
        await gql.run_schedule("surveys")
    [survey] = await surveys(gql, ticketId=ticket)
    assert (survey["kind"], survey["contactId"], survey["score"], survey["followUp"]) == ("CSAT", contact, None, "NONE")
    form = await gql.rest("GET", path(survey["link"]), as_=None)
    assert form.status_code == 200
    assert form.json()["scale"] == {"low": 1, "high": 5} and form.json()["effort_scale"] == {"low": 1, "high": 7}
    assert form.json()["ticket_subject"] == "打印机无法开机"

    answer = {"score": 5, "effort": 2, "comment": "工程师很专业"}
    assert (await gql.rest("POST", path(survey["link"]), as_=None, json=answer)).status_code == 200
    again = await gql.rest("POST", path(survey["link"]), as_=None, json={"score": 1})
    assert again.status_code == 409 and again.json()["detail"] == "This survey has been answered already"
    [done] = await surveys(gql, ticketId=ticket)
    assert (done["score"], done["effort"], done["comment"], done["followUp"], done["link"]) == (
        5,
        2,
        "工程师很专业",
        "NONE",
        None,
    )
    status = await gql.ok("query($id: ID!) { ticket(id: $id) { status } }", {"id": ticket})
    assert status["ticket"]["status"] == "RESOLVED"
    await gql.publish()
    events = await survey_events(platform_settings, survey["id"])
    assert [t for t, _ in events] == ["survey.sent", "survey.answered"]
    assert (events[1][1]["score"], events[1][1]["effort"], events[1][1]["followUp"]) == (5, 2, "none")
    assert "comment" not in events[1][1]


async def test_tampered_forged_and_expired_links_are_refused_and_nothing_is_recorded(gql, clock):
    clock.set(MONDAY)
    ticket = await resolved_ticket(gql)
    await gql.run_schedule("surveys")
    [survey] = await surveys(gql, ticketId=ticket)
    link = path(survey["link"])
    payload, mac = link.rsplit("/", 1)[1].split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    for bad in (f"{flipped}.{mac}", f"{payload}.{mac[:-1]}x", f"{payload}.", "garbage", str(uuid.uuid4())):
        for method, body in (("GET", None), ("POST", {"score": 5})):
            response = await gql.rest(method, f"/api/v1/public/surveys/{bad}", as_=None, json=body)
            assert response.status_code == 404, (bad, response.text)
    refused = await gql.rest("POST", link, as_=None, json={"score": 6})
    assert refused.status_code == 422 and refused.json()["field"] == "score"
    clock.set(MONDAY + dt.timedelta(days=14, seconds=1))
    expired = await gql.rest("POST", link, as_=None, json={"score": 5}, headers={"Accept-Language": "zh-CN"})
    assert expired.status_code == 410 and expired.json()["detail"] == "该问卷链接已过期"
    [after] = await surveys(gql, ticketId=ticket)
    assert (after["score"], after["answeredAt"], after["link"]) == (None, None, None)  # expired: no link shown


async def test_a_low_csat_reopens_the_ticket_within_its_window_and_asks_the_owner_after_it(gql, clock, persona):
    clock.set(MONDAY)
    soon = await resolved_ticket(gql)
    late = await resolved_ticket(gql)
    await gql.run_schedule("surveys")
    [first] = await surveys(gql, ticketId=soon)
    [second] = await surveys(gql, ticketId=late)
    assert (await gql.rest("POST", path(first["link"]), as_=None, json={"score": 2})).status_code == 200
    got = await gql.ok("query($id: ID!) { ticket(id: $id) { status history { toStatus reason } } }", {"id": soon})
    assert got["ticket"]["status"] == "OPEN"
    assert got["ticket"]["history"][-1] == {"toStatus": "OPEN", "reason": "客户满意度 2 分 / Satisfaction score 2"}
    assert (await surveys(gql, ticketId=soon))[0]["followUp"] == "REOPENED"

    clock.set(MONDAY + dt.timedelta(days=8))  # past the 7-day reopen window, the link still works
    assert (await gql.rest("POST", path(second["link"]), as_=None, json={"score": 1})).status_code == 200
    got = await gql.ok("query($id: ID!) { ticket(id: $id) { status } }", {"id": late})
    assert got["ticket"]["status"] == "RESOLVED"
    assert (await surveys(gql, ticketId=late))[0]["followUp"] == "TASK"
    async with gql.app.state.db.read() as session:
        task = await session.get(FollowUpTask, uuid.UUID(second["id"]))
    assert (task.assignee_id, task.task_id, task.due_at) == (
        persona["rep1"].user_id,
        None,
        MONDAY + dt.timedelta(days=10),
    )


async def test_nps_rounds_reach_each_contact_once_per_interval_and_a_detractor_asks_the_owner(gql, clock, persona):
    clock.set(MONDAY)
    account = await gql.account("rep1")
    contacts = [await gql.contact(account) for _ in range(3)]
    await gql.run_schedule("surveys")
    await gql.run_schedule("surveys")
    sent = await surveys(gql, kind="NPS", accountId=account)
    assert sorted(s["contactId"] for s in sent) == sorted(contacts)
    for survey, score in zip(sorted(sent, key=lambda s: s["contactId"]), (10, 8, 3), strict=True):
        form = await gql.rest("GET", path(survey["link"]), as_=None)
        assert form.json()["scale"] == {"low": 0, "high": 10} and form.json()["effort_scale"] is None
        assert (await gql.rest("POST", path(survey["link"]), as_=None, json={"score": score})).status_code == 200
    answered = {s["score"]: s["followUp"] for s in await surveys(gql, kind="NPS", accountId=account)}
    assert answered == {10: "NONE", 8: "NONE", 3: "TASK"}
    nps = (
        'query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) '
        "{ ... on Account { nps { answers promoters passives detractors score } } } }"
    )
    got = await gql.ok(nps, {"id": account}, "rep1")
    assert got["_entities"][0]["nps"] == {"answers": 3, "promoters": 1, "passives": 1, "detractors": 1, "score": 0.0}
    assert (await gql.ok(nps, {"id": account}, "rep2"))["_entities"][0]["nps"] is None  # not their account

    clock.set(MONDAY + dt.timedelta(days=89))
    assert await gql.ok("mutation($a: ID!) { sendNpsSurveys(accountId: $a) }", {"a": account}, "manager") == {
        "sendNpsSurveys": 0
    }
    clock.set(MONDAY + dt.timedelta(days=91))
    assert await gql.ok("mutation($a: ID!) { sendNpsSurveys(accountId: $a) }", {"a": account}, "manager") == {
        "sendNpsSurveys": 3
    }


async def test_the_summary_counts_the_answers_the_list_shows_and_each_result_names_its_account(gql, clock):
    clock.set(MONDAY)
    account = await gql.account("rep1")
    contacts = [await gql.contact(account) for _ in range(3)]
    satisfied = await resolved_ticket(gql, account=account, contactId=contacts[0])
    unhappy = await resolved_ticket(gql, account=account, contactId=contacts[1])
    for _ in range(2):
        await gql.run_schedule("surveys")
    answers = {satisfied: 5, unhappy: 2}
    for ticket, score in answers.items():
        [survey] = await surveys(gql, ticketId=ticket)
        assert (await gql.rest("POST", path(survey["link"]), as_=None, json={"score": score})).status_code == 200
    for survey, score in zip(await surveys(gql, kind="NPS", accountId=account), (10, 9, 3), strict=True):
        assert (await gql.rest("POST", path(survey["link"]), as_=None, json={"score": score})).status_code == 200

    summary = """query($f: SurveyFilter) { surveySummary(filter: $f) {
        csat { answers average satisfiedPercent } nps { answers promoters passives detractors score } } }"""
    got = (await gql.ok(summary, {"f": {"accountId": account}}, "manager"))["surveySummary"]
    assert got == {
        "csat": {"answers": 2, "average": 3.5, "satisfiedPercent": 50.0},
        "nps": {"answers": 3, "promoters": 2, "passives": 0, "detractors": 1, "score": 33.3},
    }
    only_csat = (await gql.ok(summary, {"f": {"accountId": account, "kind": "CSAT"}}, "manager"))["surveySummary"]
    assert only_csat["nps"] == {"answers": 0, "promoters": 0, "passives": 0, "detractors": 0, "score": None}
    elsewhere = (await gql.ok(summary, {"f": {"accountId": account}}, "agent3"))["surveySummary"]
    assert elsewhere["csat"]["answers"] == 0 and elsewhere["nps"]["answers"] == 0  # another desk's tickets

    named = "query($f: SurveyFilter) { surveyResults(filter: $f) { edges { node { account { id } } } } }"
    found = (await gql.ok(named, {"f": {"ticketId": satisfied}}, "manager"))["surveyResults"]["edges"]
    assert found == [{"node": {"account": {"id": account}}}]


async def test_the_form_refuses_what_is_no_whole_score_naming_the_field(gql, clock):
    clock.set(MONDAY)
    ticket = await resolved_ticket(gql)
    await gql.run_schedule("surveys")
    [survey] = await surveys(gql, ticketId=ticket)
    link = path(survey["link"])
    for body, field in (({"score": True}, "score"), ({"score": 1e30}, "score"), ([1, 2], "body")):
        refused = await gql.rest("POST", link, as_=None, json=body, headers={"Accept-Language": "zh-CN"})
        assert (refused.status_code, refused.json()["field"]) == (422, field), refused.text
    said = (await gql.rest("POST", link, as_=None, json={"score": 4.5})).json()["detail"]
    assert said == "Invalid value for field 'score': expected Int"
    status = await gql.ok("query($id: ID!) { ticket(id: $id) { status } }", {"id": ticket})
    assert status["ticket"]["status"] == "RESOLVED"  # `true` was never read as a low score
    [after] = await surveys(gql, ticketId=ticket)
    assert after["answeredAt"] is None
