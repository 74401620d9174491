"""Small helpers to report latency distributions and rates, each beside the machine's load while measured."""

import os
import statistics


def percentiles(samples_ms: list[float]) -> str:
    qs = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"p50 {qs[49]:.2f} ms  p95 {qs[94]:.2f} ms  p99 {qs[98]:.2f} ms  (n={len(samples_ms)})"


def row(label: str, value: str) -> None:
    """One figure, with the one-minute load average: on a shared machine a figure means little without it."""
    print(f"  {label:<44} {value}  [load {os.getloadavg()[0]:.1f}]", flush=True)
