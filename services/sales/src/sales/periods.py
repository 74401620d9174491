"""Reporting periods: "2026" (year), "2026-Q4" (quarter) and "2026-11" (month)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crm_shared.db import utcnow
from crm_shared.errors import BadInput

PATTERN = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2}))?$")


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date  # exclusive

    @property
    def kind(self) -> str:
        return "quarter" if "Q" in self.key else "month" if "-" in self.key else "year"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def shift(self, steps: int) -> Period:
        """The period `steps` before (negative) or after this one, of the same kind."""
        start = _add_months(self.start, {"year": 12, "quarter": 3, "month": 1}[self.kind] * steps)
        if self.kind == "year":
            return period(str(start.year))
        if self.kind == "quarter":
            return period(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
        return period(f"{start.year}-{start.month:02d}")

    def start_time(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), dt.UTC)

    def end_time(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), dt.UTC)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period(key: str, field: str = "period") -> Period:
    match = PATTERN.match((key or "").strip())
    if not match or not 1900 < int(match.group(1)) < 3000:
        raise BadInput("period_format", field=field)
    year, quarter, month = int(match.group(1)), match.group(2), match.group(3)
    if quarter:
        start = dt.date(year, 3 * int(quarter) - 2, 1)
        return Period(f"{year}-Q{quarter}", start, _add_months(start, 3))
    if month:
        if not 1 <= int(month) <= 12:
            raise BadInput("period_month", field=field)
        start = dt.date(year, int(month), 1)
        return Period(f"{year}-{int(month):02d}", start, _add_months(start, 1))
    return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def current(kind: str, today: dt.date | None = None) -> Period:
    today = today or utcnow().date()
    if kind == "quarter":
        return period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    if kind == "month":
        return period(f"{today.year}-{today.month:02d}")
    return period(str(today.year))
