"""The CTI connector: signed call events make the call log and call activities in customer (through the
stand-in's GraphQL, as automation's service account), missed calls become call-back tasks, unknown
numbers wait in the log to be linked, and click-to-call goes to the local CTI simulator over HTTP."""

import asyncio
import base64
import datetime as dt
import json
import time
import uuid

import httpx
import pytest

from crm_shared.devstack.broker import free_port
from crm_shared.devstack.cti import CtiSimulator, signed_headers

from .conftest import CTI_SECRET, eventually

EVENTS = "/api/v1/connectors/cti/events"
CALLS = """query($f: CallFilter) { calls(filter: $f) { totalCount edges { node {
    callId direction number status durationSeconds recordingUrl contactId accountId activityId taskId } } } }"""
CONTACT_ID, ACCOUNT_ID, OWNER_ID = (str(uuid.uuid4()) for _ in range(3))
ZHANG = {"id": CONTACT_ID, "name": "张三", "accountId": ACCOUNT_ID, "owner": {"id": OWNER_ID}, "phone": "13800138000"}


def signed_in_as(authorization):
    """The email in a bearer token's claims: whose token a request carried."""
    claims = authorization.removeprefix("Bearer ").split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["email"]


def known(phones):
    """contactsByChannel answering as customer would for contacts with these phones."""
    return lambda variables: [ZHANG] if variables.get("p") in phones else []


def event(call_id, kind, direction="inbound", number="13800138000", **more):
    at = dt.datetime.now(dt.UTC).isoformat()
    ends = {"from": number, "to": "4008001234"} if direction == "inbound" else {"from": "8001", "to": number}
    return {"callId": call_id, "event": kind, "direction": direction, "at": at, **ends, **more}


async def send(gql, body, secret=CTI_SECRET, timestamp=None):
    raw = json.dumps(body).encode()
    headers = signed_headers(secret, raw)
    if timestamp is not None:
        headers = {**signed_headers(secret, raw), "X-Cti-Timestamp": str(timestamp)}
    return await gql.rest("POST", EVENTS, None, content=raw, headers=headers)


async def test_an_answered_call_from_a_known_number_is_a_call_activity_once(gql, stand_in):
    stand_in.canned["contactsByChannel"] = known({"13800138000"})
    call = f"c-{uuid.uuid4().hex[:8]}"
    for kind in ("started", "answered"):
        assert (await send(gql, event(call, kind))).json() == {"outcome": "applied", "duplicate": False}
    ended = event(call, "ended", durationSeconds=95, recordingUrl="https://cti.example.cn/r/1.mp3")
    assert (await send(gql, ended)).json() == {"outcome": "applied", "duplicate": False}
    assert (await send(gql, ended)).json() == {"outcome": "applied", "duplicate": True}
    [logged] = stand_in.called("logActivity")
    assert logged["key"] == f"call-{call}-activity"
    assert {k: v for k, v in logged["variables"]["i"].items() if k != "occurredAt"} == {
        "accountId": ACCOUNT_ID,
        "contactId": CONTACT_ID,
        "kind": "call",
        "subject": "来电",
        "content": "",
        "outcome": "answered",
        "link": "https://cti.example.cn/r/1.mp3",
        "threadId": None,
        "durationSeconds": 95,
    }
    assert stand_in.called("createTask") == []
    [row] = [e["node"] for e in (await gql.ok(CALLS))["calls"]["edges"]]
    assert row == {
        "callId": call,
        "direction": "inbound",
        "number": "13800138000",
        "status": "ENDED",
        "durationSeconds": 95,
        "recordingUrl": "https://cti.example.cn/r/1.mp3",
        "contactId": CONTACT_ID,
        "accountId": ACCOUNT_ID,
        "activityId": row["activityId"],
        "taskId": None,
    }
    figures = await gql.ok("{ connectorStatus { connector received applied unmatched failed } }")
    assert figures["connectorStatus"][0] == {
        "connector": "TELEPHONY",
        "received": 3,
        "applied": 3,
        "unmatched": 0,
        "failed": 0,
    }


