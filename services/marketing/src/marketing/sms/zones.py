"""A contact's time zone for quiet hours: the place customer knows for it, else its account's, else the default.

Customer's contact events carry no place, so a contact takes its account's province or city. Mainland China is
one zone (the default, Asia/Shanghai); Hong Kong, Macau, Taiwan and places abroad have their own. A place is
read as an IANA name (`America/New_York`), a city in English as IANA names it (`New York`, `Los Angeles`), or
a Chinese name of a place outside the mainland zone; anything else is the default.
"""

from __future__ import annotations

import uuid
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from marketing.audience import ContactRef
from marketing.segments.models import SegmentAccount

# Chinese names of places outside the mainland's zone (a country with several zones by its main city's)
ABROAD = {
    "Asia/Hong_Kong": ("香港",),
    "Asia/Macau": ("澳门",),
    "Asia/Taipei": ("台湾", "台北", "高雄", "台中"),
    "Asia/Singapore": ("新加坡",),
    "Asia/Tokyo": ("日本", "东京", "大阪", "名古屋"),
    "Asia/Seoul": ("韩国", "首尔", "釜山"),
    "Asia/Kuala_Lumpur": ("马来西亚", "吉隆坡"),
    "Asia/Bangkok": ("泰国", "曼谷"),
    "Asia/Ho_Chi_Minh": ("越南", "胡志明", "河内"),
    "Asia/Jakarta": ("印度尼西亚", "印尼", "雅加达"),
    "Asia/Manila": ("菲律宾", "马尼拉"),
    "Asia/Kolkata": ("印度", "孟买", "新德里", "班加罗尔"),
    "Asia/Dubai": ("阿联酋", "迪拜", "阿布扎比"),
    "Europe/London": ("英国", "伦敦"),
    "Europe/Paris": ("法国", "巴黎"),
    "Europe/Berlin": ("德国", "柏林", "法兰克福", "慕尼黑", "汉堡"),
    "Europe/Amsterdam": ("荷兰", "阿姆斯特丹"),
    "Europe/Madrid": ("西班牙", "马德里"),
    "Europe/Rome": ("意大利", "罗马", "米兰"),
    "Europe/Moscow": ("俄罗斯", "莫斯科"),
    "America/New_York": ("纽约", "波士顿", "华盛顿"),
    "America/Chicago": ("芝加哥",),
    "America/Los_Angeles": ("洛杉矶", "旧金山", "硅谷", "西雅图"),
    "America/Toronto": ("多伦多",),
    "America/Vancouver": ("温哥华",),
    "America/Sao_Paulo": ("巴西", "圣保罗"),
    "Australia/Sydney": ("澳大利亚", "澳洲", "悉尼"),
    "Australia/Melbourne": ("墨尔本",),
    "Pacific/Auckland": ("新西兰", "奥克兰"),
}
SUFFIXES = ("特别行政区", "省", "市", "都")
AREAS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def _names() -> dict[str, str]:
    """Every way of writing a place this module reads, lower-cased, to its IANA name."""
    names = {name: zone for zone, chinese in ABROAD.items() for name in chinese}
    for zone in available_timezones():
        names[zone.lower()] = zone
        if zone.split("/")[0] in AREAS:
            names.setdefault(zone.rsplit("/", 1)[-1].replace("_", " ").lower(), zone)
    return names


def _zone(place: str | None) -> str | None:
    text = " ".join((place or "").split())
    if not text:
        return None
    names = _names()
    for candidate in (text, *(text.removesuffix(s) for s in SUFFIXES if text.endswith(s))):
        if found := names.get(candidate.lower()):
            return found
    return None


def zone_name(province: str | None, city: str | None) -> str | None:
    """The IANA zone of a place (the city first, it is the more precise), none for the mainland or unknown."""
    return _zone(city) or _zone(province)


async def zones(uow: UnitOfWork, contact_ids: set[uuid.UUID], default: ZoneInfo) -> dict[uuid.UUID, ZoneInfo]:
    """Each contact's zone for quiet hours: its account's place, else `default`."""
    if not contact_ids:
        return {}
    rows = await uow.session.execute(
        select(col(ContactRef.id), col(SegmentAccount.time_zone))
        .outerjoin(SegmentAccount, col(SegmentAccount.id) == col(ContactRef.account_id))
        .where(col(ContactRef.id).in_(contact_ids))
    )
    found = {contact: ZoneInfo(zone) for contact, zone in rows if zone}
    return {contact: found.get(contact, default) for contact in contact_ids}
