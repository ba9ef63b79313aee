"""The generated demo and benchmark charts parse, and look like what they claim to be."""

from __future__ import annotations

from collections import Counter

import pytest

from boxoffice.demo_chart import big_chart, row_letters, theatre_chart
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.layout import ObjectType


def test_row_letters() -> None:
    assert [row_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
    with pytest.raises(ValueError):
        row_letters(-1)


def test_theatre_chart_round_trips() -> None:
    drawing = theatre_chart()
    assert drawing == theatre_chart()  # deterministic
    assert drawing["venueType"] == "ROWS_WITH_SECTIONS"
    layout = parse_chart(drawing)
    kinds = Counter(o.object_type for o in layout.objects.values())
    assert 3_000 <= kinds[ObjectType.SEAT] <= 4_000
    assert kinds[ObjectType.TABLE] == 10
    assert kinds[ObjectType.BOOTH] == 2
    assert kinds[ObjectType.GENERAL_ADMISSION] == 1
    assert layout.sections == ("Stalls Left", "Stalls Centre", "Stalls Right", "Cabaret", "Balcony")
    assert [c.raw_key for c in layout.categories] == [1, 2, 3, 4, "standing"]
    assert [z.key for z in layout.zones] == ["front", "back"]
    assert all(z.focal_point is not None for z in layout.zones)
    assert layout.focal_point is not None


def test_theatre_chart_details() -> None:
    layout = parse_chart(theatre_chart())
    objects = layout.objects
    standing = objects["Standing"]
    assert (standing.capacity, standing.category_key, standing.category_label) == (
        500,
        "standing",
        "Standing",
    )
    assert objects["Stalls Centre-A-1"].category_label == "Stalls Premium"
    assert objects["Stalls Centre-F-1"].category_label == "Stalls"
    assert objects["Stalls Left-A-1"].category_label == "Stalls"
    assert objects["Balcony-A-1"].restricted_view and not objects["Balcony-C-1"].restricted_view
    back_row = "Y"  # 25 stalls rows
    assert objects[f"Stalls Left-{back_row}-1"].accessible
    assert sum(o.companion_seat for o in objects.values()) == 1
    assert objects["Stalls Centre-A-1"].entrance == "Stalls Door Centre"
    assert objects["Stalls Centre-A-1"].zone == "front" and objects["Balcony-A-1"].zone == "back"
    assert objects["Stalls Centre-A-1"].right_neighbour == "Stalls Centre-A-2"
    table = objects["Cabaret-T1"]
    assert table.object_type is ObjectType.TABLE and table.category_label == "Tables"
    assert {objects[f"Cabaret-T{n}"].book_as_a_whole for n in range(1, 11)} == {True, False}
    seat = objects["Cabaret-T1-1"]
    assert (seat.table_label, seat.parent_type, seat.category_key) == ("Cabaret-T1", "table", "4")
    assert objects["Cabaret-T10-6"].object_type is ObjectType.SEAT
    assert objects["Box A"].object_type is ObjectType.BOOTH


def test_theatre_chart_is_sized_by_its_arguments() -> None:
    layout = parse_chart(theatre_chart(stalls_rows=3, seats_per_row=4, balcony_rows=2, balcony_seats_per_row=5))
    assert sum(o.object_type is ObjectType.SEAT for o in layout.objects.values()) == 3 * 8 + 2 * 5 + 60
    with pytest.raises(ValueError):
        theatre_chart(stalls_rows=0)


def test_small_big_chart_has_exact_counts() -> None:
    layout = parse_chart(big_chart(seats=1_003, sections=4))
    seats = [o for o in layout.objects.values() if o.object_type is ObjectType.SEAT]
    assert len(seats) == 1_003
    assert layout.sections == ("S1", "S2", "S3", "S4")
    assert Counter(o.section for o in seats) == {"S1": 251, "S2": 251, "S3": 251, "S4": 250}
    assert layout.objects["GA-Floor"].capacity == 5_000
    assert layout.objects["S1-A-50"].right_neighbour is None and "S1-F-1" in layout.objects


def test_big_chart_parses_100k_seats() -> None:
    layout = parse_chart(big_chart())
    assert sum(o.object_type is ObjectType.SEAT for o in layout.objects.values()) == 100_000
    assert len(layout.sections) == 20
    assert layout.objects["GA-Floor"].object_type is ObjectType.GENERAL_ADMISSION
