"""A local SMS provider: a real HTTP server speaking Aliyun's and Tencent Cloud's `SendSms`, for `make run`
and the tests.

It checks each request's signature the way the provider does (Aliyun's HMAC-SHA1 over the canonical query,
Tencent's TC3-HMAC-SHA256 `Authorization`), answers in the provider's format and keeps what it accepted:
in memory, as `received.jsonl` under its directory, and at `GET /messages` for people. A text whose
`OutId`/`SessionContext` it has seen is answered as accepted again and not kept twice, as the providers'
idempotency does. `fail(n)` makes the next n requests fail, to exercise retries. `POST /replies` with
`{"phone": ..., "content": "TD"}` hands a subscriber's reply to the configured callback, signed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import uuid
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

log = logging.getLogger(__name__)


# the development stack's credentials (`make run` hands them to the services); production sets its own
DEV_SMS_KEY = "crm-dev-sms-key"
DEV_SMS_SECRET = "crm-dev-sms-secret"


@dataclass(frozen=True)
class Received:
    provider: str  # aliyun, tencent
    phone: str
    sign_name: str
    template_code: str
    params: Any  # Aliyun's TemplateParam object, Tencent's TemplateParamSet list
    out_id: str
    provider_id: str
    at: str


def callback_signature(secret: str, body: bytes) -> str:
    """How a callback to the service is signed: hex HMAC-SHA256 of the body (`X-Sms-Signature`)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _aliyun_valid(params: dict[str, str], secrets: dict[str, str]) -> bool:
    secret = secrets.get(params.get("AccessKeyId", ""))
    signature = params.get("Signature", "")
    if secret is None or params.get("SignatureMethod") != "HMAC-SHA1":
        return False
    canonical = "&".join(
        f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(params.items()) if k != "Signature"
    )
    expected = hmac.new(f"{secret}&".encode(), f"POST&%2F&{quote(canonical, safe='~')}".encode(), hashlib.sha1).digest()
    return hmac.compare_digest(base64.b64encode(expected).decode(), signature)


