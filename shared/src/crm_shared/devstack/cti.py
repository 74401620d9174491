"""A local CTI (phone system): a real HTTP server for `make run` and the tests, standing in for the
company's call centre the way the SMS provider stands in for Aliyun.

`POST /calls` is click-to-call (`{"callId", "agentId", "to"}`, signed like the events): the agent's
phone rings, then the customer's; the simulator answers `202` and then sends the call's events back
to the callback as a CTI does, over real HTTP: `started` → `answered` → `ended` with the duration and
a recording link (served at `GET /recordings/<callId>.mp3`). `POST /inbound` (`{"from", "to",
"answered", "agentId"}`) rings an incoming call the same way, unanswered when `answered` is false.

Requests and events carry `X-Cti-Timestamp` (Unix seconds) and `X-Cti-Signature: v1=<hex HMAC-SHA256
of "<timestamp>.<body>">` under the shared secret. A refused event (not 2xx) is sent again a few
times, as CTIs retry their webhooks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

log = logging.getLogger(__name__)

DEV_CTI_SECRET = "crm-dev-cti-secret"  # the development stack's shared secret; production sets its own
AGENT_EXTENSION = "8001"  # the agent's desk phone, the calling side of click-to-call
SERVICE_NUMBER = "4008001234"  # the company's hotline, the called side of inbound calls

NOWHERE = -1  # no callback configured: the events are only kept here
Deliver = Callable[[bytes, dict[str, str]], int]  # an event's body and headers → the HTTP status answered


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Cti-Timestamp": timestamp,
        "X-Cti-Signature": signature(secret, timestamp, body),
    }


@dataclass
class SimulatedCall:
    call_id: str
    direction: str
    caller: str
    callee: str
    agent_id: str | None
    answered: bool
    talk_seconds: int
    events: list[dict[str, Any]] = field(default_factory=list)  # as sent, with the callback's answer


class CtiSimulator:
    def __init__(
        self,
        port: int,
        secret: str = DEV_CTI_SECRET,
        callback_url: str | None = None,
        step_seconds: float = 0.2,
        deliver: Deliver | None = None,
    ) -> None:
        self.port, self.secret, self.callback_url = port, secret, callback_url
        self.deliver = deliver or self._post  # tests hand events to an app in their process instead
        self.step_seconds = step_seconds  # between a call's events; the reported duration is `talk_seconds`
        self.talk_seconds = 42
        self.calls: dict[str, SimulatedCall] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="cti-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()

    def ring(
        self, direction: str, caller: str, callee: str, agent_id: str | None, answered: bool, call_id: str
    ) -> None:
        """A call whose events go to the callback from a thread of its own, as they happen."""
        call = SimulatedCall(call_id, direction, caller, callee, agent_id, answered, self.talk_seconds)
        with self._lock:
            self.calls[call_id] = call
        threading.Thread(target=self._play, args=(call,), name=f"cti-call-{call_id}", daemon=True).start()

    def _play(self, call: SimulatedCall) -> None:
        steps = ["started", "answered", "ended"] if call.answered else ["started", "ended"]
        for step in steps:
            time.sleep(self.step_seconds)
            event: dict[str, Any] = {
                "callId": call.call_id,
                "event": step,
                "direction": call.direction,
                "from": call.caller,
                "to": call.callee,
                "agentId": call.agent_id,
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            if step == "ended":
                event["durationSeconds"] = call.talk_seconds if call.answered else 0
                event["recordingUrl"] = f"{self.url}/recordings/{call.call_id}.mp3" if call.answered else None
            event["status"] = self._send(event)
            call.events.append(event)

    def _post(self, body: bytes, headers: dict[str, str]) -> int:
        if not self.callback_url:
            return NOWHERE
        return httpx.post(self.callback_url, content=body, headers=headers, timeout=10).status_code

    def _send(self, event: dict[str, Any]) -> int:
        body = json.dumps(event).encode()
        status = 0
        for attempt in range(5):
            try:
                status = self.deliver(body, signed_headers(self.secret, body))
            except httpx.HTTPError:
                log.warning("CTI event not taken; trying again", exc_info=True)
            if 200 <= status < 300 or status == NOWHERE:
                break
            time.sleep(0.5 * (attempt + 1))
        return status

    def _verified(self, headers: Any, body: bytes) -> bool:
        expected = signature(self.secret, headers.get("X-Cti-Timestamp", ""), body)
        return hmac.compare_digest(expected, headers.get("X-Cti-Signature", ""))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not simulator._verified(self.headers, body):
                    return self._answer(401, {"error": "bad signature"})
                try:
                    request = json.loads(body)
                except ValueError:
                    return self._answer(400, {"error": "not JSON"})
                call_id = str(request.get("callId") or uuid.uuid4())
                if self.path == "/calls" and request.get("to"):
                    simulator.ring(
                        "outbound", AGENT_EXTENSION, str(request["to"]), request.get("agentId"), True, call_id
                    )
                elif self.path == "/inbound" and request.get("from"):
                    caller, callee = str(request["from"]), str(request.get("to") or SERVICE_NUMBER)
                    answered = bool(request.get("answered", True))
                    simulator.ring("inbound", caller, callee, request.get("agentId"), answered, call_id)
                else:
                    return self._answer(404, {"error": "POST /calls {to} or /inbound {from}"})
                self._answer(202, {"callId": call_id})

            def do_GET(self) -> None:
                if self.path.startswith("/recordings/"):
                    audio = b"ID3\x03\x00\x00\x00\x00\x00\x00"  # an empty MP3: the link opens
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/mpeg")
                    self.send_header("Content-Length", str(len(audio)))
                    self.end_headers()
                    self.wfile.write(audio)
                    return
                with simulator._lock:
                    calls = [vars(c) for c in simulator.calls.values()]
                self._answer(200, {"calls": calls})

            def _answer(self, status: int, payload: Any) -> None:
                raw = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
