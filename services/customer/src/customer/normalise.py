"""Validation and normalisation of what people type: names, phones, emails, classification."""

from __future__ import annotations

import re
import unicodedata

from crm_shared.validate import (
    choice,
    email,
    formatting,
    items,
    optional_text,
    phone,
    required_text,
    resident_id,
    website,
)

__all__ = [
    "choice",
    "company_key",
    "email",
    "name_key",
    "optional_text",
    "phone",
    "required_text",
    "resident_id",
    "tags",
    "website",
]

MAX_TAGS = 50
KEY_LENGTH = 200  # accounts.name_key: NFKC writes one ﷽ as 18 characters, and names alike that far are alike
# variation selectors pick a glyph (❤ or ❤️, a variant of 葛): the same character to whoever reads the name
VARIATION_SELECTORS = re.compile(r"[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")

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


def name_key(name: str) -> str:
    """A name as duplicate checks compare it: NFKC, casefolded, spaces collapsed, and without what shows nothing
    (format characters, variation selectors), so 星辰\u200b科技, ＳＴＡＲ and "star  " are 星辰科技, star and star."""
    text = VARIATION_SELECTORS.sub("", unicodedata.normalize("NFKC", name))
    text = unicodedata.normalize("NFKC", "".join(c for c in text if not formatting(c)).casefold())
    return " ".join(text.split())


def company_key(name: str) -> str:
    """The name with case, spacing, punctuation and legal suffixes removed: finds 华为技术有限公司 = 华为技术."""
    key = name_key(name)
    key = re.sub(r"[\s\.,，。()（）\-_&]+", "", key)
    for suffix in COMPANY_SUFFIXES:
        compact = re.sub(r"[\s\.,]+", "", suffix)
        if key.endswith(compact) and len(key) > len(compact):
            key = key[: -len(compact)]
            break
    return key[:KEY_LENGTH]


def tags(values: list[str] | None) -> list[str]:
    """At most MAX_TAGS distinct tags of at most 50 characters each."""
    cleaned = sorted({t for t in (optional_text(v, "tags", 50) for v in items(values, "tags", MAX_TAGS)) if t})
    return items(cleaned, "tags", MAX_TAGS)
