"""Best available on a 100,000-seat layout: SeatIndex build time and per-call latency percentiles.

    .venv/bin/python benchmarks/best_available.py

20 sections x 100 rows x 50 seats, ~70% of seats unavailable at random (seed 1), 2,000 calls each
for 2 and 4 seats with a set of selectable labels. The calls cycle through 50 random availability
states so that they do not all time the same search. Also timed: 4 seats with a callable instead of
a set, and 60 seats (no row can hold them, so the answer is seats apart).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from boxoffice.domain.best_available import BestAvailableRequest, SeatIndex, best_available
from boxoffice.domain.layout import Category, ChartObject, Layout, ObjectType, Point

SECTIONS, ROWS, SEATS = 20, 100, 50
CALLS = 2_000
STATES = 50  # distinct random availability states (seed 1), cycled through by the calls


def make_row(section: str, row: str, seats: int, *, x0: float, y: float) -> list[ChartObject]:
    prefix = f"{section}-{row}"
    return [
        ChartObject(
            label=f"{prefix}-{number}",
            object_type=ObjectType.SEAT,
            own_label=str(number),
            parent_label=row,
            parent_type="row",
            section=section,
            category_key="1",
            x=x0 + (number - 1),
            y=y,
            row_key=prefix,
            index_in_row=number - 1,
        )
        for number in range(1, seats + 1)
    ]


def make_layout() -> Layout:
    objects: dict[str, ChartObject] = {}
    for s in range(SECTIONS):
        for r in range(ROWS):
            for seat in make_row(f"S{s}", f"R{r}", SEATS, x0=s * (SEATS + 5.0), y=float(r)):
                objects[seat.label] = seat
    return Layout(
        name="benchmark",
        venue_type="ROWS_WITH_SECTIONS",
        categories=(Category("1", "One"),),
        zones=(),
        focal_point=Point(SECTIONS * (SEATS + 5.0) / 2, -10.0),
        objects=objects,
        sections=tuple(f"S{s}" for s in range(SECTIONS)),
    )


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    layout = make_layout()
    started = time.perf_counter()
    index = SeatIndex.build(layout)
    build_ms = (time.perf_counter() - started) * 1000
    print(f"seats: {index.seat_count:,}  SeatIndex.build: {build_ms:.0f} ms")

    rng = random.Random(1)
    labels = list(layout.objects)
    states = [{label for label in labels if rng.random() >= 0.7} for _ in range(STATES)]
    share = statistics.fmean(len(state) for state in states) / len(labels)
    print(f"{STATES} availability states, {share:.1%} of seats selectable on average")

    for number in (2, 4):
        measure(f"{number} seats, set", index, states, BestAvailableRequest(number), CALLS)
    callables = [state.__contains__ for state in states]
    measure("4 seats, callable", index, callables, BestAvailableRequest(4), CALLS)
    # Worst case, for reference: no row can seat the party together, so every call scans all
    # 100,000 seats and then falls back to seats apart.
    measure("60 seats (fallback)", index, states, BestAvailableRequest(60), 50)


def measure(
    name: str,
    index: SeatIndex,
    states: Sequence[AbstractSet[str] | Callable[[str], bool]],
    request: BestAvailableRequest,
    calls: int,
) -> None:
    timings: list[float] = []
    adjacent = 0
    for call in range(calls):
        available = states[call % len(states)]
        started = time.perf_counter()
        choice = best_available(index, available, request)
        timings.append((time.perf_counter() - started) * 1000)
        adjacent += choice.next_to_each_other
    print(
        f"{name} x {calls}: p50 {percentile(timings, 50):.3f} ms  "
        f"p95 {percentile(timings, 95):.3f} ms  p99 {percentile(timings, 99):.3f} ms  "
        f"max {max(timings):.3f} ms  mean {statistics.fmean(timings):.3f} ms  "
        f"(adjacent: {adjacent}/{calls})"
    )


if __name__ == "__main__":
    main()
