"""The one input policy of the suite: what people and programs send is checked here before the
database sees it, and every refusal is a BAD_USER_INPUT naming the field (zh-CN and en).

The transports apply the generic part to every argument and body (`crm_shared.graphql.inputs`,
`crm_shared.http.inputs`): control characters, ids, decimals, list sizes. The services call the
typed rules below for what only they know: which text is a name, how long it may be, a phone.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from crm_shared.errors import BadInput

T = TypeVar("T")

# C0 and C1 controls, DEL and lone surrogates; tab, line feed and carriage return are text in notes
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029]")
# embeddings, overrides and isolates: in a name they show it reversed or spliced ("\u202egnp.exe" reads exe.png)
DIRECTION = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# format characters a name keeps: the joiners that spell Persian and Indic names and join emoji (ZWNJ, ZWJ), the marks
# that place Arabic or Hebrew beside Latin (LRM, RLM, ALM); the others show nothing and only make a second name that
# looks the same ("星辰\u200b科技")
NAME_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")
NON_DIGIT = re.compile(r"\D")
# letters that render as nothing: Hangul fillers, the braille blank, the Mongolian vowel separator
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})
MAX_ITEMS = 1000  # any list argument or body array; services set tighter limits where they know better
MAX_NESTING = 32  # levels of objects and arrays in a free-form JSON value (a workflow's definition, a filter)
MAX_ID_LENGTH = 64
AMOUNT_DIGITS, AMOUNT_PLACES = 18, 2  # money columns are numeric(18, 2)
# a decimal as people write it: plain digits, or commas between groups of three ("1,000.50"), a sign and a
# fraction; "1,,,,", "1,000.5,5", "1e3", "NaN" and full-width digits are no numbers. REST documents it as is.
DECIMAL = re.compile(r"^\s*-?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*$")
RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
# ISO 4217 list one, the active codes (2025), with those still in their changeover (ANG, BGN, SLL, ZWL); without
# XTS and XXX, which are for tests and "no currency"
CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC
    SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU
    XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL""".split()  # noqa: SIM905
)
# the days the suite's documents and plans are dated within: a contract from 0001 or an invoice due in 9999 is a typo
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
# the calendar of every date and moment the API takes (a birthday in 1930 included); 9999-12-31 would be stored by
# the driver as PostgreSQL's `infinity`, which no date arithmetic survives (an aging report's days past due)
CALENDAR = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def field_name(path: Sequence[str | int]) -> str:
    """`lines[0].quantity`: fields dotted, list positions in brackets, as the services name them."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def no_controls(value: str, field: str, multiline: bool = True) -> str:
    """The text unchanged, or BAD_USER_INPUT: U+0000 and other control characters never reach storage, nor a
    name that would show other than it is written (a multi-line text may need direction marks for Arabic)."""
    if CONTROL.search(value) or (not multiline and LINE_BREAK.search(value)):
        raise BadInput("control_characters", field=field)
    if not multiline and DIRECTION.search(value):
        raise BadInput("direction_controls", field=field)
    return value


def formatting(char: str) -> bool:
    """Whether `char` is a format character (Unicode Cf: U+200B, U+00AD soft hyphen, U+2060, U+FEFF, ...) or the
    combining grapheme joiner U+034F: it shows nothing of its own."""
    return char == "\u034f" or unicodedata.category(char) == "Cf"


def visible(text: str) -> bool:
    """Whether anything in `text` would show on screen (a name of zero-width spaces would not)."""
    return any(c not in BLANK_LETTERS and unicodedata.category(c) not in INVISIBLE_CATEGORIES for c in text)


def required_text(value: str | None, field: str, maximum: int, multiline: bool = False) -> str:
    """Trimmed text that shows something, within `maximum` characters; longer text is refused, never cut. A single
    line holds no format character but those of NAME_FORMAT: U+200B would hide in a name and make it a second one."""
    text = no_controls(value or "", field, multiline).strip()
    if not text:
        raise BadInput("required_field", field=field)
    if not visible(text):
        raise BadInput("invisible_text", field=field)
    if not multiline and any(formatting(c) and c not in NAME_FORMAT for c in text):
        raise BadInput("format_characters", field=field)
    if len(text) > maximum:
        raise BadInput("too_long", field=field, maximum=maximum)
    return text


def optional_text(value: str | None, field: str, maximum: int, multiline: bool = False) -> str | None:
    if value is None or not no_controls(value, field, multiline).strip():
        return None
    return required_text(value, field, maximum, multiline)


def http_host(url: str) -> str | None:
    """The host of an http(s) address people can open (a host, a port that is one, no spaces); None for any other
    text, a malformed one (`http://[abc`) included."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (`javascript:alert(1)` read as a host has a port that is none)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or any(c.isspace() for c in url):
        return None
    return parts.hostname or None