async def test_unsigned_wrongly_signed_and_stale_events_are_refused(gql, stand_in):
    body = event("c-forged", "ended")
    assert (await send(gql, body, secret="guess")).status_code == 401
    assert (await send(gql, body, timestamp=int(time.time()) - 3600)).status_code == 401
    plain = await gql.rest("POST", EVENTS, None, json=body)
    assert plain.status_code == 401
    raw, now = json.dumps(body).encode(), str(int(time.time())).encode()
    for odd in (  # headers no signature check can read: refused as unsigned, never a server error
        {"X-Cti-Timestamp": now, "X-Cti-Signature": b"v1=\xe9"},
        {"X-Cti-Timestamp": b"9" * 309, "X-Cti-Signature": b"v1=00"},
        {"X-Cti-Timestamp": b"\xb2", "X-Cti-Signature": b"v1=00"},
    ):
        headers = {"Content-Type": "application/json", **odd}
        assert (await gql.rest("POST", EVENTS, None, content=raw, headers=headers)).status_code == 401, odd
    assert (await gql.ok(CALLS))["calls"]["totalCount"] == 0
    assert stand_in.requests == []


async def test_a_recording_link_that_is_not_a_web_address_is_refused_naming_the_field(gql, stand_in):
    body = event("c-script", "ended", durationSeconds=12, recordingUrl="javascript:alert(document.cookie)")
    refused = await send(gql, body)
    assert refused.status_code == 422
    assert refused.json()["code"] == "BAD_USER_INPUT"
    assert [e["field"] for e in refused.json()["errors"]] == ["recordingUrl"]
    assert (await gql.ok(CALLS))["calls"]["totalCount"] == 0


async def test_a_missed_call_is_a_call_back_task_for_the_contacts_owner(gql, stand_in):
    stand_in.canned["contactsByChannel"] = known({"13800138000"})
    call = f"c-{uuid.uuid4().hex[:8]}"
    await send(gql, event(call, "started", number="+86 138 0013 8000"))
    await send(gql, event(call, "ended", number="+86 138 0013 8000", durationSeconds=0))
    [logged] = stand_in.called("logActivity")
    assert (logged["variables"]["i"]["subject"], logged["variables"]["i"]["outcome"]) == ("未接来电", "missed")
    [task] = stand_in.called("createTask")
    assert task["key"] == f"call-{call}-task"
    assert {k: v for k, v in task["variables"]["i"].items() if k != "dueAt"} == {
        "title": "回电：张三 的未接来电",
        "accountId": ACCOUNT_ID,
        "assigneeId": OWNER_ID,
    }
    node = (await gql.ok(CALLS, {"f": {"status": "MISSED"}}))["calls"]["edges"][0]["node"]
    assert (node["number"], node["taskId"] is not None) == ("13800138000", True)


async def test_an_unknown_number_waits_in_the_log_until_its_agent_links_the_call(gql, stand_in):
    stand_in.canned["contactsByChannel"] = known(set())
    call = f"c-{uuid.uuid4().hex[:8]}"
    agent = {"number": "13912345678", "agentId": gql.user("caller")}
    await send(gql, event(call, "started", **agent))
    await send(gql, event(call, "answered", **agent))
    ended = await send(gql, event(call, "ended", durationSeconds=30, **agent))
    assert ended.json() == {"outcome": "unmatched", "duplicate": False}
    waiting = (await gql.ok(CALLS, {"f": {"unmatched": True}}, "caller"))["calls"]
    assert [e["node"]["callId"] for e in waiting["edges"]] == [call]
    assert (await gql.ok(CALLS, {"f": {"unmatched": True}}, "automator"))["calls"]["totalCount"] == 0
    assert stand_in.called("logActivity") == []
    stand_in.canned["contact"] = ZHANG
    link = "mutation($id: ID!, $c: ID!) { linkCall(id: $id, contactId: $c) { contactId status } }"
    call_row = (await gql.ok("{ calls { edges { node { id } } } }"))["calls"]["edges"][0]["node"]["id"]
    await gql.error(link, {"id": call_row, "c": CONTACT_ID}, "automator", code="NOT_FOUND")  # another's call
    linked = await gql.ok(link, {"id": call_row, "c": CONTACT_ID}, "caller")
    assert linked["linkCall"] == {"contactId": CONTACT_ID, "status": "ENDED"}
    [logged] = stand_in.called("logActivity")
    assert logged["variables"]["i"]["contactId"] == CONTACT_ID
    assert signed_in_as(stand_in.called("contact")[0]["authorization"]) == "caller@example.com"  # the user's scope
    again = await gql.error(link, {"id": call_row, "c": CONTACT_ID}, "caller", code="CONFLICT")
    assert again["message"] == "Only an ended call not yet on a contact can be linked"
    assert (await gql.ok(CALLS, {"f": {"unmatched": True}}))["calls"]["totalCount"] == 0


