"""Summaries: places counted per group, each group broken down by the other dimensions (seats.io's summary
reports, of events and of charts).

The caller counts places per combination of every dimension's value (one pass over the objects, or a
database GROUP BY); these functions only fold those counts. Two rules shape the result as seats.io does:

- a group is broken down by every dimension but its own, and a category's key and label count as one
  dimension (the byCategoryKey summary has no byCategoryLabel breakdown, and the other way round);
- some groups are listed even when empty, with count 0 and an empty breakdown for each dimension: every
  object type, the chart's categories, sections and zones with their NO_… group, and the fixed
  availability reasons (`always_listed`).

Example::

    dims = ("byStatus", "byCategoryKey", "byCategoryLabel")
    combos = {("free", "1", "Stalls"): 3, ("booked", "1", "Stalls"): 1}
    summarise(combos, dims, "byCategoryKey", always_listed("byCategoryKey", categories={"1": "Stalls", "2": "Pit"}))
    # {"1": SummaryBucket(4, {"byStatus": {"free": 3, "booked": 1}}),
    #  "2": SummaryBucket(0, {"byStatus": {}}), "NO_CATEGORY": SummaryBucket(0, {"byStatus": {}})}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from boxoffice.domain.layout import ObjectType
from boxoffice.domain.statuses import BOOKED, HELD

NO_CATEGORY = "NO_CATEGORY"
NO_SECTION = "NO_SECTION"
NO_ZONE = "NO_ZONE"
AVAILABLE = "available"
NOT_FOR_SALE = "not_for_sale"
DISABLED_BY_SOCIAL_DISTANCING = "disabled_by_social_distancing"
# The availability reasons seats.io always lists (custom statuses are reasons too, listed when present)
AVAILABILITY_REASONS = (AVAILABLE, BOOKED, HELD, NOT_FOR_SALE, DISABLED_BY_SOCIAL_DISTANCING)
# Dimensions that name the same thing: a group is broken down by neither of its twin's
TWINS = {"byCategoryKey": "byCategoryLabel", "byCategoryLabel": "byCategoryKey"}

Combos = Mapping[tuple[str, ...], int]  # one value per dimension -> places


@dataclass(frozen=True, slots=True)
class SummaryBucket:
    count: int
    by: dict[str, dict[str, int]]  # e.g. "bySection" -> {"Stalls": 10}


@dataclass(frozen=True, slots=True)
class DeepSummaryBucket:
    count: int
    by: dict[str, dict[str, SummaryBucket]]  # e.g. "bySection" -> {"Stalls": SummaryBucket(10, {...})}


def breakdowns(dims: tuple[str, ...], *grouped_by: str) -> tuple[str, ...]:
    """The dimensions a group is broken down by: every one but those it is grouped by, and their twins."""
    excluded = {*grouped_by, *(TWINS[d] for d in grouped_by if d in TWINS)}
    return tuple(d for d in dims if d not in excluded)


def always_listed(
    grouping: str,
    *,
    categories: Mapping[str, str] | None = None,
    sections: Iterable[str] = (),
    zones: Iterable[str] = (),
) -> tuple[str, ...]:
    """The groups listed even when empty. `categories` maps key to label."""
    if grouping == "byObjectType":
        return tuple(str(t) for t in ObjectType)
    if grouping == "byCategoryKey":
        return (*(categories or {}), NO_CATEGORY)
    if grouping == "byCategoryLabel":
        return (*dict.fromkeys((categories or {}).values()), NO_CATEGORY)
    if grouping == "bySection":
        return (*sections, NO_SECTION)
    if grouping == "byZone":
        return (*zones, NO_ZONE)
    if grouping == "byAvailabilityReason":
        return AVAILABILITY_REASONS
    return ()


def summarise(
    combos: Combos, dims: tuple[str, ...], grouping: str, listed: Iterable[str] = ()
) -> dict[str, SummaryBucket]:
    """Places per group of `grouping`, each broken down by `breakdowns(dims, grouping)`."""
    top = dims.index(grouping)
    shown = [(dims.index(d), d) for d in breakdowns(dims, grouping)]
    counts = dict.fromkeys(listed, 0)
    by: dict[str, dict[str, dict[str, int]]] = {}
    for values, places in combos.items():
        if not places:
            continue
        group = values[top]
        counts[group] = counts.get(group, 0) + places
        breakdown = by.get(group)
        if breakdown is None:
            breakdown = by[group] = {d: {} for _, d in shown}
        for n, dim in shown:
            sub, value = breakdown[dim], values[n]
            sub[value] = sub.get(value, 0) + places
    return {group: SummaryBucket(count, by.get(group) or {d: {} for _, d in shown}) for group, count in counts.items()}


def summarise_deep(
    combos: Combos, dims: tuple[str, ...], grouping: str, listed: Iterable[str] = ()
) -> dict[str, DeepSummaryBucket]:
    """As `summarise`, one level deeper: each breakdown value is itself broken down by the dimensions left."""
    top = dims.index(grouping)
    outer = breakdowns(dims, grouping)
    inner = {dim: [(dims.index(d), d) for d in breakdowns(dims, grouping, dim)] for dim in outer}
    counts = dict.fromkeys(listed, 0)
    second: dict[str, dict[str, dict[str, int]]] = {}
    third: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {}
    for values, places in combos.items():
        if not places:
            continue
        group = values[top]
        counts[group] = counts.get(group, 0) + places
        seconds = second.setdefault(group, {d: {} for d in outer})
        for dim in outer:
            value = values[dims.index(dim)]
            seconds[dim][value] = seconds[dim].get(value, 0) + places
            breakdown = third.setdefault((group, dim, value), {d: {} for _, d in inner[dim]})
            for m, below in inner[dim]:
                sub, v = breakdown[below], values[m]
                sub[v] = sub.get(v, 0) + places
    return {
        group: DeepSummaryBucket(
            count,
            {
                dim: {value: SummaryBucket(n, third[(group, dim, value)]) for value, n in values.items()}
                for dim, values in second.get(group, {d: {} for d in outer}).items()
            },
        )
        for group, count in counts.items()
    }
