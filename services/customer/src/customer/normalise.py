"""Validation and normalisation of what people type: names, phones, emails, classification."""

from __future__ import annotations

import re

from crm_shared.text import normalise
from crm_shared.validate import choice, email, items, optional_text, phone, required_text, resident_id, website

__all__ = [
    "choice",
    "company_key",
    "email",
    "optional_text",
    "phone",
    "required_text",
    "resident_id",
    "tags",
    "website",
]

MAX_TAGS = 50

COMPANY_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "co.,ltd.",
    "co., ltd.",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "corp.",
    "corp",
    "llc",
)


def company_key(name: str) -> str:
    """The name with case, spacing, punctuation and legal suffixes removed: finds 华为技术有限公司 = 华为技术."""
    key = normalise(name)
    key = re.sub(r"[\s\.,，。()（）\-_&]+", "", key)
    for suffix in COMPANY_SUFFIXES:
        compact = re.sub(r"[\s\.,]+", "", suffix)
        if key.endswith(compact) and len(key) > len(compact):
            key = key[: -len(compact)]
            break
    return key


def tags(values: list[str] | None) -> list[str]:
    """At most MAX_TAGS distinct tags of at most 50 characters each."""
    cleaned = sorted({t for t in (optional_text(v, "tags", 50) for v in items(values, "tags", MAX_TAGS)) if t})
    return items(cleaned, "tags", MAX_TAGS)
