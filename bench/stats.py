"""Small helpers to report latency distributions and rates."""

import statistics


def percentiles(samples_ms: list[float]) -> str:
    qs = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"p50 {qs[49]:.2f} ms  p95 {qs[94]:.2f} ms  p99 {qs[98]:.2f} ms  (n={len(samples_ms)})"


def row(label: str, value: str) -> None:
    print(f"  {label:<44} {value}", flush=True)
