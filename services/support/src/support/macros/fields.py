"""Merge fields (pure): `{{contact.name}}` and its kind, filled in one pass.

A value goes in as text and is never read as a template again, so a contact named `{{ticket.number}}`
stays that name; control characters in a value are dropped. `{{{{` writes `{{`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crm_shared.text import CJK
from crm_shared.validate import CONTROL

FIELDS = (
    "contact.name",
    "account.name",
    "ticket.number",
    "ticket.subject",
    "ticket.status",
    "agent.name",
)
_PLACEHOLDER = re.compile(r"\{\{\{\{|\{\{\s*([a-zA-Z_.]+)\s*\}\}")


def unknown(template: str) -> list[str]:
    """The merge fields `template` names that do not exist."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1) and m.group(1) not in FIELDS]


def unclosed(template: str) -> bool:
    """Whether a `{{` opens no merge field (`{{contact.name` would reach the customer as it is)."""
    return "{{" in _PLACEHOLDER.sub("", template)


def language(template: str, subject: str) -> str:
    """The language the customer reads: the macro's own text's, or the ticket subject's when the macro has no words
    but its merge fields; Chinese when that text has any."""
    own = _PLACEHOLDER.sub("", template)
    return "zh-CN" if CJK.search(own if any(c.isalpha() for c in own) else subject) else "en"


def render(template: str, values: Mapping[str, str | None]) -> str:
    def fill(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "{{"
        return CONTROL.sub("", values.get(match.group(1)) or "")

    return _PLACEHOLDER.sub(fill, template)
