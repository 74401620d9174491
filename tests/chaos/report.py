"""One line per fault or drill: recovery seconds, what was lost, what was applied twice."""

from __future__ import annotations

import dataclasses

from .accounting import Count
from .load import Load

RECOVERY_GOAL = 30.0  # seconds: the acceptance criterion for every fault


@dataclasses.dataclass
class Row:
    fault: str
    seconds: float
    count: Count
    awaited: str  # what recovery waited for last
    recovered: bool
    goal: float = RECOVERY_GOAL

    def line(self) -> str:
        lost, duplicated = self.count.total_lost, self.count.total_duplicated
        return f"{self.fault:<28} {self.seconds:>8.1f} {lost:>6} {duplicated:>6}  {self.awaited}"

    def outcome(self) -> tuple[str, bool, dict[str, int], dict[str, int]]:
        lost = {k: v for k, v in self.count.lost.items() if v}
        duplicated = {k: v for k, v in self.count.duplicated.items() if v}
        return self.fault, self.recovered and self.seconds < self.goal, lost, duplicated


def table(rows: list[Row], load: Load) -> str:
    head = f"{'fault':<28} {'recovery s':>8} {'lost':>6} {'dup':>6}  last awaited"
    writes = f"{len(load.ledger.writes)} writes by {len(load.clients)} clients, {len(load.ledger.failed())} failed"
    failed = [
        f"  failed for good: {w.kind} {w.name} after {w.retries} retries: {w.code or ''} {w.error}"
        for w in load.ledger.failed()
    ]
    return "\n".join(["", head, "-" * len(head), *(r.line() for r in rows), writes, *failed])
