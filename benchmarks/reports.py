"""The status summary of the 100,000-seat event (70 % taken, scattered): p50/p99, target p99 < 100 ms.

    .venv/bin/python benchmarks/reports.py [--sqlite] [--calls 50]

Times ``services.reports.summary(..., "byStatus")`` (what ``GET /reports/events/{key}/byStatus/summary``
serves) through the SQL GROUP BY path, and for comparison the object-by-object path it replaced.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigevent import big_event

from boxoffice.services import reports


def timed(calls: int, call: Callable[[], object]) -> str:
    samples = []
    for _ in range(calls):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p50 = samples[len(samples) // 2]
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  ({calls} calls)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    big = big_event(args.sqlite)
    print(f"status summary: {big.description}")

    def summary() -> object:
        return reports.summary(big.db, big.workspace, big.event_key, "byStatus")

    summary()  # the chart's layout is parsed once per process, not per call
    print(f"  byStatus summary (SQL GROUP BY)      {timed(args.calls, summary)}")
    fast = summary()
    original = reports._shape
    reports._shape = lambda layout: (True, None)  # force the object-by-object path
    try:
        print(f"  byStatus summary (object by object)  {timed(max(3, args.calls // 10), summary)}")
        assert summary() == fast, "the two paths disagree"
    finally:
        reports._shape = original
    big.db.dispose()


if __name__ == "__main__":
    main()
