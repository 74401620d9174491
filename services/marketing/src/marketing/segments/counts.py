"""A rule's live count: exact where reading every profile is quick, estimated from a sample where it is not.

A rule may look at any column, so no index answers it: an exact count reads every row of
`segment_profiles`, which at a million contacts takes longer than an editor should wait for a count that
changes with each keystroke. Above EXACT_ROWS profiles the rule is first counted on a repeatable sample of
about SAMPLED_ROWS rows' worth of the table's pages, the same pages for every rule (so narrowing a rule never
raises its estimate); more than EXACT_UP_TO matches there are given as an estimate, saying so, and a rarer
rule is counted exactly, since a sample says little about it. Saving a segment always computes its members.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, literal, select, tablesample, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.util import ClauseAdapter

from crm_shared.db.pages import EXACT_UP_TO, Count
from marketing.segments.models import Profile

EXACT_ROWS = 200_000  # profiles counted one by one within a fraction of the editor's pause
SAMPLED_ROWS = 100_000  # profiles' worth of pages an estimate reads
SEED = 0  # the sample's pages: the same for every rule and every call while the table is unchanged
ROWS = text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)").bindparams(name=Profile.__tablename__)


async def live_count(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> Count:
    """The profiles matching every clause of `where`: exact, or estimated above EXACT_UP_TO on a large table."""
    rows = float(await session.scalar(ROWS) or 0)  # the planner's figure, kept by (auto)analyze
    if rows > EXACT_ROWS:
        percent = 100 * min(1.0, SAMPLED_ROWS / rows)
        sample = tablesample(Profile, func.system(percent), seed=literal(SEED))
        adapt = ClauseAdapter(sample).traverse
        found = await session.scalar(select(func.count()).select_from(sample).where(*map(adapt, where)))
        estimate = int(found or 0) * 100 / percent
        if estimate > EXACT_UP_TO:
            return Count(_significant(estimate), exact=False)
    return Count(int(await session.scalar(select(func.count()).select_from(Profile).where(*where)) or 0))


def _significant(estimate: float, digits: int = 3) -> int:
    """The estimate to a few significant digits: a sample vouches for no more."""
    return int(round(estimate, digits - 1 - math.floor(math.log10(estimate))))
