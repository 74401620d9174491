"""When a marketing message may go, without I/O: quiet hours for SMS and frequency caps per contact and channel.

Quiet hours (MIIT's rule for marketing texts): an SMS goes between 8:00 and 21:00 in the recipient's time
zone; one due outside waits until the next 8:00 there. A frequency cap allows at most `limit` marketing
messages per contact and channel within a sliding window (`days`); it is checked when the send rows are
written and again just before each message goes, since other campaigns may have reached the contact since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")
OPENS = dt.time(8, 0)
CLOSES = dt.time(21, 0)


def not_before(now: dt.datetime, zone: ZoneInfo = DEFAULT_ZONE) -> dt.datetime:
    """`now` when it is within sending hours in `zone`, else the next 8:00 there (as an aware UTC time)."""
    local = now.astimezone(zone)
    if OPENS <= local.time() < CLOSES:
        return now
    day = local.date() if local.time() < OPENS else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, OPENS, tzinfo=zone).astimezone(dt.UTC)


def in_quiet_hours(now: dt.datetime, zone: ZoneInfo = DEFAULT_ZONE) -> bool:
    return not_before(now, zone) != now


@dataclass(frozen=True)
class Cap:
    """At most `limit` marketing messages on one channel per contact within `days`."""

    limit: int
    days: int

    def since(self, now: dt.datetime) -> dt.datetime:
        """Where the window starts: messages sent since count against the cap."""
        return now - dt.timedelta(days=self.days)

    def allows(self, already: int) -> bool:
        """Whether one more message may go to a contact who got `already` within the window."""
        return already < self.limit