async def test_customer_out_of_reach_answers_503_and_the_cti_resend_is_applied(gql, stand_in):
    stand_in.canned["contactsByChannel"] = known({"13800138000"})
    call = f"c-{uuid.uuid4().hex[:8]}"
    stand_in.errors.append({"message": "down", "extensions": {"code": "SERVICE_UNAVAILABLE"}})
    ended = event(call, "ended", durationSeconds=12)
    assert (await send(gql, ended)).status_code == 503
    status = await gql.ok("{ connectorStatus { connector failed } }")
    assert status["connectorStatus"][0] == {"connector": "TELEPHONY", "failed": 1}
    assert (await send(gql, ended)).json() == {"outcome": "applied", "duplicate": False}
    status = await gql.ok("{ connectorStatus { connector received applied failed } }")
    assert status["connectorStatus"][0] == {"connector": "TELEPHONY", "received": 1, "applied": 1, "failed": 0}


@pytest.fixture
async def cti(app):
    """The local CTI simulator, handing its events to the app in this process over its REST API."""
    loop = asyncio.get_running_loop()

    async def post(body, headers):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://automation") as client:
            return (await client.post(EVENTS, content=body, headers=headers)).status_code

    def deliver(body, headers):
        return asyncio.run_coroutine_threadsafe(post(body, headers), loop).result(10)

    simulator = CtiSimulator(free_port(), CTI_SECRET, step_seconds=0.05, deliver=deliver)
    simulator.start()
    app.state.settings.cti_url = simulator.url
    yield simulator
    simulator.stop()


async def test_click_to_call_rings_through_the_simulator_and_becomes_a_call_activity(gql, stand_in, cti, persona):
    stand_in.canned["contact"] = ZHANG
    start = "mutation($c: ID!) { startCall(contactId: $c) { callId status direction contactId } }"
    started = (await gql.ok(start, {"c": CONTACT_ID}, "caller"))["startCall"]
    assert {k: v for k, v in started.items() if k != "callId"} == {
        "status": "REQUESTED",
        "direction": "outbound",
        "contactId": CONTACT_ID,
    }

    async def ended():
        rows = (await gql.ok(CALLS, as_="caller"))["calls"]["edges"]
        return rows[0]["node"] if rows and rows[0]["node"]["activityId"] else None

    call = await eventually(ended)
    assert (call["status"], call["durationSeconds"]) == ("ENDED", 42)
    assert call["recordingUrl"] == f"{cti.url}/recordings/{started['callId']}.mp3"
    assert [e["event"] for e in cti.calls[started["callId"]].events] == ["started", "answered", "ended"]
    assert cti.calls[started["callId"]].callee == "13800138000"
    assert cti.calls[started["callId"]].agent_id == str(persona["caller"].user_id)
    [logged] = stand_in.called("logActivity")
    assert (logged["variables"]["i"]["subject"], logged["variables"]["i"]["contactId"]) == ("去电", CONTACT_ID)
    assert stand_in.called("contactsByChannel") == []
    assert (await gql.ok(CALLS))["calls"]["totalCount"] == 1  # the caller's own, and all of them for an admin


async def test_click_to_call_refuses_a_contact_without_a_phone_one_may_call(gql, stand_in, cti):
    stand_in.canned["contact"] = {**ZHANG, "phone": "138****8000"}
    start = "mutation($c: ID!) { startCall(contactId: $c) { callId } }"
    error = await gql.error(start, {"c": CONTACT_ID}, "caller", code="BAD_USER_INPUT", lang="zh-CN")
    assert (error["extensions"]["field"], error["message"]) == (
        "contactId",
        "字段“contactId”：该联系人没有可拨打的电话号码",
    )
    assert cti.calls == {}