def _tencent_valid(headers: Any, body: bytes, secrets: dict[str, str]) -> bool:
    auth = headers.get("Authorization", "")
    algorithm, _, rest = auth.partition(" ")
    parts = dict(p.strip().split("=", 1) for p in rest.split(",") if "=" in p)
    key_id, _, scope = parts.get("Credential", "").partition("/")
    secret = secrets.get(key_id)
    if algorithm != "TC3-HMAC-SHA256" or secret is None or parts.get("SignedHeaders") != "content-type;host":
        return False
    date, timestamp = scope.split("/")[0], headers.get("X-TC-Timestamp", "")
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{headers.get('Content-Type', '')}",
            f"host:{headers.get('Host', '')}",
            "",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    signed = "\n".join(["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = hmac.new(f"TC3{secret}".encode(), date.encode(), hashlib.sha256).digest()
    key = hmac.new(key, b"sms", hashlib.sha256).digest()
    key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
    expected = hmac.new(key, signed.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("Signature", ""))


class SmsProvider:
    """The server; `credentials` maps each accepted AccessKeyId/SecretId to its secret."""

    def __init__(
        self,
        port: int,
        credentials: dict[str, str],
        directory: Path | None = None,
        callback_url: str | None = None,
        callback_secret: str = "",
    ) -> None:
        self.port = port
        self.credentials = dict(credentials)
        self.directory = directory
        self.callback_url, self.callback_secret = callback_url, callback_secret
        self.received: list[Received] = []
        self.requests = 0  # every SendSms request, a refused or repeated one included
        self._seen: dict[str, str] = {}  # OutId / SessionContext → the id it was given
        self._failures: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def fail(self, count: int = 1, status: int = 500, code: str = "isp.SYSTEM_ERROR") -> None:
        """Answer the next `count` SendSms requests with `status` and error `code` (nothing is kept)."""
        with self._lock:
            self._failures += [(status, code)] * count

    def to(self, phone: str) -> list[Received]:
        return [r for r in self.received if r.phone.removeprefix("+86") == phone.removeprefix("+86")]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="sms-provider", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()

    def _accept(self, provider: str, phone: str, sign: str, code: str, params: Any, out_id: str) -> str:
        with self._lock:
            if out_id and out_id in self._seen:
                return self._seen[out_id]
            provider_id = uuid.uuid4().hex
            self._seen[out_id] = provider_id
            at = dt.datetime.now(dt.UTC).isoformat()
            record = Received(provider, phone, sign, code, params, out_id, provider_id, at)
            self.received.append(record)
            if self.directory is not None:
                self.directory.mkdir(parents=True, exist_ok=True)
                with (self.directory / "received.jsonl").open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
            return provider_id

    def _failure(self) -> tuple[int, str] | None:
        with self._lock:
            self.requests += 1
            return self._failures.pop(0) if self._failures else None

    def _aliyun(self, body: bytes) -> tuple[int, dict[str, Any]]:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        request_id = str(uuid.uuid4())
        if (failed := self._failure()) is not None:
            return failed[0], {"Code": failed[1], "Message": "failure on request", "RequestId": request_id}
        if not _aliyun_valid(params, self.credentials):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        if params.get("Action") != "SendSms" or not params.get("PhoneNumbers") or not params.get("TemplateCode"):
            return 400, {"Code": "isv.INVALID_PARAMETERS", "Message": "parameters missing", "RequestId": request_id}
        template_param = json.loads(params.get("TemplateParam") or "{}")
        phone, sign, code = params["PhoneNumbers"], params.get("SignName", ""), params["TemplateCode"]
        biz_id = self._accept("aliyun", phone, sign, code, template_param, params.get("OutId", ""))
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}

    def _tencent(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4())
        if (failed := self._failure()) is not None:
            return failed[0], {
                "Response": {"Error": {"Code": failed[1], "Message": "failure"}, "RequestId": request_id}
            }
        if not _tencent_valid(headers, body, self.credentials):
            error = {
                "Code": "AuthFailure.SignatureFailure",
                "Message": "The provided credentials could not be validated.",
            }
            return 200, {"Response": {"Error": error, "RequestId": request_id}}
        payload = json.loads(body)
        statuses = []
        for phone in payload.get("PhoneNumberSet", []):
            context = str(payload.get("SessionContext", ""))
            serial = self._accept(
                "tencent",
                phone,
                payload.get("SignName", ""),
                str(payload.get("TemplateId", "")),
                payload.get("TemplateParamSet", []),
                context,
            )
            statuses.append(
                {
                    "SerialNo": serial,
                    "PhoneNumber": phone,
                    "Fee": 1,
                    "SessionContext": context,
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            )
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}

    def reply(self, phone: str, content: str) -> int:
        """A subscriber's reply, handed to the callback as the provider's uplink push; the callback's status."""
        if not self.callback_url:
            return 404
        body = json.dumps(
            [{"phone_number": phone, "content": content, "send_time": dt.datetime.now(dt.UTC).isoformat()}],
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Sms-Signature": callback_signature(self.callback_secret, body),
        }
        return httpx.post(self.callback_url, content=body, headers=headers, timeout=10).status_code

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def _answer(self, status: int, document: Any) -> None:
                data = json.dumps(document, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/messages":
                    self._answer(200, [asdict(r) for r in server.received])
                else:
                    self._answer(404, {"Code": "NotFound"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.rstrip("/") == "/replies":
                    asked = json.loads(body or b"{}")
                    self._answer(200, {"callback": server.reply(str(asked["phone"]), str(asked["content"]))})
                elif self.headers.get("X-TC-Action"):
                    self._answer(*server._tencent(self.headers, body))
                else:
                    self._answer(*server._aliyun(body))

        return Handler
