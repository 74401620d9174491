"""What an SMS template must be, without I/O, and its parameters filled for a recipient.

Marketing texts carry the opt-out instruction 回T退订 (MIIT's rule for commercial SMS); the signature is the
【...】 the provider approved; the content's `${name}` parameters are those the template fills, each from
literal text or merge fields (`{{ contact.name }}`), in the order the content names them (Tencent's
`TemplateParamSet` is positional).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template

from crm_shared.errors import BadInput
from crm_shared.validate import required_text
from marketing.sms.models import SmsKind
from marketing.templates import render

OPT_OUT = "回T退订"
SIGNATURE = re.compile(r"^【([^【】\s]{2,12})】$")
CODE = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")
PARAMETER = re.compile(r"\$\{(\w{1,30})\}")
OPT_OUT_REPLIES = frozenset({"退订", "T", "TD"})


@dataclass(frozen=True)
class Param:
    name: str
    value: str


def checked(kind: SmsKind, code: str, signature: str, content: str, params: list[Param]) -> dict[str, Any]:
    """The template's columns, each checked; a field error naming the first that is wrong."""
    code = required_text(code, "providerCode", 50)
    if not CODE.match(code):
        raise BadInput("sms_provider_code", field="providerCode")
    signature = required_text(signature, "signature", 30)
    if not SIGNATURE.match(signature):
        raise BadInput("sms_signature", field="signature")
    content = required_text(content, "content", 500, multiline=True)
    if kind is SmsKind.MARKETING and OPT_OUT not in content:
        raise BadInput("sms_opt_out_missing", field="content", text=OPT_OUT)
    named = list(dict.fromkeys(PARAMETER.findall(content)))
    given = {p.name: p.value for p in params}
    if missing := [n for n in named if n not in given]:
        raise BadInput("sms_param_missing", field="params", name=missing[0])
    if extra := [n for n in given if n not in named]:
        raise BadInput("sms_param_unknown", field="params", name=extra[0])
    filled = [{"name": n, "value": render.check(required_text(given[n], "params", 200), "params")} for n in named]
    return {"kind": kind, "provider_code": code, "signature": signature, "content": content, "params": filled}


def sign_name(signature: str) -> str:
    """What the provider is told: the signature without its brackets."""
    return signature[1:-1]


def compiled(params: list[dict[str, Any]]) -> list[tuple[str, Template]]:
    """The parameters ready to fill, compiled once per campaign."""
    return [(p["name"], render.text_environment.from_string(p["value"])) for p in params]


def fill(params: list[tuple[str, Template]], values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each parameter for one recipient (providers refuse long values: at most 35 characters each); `RenderFailed`
    when this recipient's values fail one."""
    try:
        return [(name, " ".join(render.bounded(template, values).split())[:35]) for name, template in params]
    except Exception as exc:  # the template's doing, as in an email's
        raise render.RenderFailed("params", exc) from exc


def text(signature: str, content: str, params: list[tuple[str, str]]) -> str:
    """The text as the recipient reads it."""
    values = dict(params)
    return signature + PARAMETER.sub(lambda m: values.get(m.group(1), ""), content)


def opts_out(reply: str) -> bool:
    """Whether a subscriber's reply asks to stop marketing texts (退订, T or TD, any case and spacing)."""
    return reply.strip().upper() in OPT_OUT_REPLIES
