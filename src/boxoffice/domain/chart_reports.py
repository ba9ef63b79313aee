"""Chart reports: a chart's objects grouped as seats.io's chart reports group them, with no event involved.

A report lists objects; a summary counts places (a seat, booth or table is one place, a GA area its
capacity). ``book_whole_tables`` picks what a table contributes:

- ``None``: the tables and the seats at them, both;
- ``"true"``: the tables only; ``"false"``: the seats at tables only;
- ``"chart"``: as the chart books each table: the table if it is booked as a whole, else its seats.

Example::

    groups = report(layout, "byCategoryKey", book_whole_tables="chart")
    groups["NO_CATEGORY"]  # [] when every object has a category: the chart's groups are always listed
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from boxoffice.domain import summaries
from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.layout import ChartObject, Layout, ObjectType
from boxoffice.domain.summaries import NO_CATEGORY, NO_SECTION, NO_ZONE, SummaryBucket

BOOK_WHOLE_TABLES = ("true", "false", "chart")

GROUPINGS: dict[str, Callable[[ChartObject], str]] = {
    "byLabel": lambda o: o.label,
    "byObjectType": lambda o: str(o.object_type),
    "byCategoryKey": lambda o: o.category_key or NO_CATEGORY,
    "byCategoryLabel": lambda o: o.category_label or NO_CATEGORY,
    "bySection": lambda o: o.section or NO_SECTION,
    "byZone": lambda o: o.zone or NO_ZONE,
}
# What a summary can group by, and breaks each group down by (domain/summaries.py: all but its own).
SUMMARY_DIMENSIONS = ("byCategoryKey", "byCategoryLabel", "bySection", "byObjectType", "byZone")
SUMMARY_GROUPINGS = SUMMARY_DIMENSIONS


def check_book_whole_tables(value: str | None) -> None:
    if value is not None and value not in BOOK_WHOLE_TABLES:
        raise InvalidInput(f"bookWholeTables must be one of {', '.join(BOOK_WHOLE_TABLES)}, not {value!r}")


def reported_objects(layout: Layout, book_whole_tables: str | None = None) -> list[ChartObject]:
    """The objects a report shows, by label."""
    check_book_whole_tables(book_whole_tables)
    kept = [o for o in layout.objects.values() if _shown(o, layout, book_whole_tables)]
    kept.sort(key=lambda o: o.label)
    return kept


def _shown(obj: ChartObject, layout: Layout, mode: str | None) -> bool:
    if mode is None:
        return True
    if obj.object_type is ObjectType.TABLE:
        return mode == "true" or (mode == "chart" and obj.book_as_a_whole)
    if obj.table_label is not None:
        table = layout.objects.get(obj.table_label)
        return mode == "false" or (mode == "chart" and not (table is not None and table.book_as_a_whole))
    return True


def always_listed(layout: Layout, grouping: str) -> tuple[str, ...]:
    """The groups seats.io lists even when empty: every object type, and the chart's own categories,
    sections and zones (with the NO_… group)."""
    return summaries.always_listed(
        grouping,
        categories={c.key: c.label for c in layout.categories},
        sections=layout.sections,
        zones=(z.key for z in layout.zones),
    )


def report(layout: Layout, grouping: str, *, book_whole_tables: str | None = None) -> dict[str, list[ChartObject]]:
    """The reported objects grouped as asked (e.g. ``byCategoryKey``), each group by label."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Unknown report type {grouping!r}")
    key_of = GROUPINGS[grouping]
    grouped: dict[str, list[ChartObject]] = {group: [] for group in always_listed(layout, grouping)}
    for obj in reported_objects(layout, book_whole_tables):
        grouped.setdefault(key_of(obj), []).append(obj)
    return grouped


def places(obj: ChartObject) -> int:
    return obj.capacity if obj.object_type is ObjectType.GENERAL_ADMISSION else 1


def summary(layout: Layout, grouping: str, *, book_whole_tables: str | None = None) -> dict[str, SummaryBucket]:
    """Places per group, each broken down by the other summary dimensions."""
    if grouping not in SUMMARY_GROUPINGS:
        raise InvalidInput(f"Unknown summary report type {grouping!r}")
    combos: Counter[tuple[str, ...]] = Counter()
    for obj in reported_objects(layout, book_whole_tables):
        combos[tuple(GROUPINGS[d](obj) for d in SUMMARY_DIMENSIONS)] += places(obj)
    return summaries.summarise(combos, SUMMARY_DIMENSIONS, grouping, always_listed(layout, grouping))


def seats_at_tables(layout: Layout) -> Counter[str]:
    """How many seats sit at each table, by the table's label."""
    return Counter(o.table_label for o in layout.objects.values() if o.table_label)