def web_link(value: str | None, field: str, maximum: int = 2000) -> str | None:
    """An http(s) address (a recording, an archived mail) that people can open; empty is none."""
    text = optional_text(value, field, maximum)
    if text is not None and http_host(text) is None:
        raise BadInput("invalid_link", field=field)
    return text


def aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """A moment, with its offset: `2026-12-20T09:00:00` is a different moment in Beijing and in Berlin."""
    if value is not None and value.tzinfo is None:
        raise BadInput("needs_time_zone", field=field)
    return value


def website(value: str | None, field: str = "website", maximum: int = 200) -> str | None:
    """A company's site as people write it, `www.dji.com` or `https://www.dji.com/cn`, kept as written; any
    other scheme (`javascript:`, `data:`) is refused, since clients show it as a link."""
    text = optional_text(value, field, maximum)
    if text is not None and "." not in (http_host(text if "://" in text else f"http://{text}") or ""):
        raise BadInput("invalid_link", field=field)
    return text


def note(value: str | None, field: str, maximum: int) -> str:
    """Free multi-line text such as a reason or a comment: trimmed, empty when none, refused when too long."""
    return optional_text(value, field, maximum, multiline=True) or ""


def choice(value: str | None, field: str, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise BadInput("one_of", field=field, choices=", ".join(allowed))
    return value


def nesting(value: Any) -> int:
    """How many levels of objects and arrays a JSON value has, counted without recursion (it may have thousands)."""
    deepest, level = 0, [(value, 1)]
    while level:
        current, depth = level.pop()
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            level.extend((child, depth + 1) for child in children)
    return deepest


def shallow(value: Any, field: str) -> Any:
    """A JSON value of at most `MAX_NESTING` levels: what walks it afterwards may recurse."""
    if nesting(value) > MAX_NESTING:
        raise BadInput("too_deep", field=field, maximum=MAX_NESTING)
    return value


def currency_code(value: str | None, field: str = "currency", default: str = "CNY") -> str:
    """An active ISO 4217 code (`cny` is CNY); BAD_USER_INPUT naming the field otherwise (`QQQ` is no currency)."""
    code = (value or default).strip().upper()
    if code not in CURRENCIES:
        raise BadInput("currency_code", field=field)
    return code


def whole(value: int, field: str, minimum: int, maximum: int) -> int:
    """A count within its bounds (a quantity, a goal), or BAD_USER_INPUT saying both."""
    if not minimum <= value <= maximum:
        raise BadInput("not_between", field=field, minimum=minimum, maximum=maximum)
    return value


def items(values: Sequence[T] | None, field: str, maximum: int = MAX_ITEMS) -> list[T]:
    """A list of at most `maximum` entries."""
    if values is not None and len(values) > maximum:
        raise BadInput("too_many_items", field=field, maximum=maximum)
    return list(values or [])


def phone(value: str | None, field: str = "phone") -> str | None:
    """Digits only (full-width ones too), the international prefix `00` read as `+`, China's +86 dropped; 7 to 15
    digits: `0086 139 0000 4321`, `+86 139-0000-4321` and `13900004321` are one number."""
    if value is None or not value.strip():
        return None
    digits = NON_DIGIT.sub("", unicodedata.normalize("NFKC", no_controls(value, field, multiline=False)))
    if not digits.isascii():
        raise BadInput("invalid_phone", field=field)
    digits = digits.removeprefix("00")  # no number dialled within China starts with 00: area codes have one 0
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        raise BadInput("invalid_phone", field=field)
    return digits


def email(value: str | None, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return validate_email(no_controls(value, field, False).strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:  # its reason is English only
        raise BadInput("invalid_email", field=field) from exc


def resident_id(value: str | None, field: str = "idNumber") -> str | None:
    """A 居民身份证号: 17 digits, a real birth date and the GB 11643 check digit (0-9 or X)."""
    if value is None or not value.strip():
        return None
    number = unicodedata.normalize("NFKC", no_controls(value, field, False)).strip().upper()
    if not RESIDENT_ID.match(number):
        raise BadInput("invalid_id_number", field=field)
    total = sum(int(d) * w for d, w in zip(number, RESIDENT_ID_WEIGHTS, strict=False))
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise BadInput("invalid_id_number", field=field) from exc
    if RESIDENT_ID_CHECK[total % 11] != number[17]:
        raise BadInput("invalid_id_number", field=field)
    return number


def uuid_of(value: Any, field: str = "id") -> uuid.UUID:
    """An id as a UUID (hyphenated or 32 hex digits), or BAD_USER_INPUT naming the field."""
    if isinstance(value, uuid.UUID):
        return value
    text = str(value).strip() if isinstance(value, str | int) else ""
    try:
        if len(text) > MAX_ID_LENGTH:
            raise ValueError(text)
        return uuid.UUID(text)
    except ValueError as exc:
        raise BadInput("malformed_id", field=field) from exc


def optional_uuid(value: Any, field: str = "id") -> uuid.UUID | None:
    """An optional id: none, or an empty one, is no id."""
    return uuid_of(value, field) if value else None


def date_of(value: Any, field: str = "date") -> dt.date:
    """A calendar date (YYYY-MM-DD) that exists: 2026-02-30 is refused, not a server error."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise BadInput("invalid_date", field=field) from exc


def on_the_calendar(value: dt.date, field: str) -> None:
    """A date or moment within `CALENDAR`, or BAD_USER_INPUT saying both ends."""
    day = value.date() if isinstance(value, dt.datetime) else value
    day_within(day, field, *CALENDAR)


def day_within(value: dt.date, field: str, earliest: dt.date = FIRST_DAY, latest: dt.date = LAST_DAY) -> dt.date:
    """A day within its window (the suite's calendar unless the record narrows it: a payment between its invoice
    and today), or BAD_USER_INPUT saying both ends."""
    if not earliest <= value <= latest:
        raise BadInput("not_between", field=field, minimum=str(earliest), maximum=str(latest))
    return value


def decimal_of(value: Any, field: str, digits: int = AMOUNT_DIGITS, places: int = AMOUNT_PLACES) -> Decimal:
    """A decimal that numeric(digits, places) holds as written; an amount of 10^17 is refused."""
    number = exact_decimal(value, field, places)
    if not fits(number, digits, places):
        raise BadInput("out_of_range", field=field, maximum=str(largest(digits, places)))
    return number


def exact_decimal(value: Any, field: str, places: int = AMOUNT_PLACES) -> Decimal:
    """A decimal written by the one rule (`DECIMAL`) with no more than `places` decimals but for trailing zeros:
    refused by field, never read as something else ("1,,,," as 1, "0.001" as 0.00)."""
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    if not DECIMAL.match(text):
        raise BadInput("not_a_number", field=field)
    if len(text.strip().partition(".")[2].rstrip("0")) > places:
        raise BadInput("decimal_places", field=field, places=places)
    return Decimal(text.strip().replace(",", ""))


def largest(digits: int = AMOUNT_DIGITS, places: int = AMOUNT_PLACES) -> Decimal:
    """The largest value numeric(digits, places) holds: 9999999999999999.99 for money."""
    return Decimal(10) ** (digits - places) - Decimal(10) ** -places


def fits(number: Decimal, digits: int = AMOUNT_DIGITS, places: int = AMOUNT_PLACES) -> bool:
    """Whether `number` is finite and rounds into numeric(digits, places) without overflow."""
    if not number.is_finite() or number.adjusted() >= digits - places:
        return False
    return abs(number.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)) <= largest(digits, places)


def like_pattern(text: str) -> str:
    """`%text%` for LIKE/ILIKE with the wildcards the caller typed escaped: `%` finds a percent sign."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
