"""China's statutory holidays and make-up workdays (调休), from the `chinesecalendar` package.

The package knows the years the State Council has announced; for later years it knows nothing, so
those days follow the weekly hours until an administrator adds them to the calendar.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from chinese_calendar import constants


@cache
def statutory() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(holidays, make-up workdays) for every year the package has data for."""
    return frozenset(constants.holidays), frozenset(constants.workdays)


def covered_until() -> dt.date:
    """The last day the package has announcements for."""
    holidays, workdays = statutory()
    return dt.date(max(d.year for d in holidays | workdays), 12, 31)
