"""Chart reports on the small hall (tests.factories.small_drawing, 2 rows of 4): row A category 2 "Front",
row B category 1 "Stalls", table T1 booked per seat and T2 as a whole (4 seats each), GA of 10 places."""

from __future__ import annotations

import pytest

from boxoffice.domain import chart_reports
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.layout import Layout
from tests.factories import small_drawing

ROW_SEATS = ["A-1", "A-2", "A-3", "A-4", "B-1", "B-2", "B-3", "B-4"]
T1_SEATS = ["T1-1", "T1-2", "T1-3", "T1-4"]
T2_SEATS = ["T2-1", "T2-2", "T2-3", "T2-4"]


@pytest.fixture
def hall() -> Layout:
    return parse_chart(small_drawing(rows=2, seats_per_row=4))


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (None, sorted([*ROW_SEATS, *T1_SEATS, *T2_SEATS, "T1", "T2", "GA"])),
        ("true", sorted([*ROW_SEATS, "T1", "T2", "GA"])),
        ("false", sorted([*ROW_SEATS, *T1_SEATS, *T2_SEATS, "GA"])),
        ("chart", sorted([*ROW_SEATS, *T1_SEATS, "T2", "GA"])),
    ],
)
def test_book_whole_tables_picks_tables_or_their_seats(hall: Layout, mode: str | None, expected: list[str]) -> None:
    assert [o.label for o in chart_reports.reported_objects(hall, mode)] == expected
    assert list(chart_reports.report(hall, "byLabel", book_whole_tables=mode)) == expected


def test_groups_of_the_chart_are_listed_even_when_empty(hall: Layout) -> None:
    by_type = chart_reports.report(hall, "byObjectType", book_whole_tables="true")
    assert {group: len(objects) for group, objects in by_type.items()} == {
        "seat": 8,
        "table": 2,
        "booth": 0,
        "generalAdmission": 1,
    }
    by_category = chart_reports.report(hall, "byCategoryLabel", book_whole_tables="chart")
    assert {group: len(objects) for group, objects in by_category.items()} == {
        "Stalls": 4 + 4 + 1 + 1,
        "Front": 4,
        "NO_CATEGORY": 0,
    }
    assert list(chart_reports.report(hall, "bySection")) == ["NO_SECTION"]
    assert list(chart_reports.report(hall, "byZone")) == ["NO_ZONE"]


def test_summary_counts_places_a_table_as_one(hall: Layout) -> None:
    found = chart_reports.summary(hall, "byCategoryKey", book_whole_tables="chart")
    assert {group: bucket.count for group, bucket in found.items()} == {"1": 4 + 4 + 1 + 10, "2": 4, "NO_CATEGORY": 0}
    assert found["1"].by["byObjectType"] == {"seat": 8, "table": 1, "generalAdmission": 10}
    assert found["1"].by["bySection"] == {"NO_SECTION": 19}
    # a category key's summary has no category label breakdown (the same thing), and one by zone
    assert found["1"].by["byZone"] == {"NO_ZONE": 19} and "byCategoryLabel" not in found["1"].by
    assert found["NO_CATEGORY"].by == {"bySection": {}, "byObjectType": {}, "byZone": {}}
    assert "byCategoryKey" not in chart_reports.summary(hall, "byCategoryLabel")["Stalls"].by
    by_type = chart_reports.summary(hall, "byObjectType")
    assert {group: bucket.count for group, bucket in by_type.items()} == {
        "seat": 16,
        "table": 2,
        "booth": 0,
        "generalAdmission": 10,
    }
    assert "byObjectType" not in by_type["seat"].by
    assert by_type["booth"].by == {"byCategoryKey": {}, "byCategoryLabel": {}, "bySection": {}, "byZone": {}}
    assert by_type["seat"].by["byZone"] == {"NO_ZONE": 16}
    by_zone = chart_reports.summary(hall, "byZone")
    assert by_zone["NO_ZONE"].count == 16 + 2 + 10 and "byZone" not in by_zone["NO_ZONE"].by


def test_unknown_report_types_and_modes_are_refused(hall: Layout) -> None:
    with pytest.raises(InvalidInput):
        chart_reports.report(hall, "byStatus")
    with pytest.raises(InvalidInput):
        chart_reports.summary(hall, "byLabel")
    with pytest.raises(InvalidInput):
        chart_reports.reported_objects(hall, "sometimes")


def test_seats_at_tables(hall: Layout) -> None:
    assert chart_reports.seats_at_tables(hall) == {"T1": 4, "T2": 4}
