"""Provider adapters: a text as Aliyun's or Tencent Cloud's `SendSms` request, signed, and their answer read.

Aliyun (Dysmsapi 2017-05-25): RPC style, the parameters form-encoded and signed with HMAC-SHA1 over the
percent-encoded canonical query (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`). Tencent Cloud
(sms 2021-01-11): a JSON body signed with TC3-HMAC-SHA256 in the `Authorization` header. The send row's id
travels as `OutId` / `SessionContext`, so a text resent after a crash is recognised, and receipts name it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode, urlsplit

from marketing.settings import MarketingSettings


@dataclass(frozen=True)
class Text:
    send_id: uuid.UUID
    phone: str  # digits, mainland numbers without +86
    sign_name: str  # inside the 【】
    template_code: str
    params: list[tuple[str, str]]  # in the template's order


@dataclass(frozen=True)
class Request:
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    code: str
    provider_id: str | None = None
    permanent: bool = False  # trying again cannot help (a bad number, a template the provider refused)


class Provider(Protocol):
    name: str

    def request(self, text: Text, now: dt.datetime) -> Request: ...

    def outcome(self, status: int, body: bytes) -> Outcome: ...


def _encode(value: str) -> str:
    """Aliyun's percent-encoding: RFC 3986 unreserved characters kept, a space as %20."""
    return quote(value, safe="~")


def e164(phone: str) -> str:
    return f"+86{phone}" if len(phone) == 11 and phone.startswith("1") else f"+{phone}"


class Aliyun:
    name = "aliyun"
    ENDPOINT = "https://dysmsapi.aliyuncs.com/"
    RETRYABLE = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL")

    def __init__(self, settings: MarketingSettings) -> None:
        self.url = settings.sms_endpoint or self.ENDPOINT
        self.key_id, self.secret = settings.sms_access_key_id, settings.sms_access_key_secret
        self.region = settings.sms_region or "cn-hangzhou"

    def request(self, text: Text, now: dt.datetime) -> Request:
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": str(text.send_id),
            "PhoneNumbers": text.phone,
            "RegionId": self.region,
            "SignName": text.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": text.template_code,
            "TemplateParam": json.dumps(dict(text.params), ensure_ascii=False, separators=(",", ":")),
            "Timestamp": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
        signed = f"POST&{_encode('/')}&{_encode(canonical)}"
        digest = hmac.new(f"{self.secret}&".encode(), signed.encode(), hashlib.sha1).digest()
        params["Signature"] = base64.b64encode(digest).decode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        return Request(self.url, headers, urlencode(params, quote_via=quote).encode())

    def outcome(self, status: int, body: bytes) -> Outcome:
        answer = _json(body)
        code = str(answer.get("Code") or f"HTTP{status}")
        if code == "OK":
            return Outcome(True, code, str(answer.get("BizId") or ""))
        return Outcome(False, code, permanent=code.startswith("isv.") and code not in self.RETRYABLE)


class Tencent:
    name = "tencent"
    ENDPOINT = "https://sms.tencentcloudapi.com/"
    CONTENT_TYPE = "application/json; charset=utf-8"
    PERMANENT = ("InvalidParameter", "InvalidParameterValue", "FailedOperation", "UnsupportedOperation")

    def __init__(self, settings: MarketingSettings) -> None:
        self.url = settings.sms_endpoint or self.ENDPOINT
        self.host = urlsplit(self.url).netloc
        self.key_id, self.secret = settings.sms_access_key_id, settings.sms_access_key_secret
        self.app_id = settings.sms_app_id
        self.region = settings.sms_region or "ap-guangzhou"

    def request(self, text: Text, now: dt.datetime) -> Request:
        payload = {
            "PhoneNumberSet": [e164(text.phone)],
            "SmsSdkAppId": self.app_id,
            "SignName": text.sign_name,
            "TemplateId": text.template_code,
            "TemplateParamSet": [value for _, value in text.params],
            "SessionContext": str(text.send_id),
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(now.timestamp())
        date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
        canonical = (
            f"POST\n/\n\ncontent-type:{self.CONTENT_TYPE}\nhost:{self.host}\n\ncontent-type;host\n"
            + hashlib.sha256(body).hexdigest()
        )
        scope = f"{date}/sms/tc3_request"
        signed = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        key = f"TC3{self.secret}".encode()
        for part in (date, "sms", "tc3_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, signed.encode(), hashlib.sha256).hexdigest()
        headers = {
            "Authorization": f"TC3-HMAC-SHA256 Credential={self.key_id}/{scope}, "
            f"SignedHeaders=content-type;host, Signature={signature}",
            "Content-Type": self.CONTENT_TYPE,
            "Host": self.host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": self.region,
        }
        return Request(self.url, headers, body)

    def outcome(self, status: int, body: bytes) -> Outcome:
        answer = _json(body).get("Response") or {}
        if error := answer.get("Error"):
            code = str(error.get("Code") or "Error")
            return Outcome(False, code, permanent=code.split(".")[0] in self.PERMANENT)
        statuses = answer.get("SendStatusSet") or [{}]
        code = str(statuses[0].get("Code") or f"HTTP{status}")
        if code == "Ok":
            return Outcome(True, code, str(statuses[0].get("SerialNo") or ""))
        return Outcome(False, code, permanent=code.split(".")[0] in self.PERMANENT)


def _json(body: bytes) -> dict[str, Any]:
    try:
        found = json.loads(body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def provider(settings: MarketingSettings) -> Provider:
    """The configured provider's adapter."""
    adapters: dict[str, type[Aliyun] | type[Tencent]] = {"aliyun": Aliyun, "tencent": Tencent}
    if settings.sms_provider not in adapters:
        raise ValueError(f"MARKETING_SMS_PROVIDER must be aliyun or tencent, not {settings.sms_provider!r}")
    return adapters[settings.sms_provider](settings)
