"""Search text for Chinese and Latin names: character bigrams, words and pinyin initials.

PostgreSQL's `simple` text search splits on spaces, which Chinese does not use; indexing
overlapping character bigrams lets `华为` match `华为技术有限公司`, and the pinyin initials
(`hwjsyxgs`) let `hwjs` find it too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pypinyin import Style, lazy_pinyin

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[0-9a-z]+")
# characters kept of a word or of a text's pinyin initials, stored and searched alike: PostgreSQL refuses a lexeme
# over 2047 bytes (an article's initials, a pasted blob), and a longer one is found by its start just as well
LONGEST_TOKEN = 64


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _cjk_tokens(run: str) -> set[str]:
    if len(run) == 1:
        return {run}
    return {run[i : i + 2] for i in range(len(run) - 1)}


@cache
def _initial(char: str) -> str:
    """A character's pinyin initial, looked up once per distinct character."""
    if not CJK.match(char):
        return char if char.isalnum() else ""
    return lazy_pinyin(char, style=Style.FIRST_LETTER)[0][:1]


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters, other letters and digits kept: 华为技术 → hwjs."""
    return "".join(_initial(char) for char in normalise(text))


def document_tokens(*texts: str | None) -> list[str]:
    """Tokens stored in the search vector of a record."""
    tokens: set[str] = set()
    for text in filter(None, texts):
        value = normalise(text)
        for run in CJK.findall(value):
            tokens |= _cjk_tokens(run) | set(run)
        tokens |= {word[:LONGEST_TOKEN] for word in WORD.findall(value)}
        if CJK.search(value):
            tokens.add(initials(value)[:LONGEST_TOKEN])
    return sorted(t for t in tokens if t)


def query_terms(query: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) pairs that all must match; Latin words and pinyin initials match as prefixes."""
    value = normalise(query)
    terms: list[tuple[str, bool]] = []
    for run in CJK.findall(value):
        terms += [(t, False) for t in sorted(_cjk_tokens(run))]
    terms += [(word[:LONGEST_TOKEN], True) for word in WORD.findall(value)]
    return terms


def to_tsquery(query: str, any_term: bool = False) -> str | None:
    """A `to_tsquery('simple', ...)` string, or None when the query has nothing searchable.

    Every term must match, or with `any_term` one is enough (suggestions ranked by how many match).
    """
    terms = query_terms(query)
    if not terms:
        return None
    return (" | " if any_term else " & ").join(f"'{t}'{':*' if prefix else ''}" for t, prefix in terms)


def tsvector(*texts: str | None) -> str:
    """The search vector as a tsvector literal: bound as a plain value, so inserts batch well."""
    return " ".join("'" + token.replace("'", "''").replace("\\", "\\\\") + "'" for token in document_tokens(*texts))
