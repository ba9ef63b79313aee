"""parse_chart: the sample seats.io charts, neighbours, inheritance, validation and garbage input."""

from __future__ import annotations

import copy
import json
import math
import random
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from boxoffice.domain.chart_validation import PROBLEM_CODES
from boxoffice.domain.charts import parse_chart, row_order
from boxoffice.domain.errors import ChartInvalid
from boxoffice.domain.layout import ChartObject, Layout, ObjectType, Point

CHARTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "charts"


def load(name: str) -> dict[str, Any]:
    path = CHARTS / name
    if not path.is_file():
        pytest.skip(f"sample chart {path} not available")
    drawing: dict[str, Any] = json.loads(path.read_text())
    return drawing


def parse(name: str) -> Layout:
    return parse_chart(load(name))


def problems_of(drawing: Any) -> set[tuple[str, str | None]]:
    with pytest.raises(ChartInvalid) as caught:
        parse_chart(drawing)
    assert caught.value.problems, "ChartInvalid must carry its problems"
    return {(p.code, p.label) for p in caught.value.problems}


def codes_of(drawing: Any) -> set[str]:
    return {code for code, _ in problems_of(drawing)}


def seats(layout: Layout) -> list[ChartObject]:
    return [o for o in layout.objects.values() if o.object_type is ObjectType.SEAT]


def chart(sub_chart: Any = None, **top: Any) -> dict[str, Any]:
    """A minimal valid drawing around `sub_chart` (default: one row A with seats 1-3, category 1)."""
    if sub_chart is None:
        sub_chart = {"rows": [row("A", 3)]}
    drawing: dict[str, Any] = {
        "name": "t",
        "venueType": "ROWS_WITHOUT_SECTIONS",
        "categories": {"list": [{"key": 1, "label": "One"}, {"key": "two", "label": "Two"}]},
        "subChart": sub_chart,
    }
    drawing.update(top)
    return drawing


def row(label: str, n: int, category: Any = 1, **extra: Any) -> dict[str, Any]:
    return {
        "label": label,
        "seats": [{"label": str(i + 1), "x": 10.0 * i, "y": 0, "categoryKey": category} for i in range(n)],
        **extra,
    }


# -- the sample charts -------------------------------------------------------------------------


def test_sample_chart() -> None:
    layout = parse("sampleChart.json")
    assert layout.name == "Sample chart"
    assert layout.venue_type == "ROWS_WITHOUT_SECTIONS"
    assert layout.focal_point == Point(225, 33.23)
    assert [c.key for c in layout.categories] == ["9", "10", "string11"]
    assert [c.raw_key for c in layout.categories] == [9, 10, "string11"]
    assert layout.category("10") is not None and layout.category("10").label == "Cat2"  # type: ignore[union-attr]
    labels = list(layout.objects)
    assert labels[0] == "A-1" and labels[-2:] == ["GA1", "GA2"]
    assert len(seats(layout)) == 32
    a1 = layout.objects["A-1"]
    assert (a1.own_label, a1.parent_label, a1.parent_type, a1.section) == ("1", "A", "row", None)
    assert (a1.category_key, a1.category_label, a1.x, a1.y) == ("9", "Cat1", 151.94, 99.56)
    assert layout.objects["C-1"].category_key == "10"
    assert layout.objects["A-7"].accessible and not layout.objects["A-6"].accessible
    ga = layout.objects["GA1"]
    assert ga.object_type is ObjectType.GENERAL_ADMISSION
    assert (ga.capacity, ga.category_key, ga.book_as_a_whole) == (100, "9", False)
    assert layout.sections == () and layout.floors == () and layout.zones == ()


def test_row_neighbours_in_sample_chart() -> None:
    layout = parse("sampleChart.json")
    a1, a2, a8 = (layout.objects[label] for label in ("A-1", "A-2", "A-8"))
    assert (a1.left_neighbour, a1.right_neighbour, a1.index_in_row) == (None, "A-2", 0)
    assert (a2.left_neighbour, a2.right_neighbour, a2.index_in_row) == ("A-1", "A-3", 1)
    assert (a8.left_neighbour, a8.right_neighbour, a8.index_in_row) == ("A-7", None, 7)
    assert {o.row_key for o in seats(layout)} == {"A", "B", "C", "D"}
    assert layout.objects["GA1"].row_key is None


def test_tables_chart() -> None:
    layout = parse("sampleChartWithTables.json")
    assert Counter(o.object_type for o in layout.objects.values()) == {
        ObjectType.TABLE: 2,
        ObjectType.SEAT: 12,
    }
    t1, t2 = layout.objects["T1"], layout.objects["T2"]
    assert t1.object_type is ObjectType.TABLE and (t1.x, t1.y) == (35.74, 39.87)
    assert not t1.book_as_a_whole and t2.book_as_a_whole
    assert t1.category_key == "9"  # the table has none of its own: taken from its seats
    seat = layout.objects["T1-1"]
    assert (seat.own_label, seat.parent_label, seat.parent_type, seat.table_label) == (
        "1",
        "T1",
        "table",
        "T1",
    )
    assert (seat.left_neighbour, seat.right_neighbour, seat.row_key) == (None, None, None)
    assert layout.objects["T2-6"].index_in_row == 5
    assert list(layout.objects)[:2] == ["T1", "T1-1"]


def test_sections_chart() -> None:
    layout = parse("sampleChartWithSections.json")
    assert layout.sections == ("Section A", "Section B")
    assert len(seats(layout)) == 71
    a = layout.objects["Section A-A-1"]
    assert (a.section, a.parent_label, a.own_label, a.row_key) == ("Section A", "A", "1", "Section A-A")
    # Seats carry no category: the section's applies.
    assert (a.category_key, a.category_label, a.entrance) == ("1", "cat1", "Entrance 1")
    b = layout.objects["Section B-A-1"]
    assert (b.category_key, b.category_label, b.entrance) == ("4", "cat2", "Entrance 2")
    assert b.right_neighbour == "Section B-A-2"
    # Section B's topLeft (189.94, 0) is added to the local coordinates.
    local = load("sampleChartWithSections.json")["subChart"]["sections"][1]["subChart"]["rows"][0]["seats"][0]
    assert b.x == pytest.approx(189.94 + local["x"]) and b.y == pytest.approx(local["y"])
    assert "Section B-G-5" in layout.objects and "Section A-F-6" in layout.objects


def test_floors_chart() -> None:
    layout = parse("sampleChartWithFloors.json")
    assert layout.venue_type == "WITH_SECTIONS_AND_FLOORS"
    assert layout.floors == (("1", "Floor 1"), ("2", "Floor 2"))
    assert layout.sections == ("S1", "S2")
    assert list(layout.objects) == ["S1-A-1", "S1-A-2", "S2-B-1", "S2-B-2"]
    s1, s2 = layout.objects["S1-A-1"], layout.objects["S2-B-2"]
    assert (s1.floor_name, s1.floor_display_name, s1.category_key) == ("1", "Floor 1", "1")
    assert (s2.floor_name, s2.floor_display_name, s2.category_label) == ("2", "Floor 2", "CatB")
    assert s2.x == pytest.approx(1242.22 + 37.0)


def test_zones_chart() -> None:
    layout = parse("sampleChartWithZones.json")
    assert len(seats(layout)) == 8_897
    assert layout.venue_type == "ZONES"
    assert layout.focal_point is None
    assert [(z.key, z.label) for z in layout.zones] == [
        ("finishline", "Finish Line"),
        ("midtrack", "Mid Track"),
    ]
    assert layout.zone("midtrack").focal_point == Point(43627.27, 18681.82)  # type: ignore[union-attr]
    assert layout.sections == ("Goal Stand 4", "Goal Stand 3", "MT1", "MT3")
    zones_by_section = {(o.section, o.zone) for o in layout.objects.values()}
    assert zones_by_section == {
        ("Goal Stand 4", "finishline"),
        ("Goal Stand 3", "finishline"),
        ("MT1", "midtrack"),
        ("MT3", "midtrack"),
    }
    first = layout.objects["Goal Stand 4-A-1"]
    assert (first.category_key, first.x, first.y) == ("1", 39735.23 + 676, 22018.06 + 976)
    assert layout.objects["MT3-Z-139"].category_label == "Mid Track Stand"


def test_rotated_rows_keep_their_order_and_neighbours_are_consistent() -> None:
    layout = parse("sampleChartWithZones.json")
    rows: dict[str | None, list[ChartObject]] = defaultdict(list)
    for seat in seats(layout):
        rows[seat.row_key].append(seat)
    assert None not in rows and len(rows) == 131
    for in_row in rows.values():
        in_row.sort(key=lambda o: o.index_in_row)
        assert [o.index_in_row for o in in_row] == list(range(len(in_row)))
        numbers = [int(o.own_label) for o in in_row]
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True))
        for left, right in pairwise(in_row):
            assert left.right_neighbour == right.label and right.left_neighbour == left.label
        assert in_row[0].left_neighbour is None and in_row[-1].right_neighbour is None


def findings_of(drawing: Any) -> set[tuple[str, str | None]]:
    return {(f.code, f.label) for f in parse_chart(drawing).findings}


def test_errors_chart_is_kept_with_what_seats_io_validation_finds() -> None:
    layout = parse("sampleChartWithErrors.json")
    assert {(f.code, f.label) for f in layout.findings} == {
        ("VALIDATE_DUPLICATE_LABELS", "A-1"),
        ("VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "A-4"),
        ("VALIDATE_UNLABELED_OBJECTS", "A-?"),
        ("VALIDATE_FOCAL_POINT", None),
        ("VALIDATE_OBJECT_TYPES_PER_CATEGORY", None),  # Cat1 and Cat2: seats and a GA area each
    }
    assert [f.message for f in layout.findings if f.code == "VALIDATE_OBJECT_TYPES_PER_CATEGORY"] == [
        "category '9' is given to generalAdmission, seat",
        "category '10' is given to generalAdmission, seat",
    ]
    row_a = [o for o in layout.objects.values() if o.row_key == "A"]
    assert [o.label for o in row_a] == ["A-1", "A-?", "A-4", "A-5", "A-6", "A-7", "A-8"]  # one A-1: the first
    assert layout.objects["A-1"].uuid == "uuid288" and layout.objects["A-1"].index_in_row == 0
    assert layout.objects["A-?"].index_in_row == 2  # not next to A-1: the second A-1 sits between them
    assert layout.objects["A-4"].category_key is None


def test_sample_charts_findings() -> None:
    assert {f.code for f in parse("sampleChartWithSections.json").findings} == set()
    assert {f.code for f in parse("sampleChartWithFloors.json").findings} == {"VALIDATE_FOCAL_POINT"}
    tables = parse("sampleChartWithTables.json").findings
    assert [(f.code, f.message) for f in tables] == [
        ("VALIDATE_OBJECT_TYPES_PER_CATEGORY", "category '9' is given to seat, table")  # T1 by seat, T2 whole
    ]


def test_problem_codes_are_stable() -> None:
    assert PROBLEM_CODES == ("UNKNOWN_CATEGORY", "INVALID_CAPACITY", "MALFORMED")


# -- row order ---------------------------------------------------------------------------------


def test_row_order_sorts_left_to_right_whatever_the_drawing_order() -> None:
    assert row_order([Point(30, 0), Point(10, 0), Point(20, 0)]) == [1, 2, 0]
    assert row_order([Point(30, 0), Point(20, 0), Point(10, 0)]) == [2, 1, 0]


def test_row_order_rotated_vertical_curved_and_degenerate_rows() -> None:
    diagonal = [Point(0, 10), Point(5, 5), Point(10, 0)]
    assert row_order(diagonal) == [0, 1, 2]
    assert row_order(diagonal[::-1]) == [2, 1, 0]
    vertical = [Point(0, 20), Point(0, 10), Point(0, 0)]
    assert row_order(vertical) == [2, 1, 0]  # top to bottom
    arc = [Point(math.cos(a), math.sin(a)) for a in (0.0, 0.4, 0.8, 1.2, 1.6)]
    assert row_order(arc) == [4, 3, 2, 1, 0]  # drawn right to left along the arc
    assert row_order([]) == [] and row_order([Point(1, 1)]) == [0]
    assert row_order([Point(1, 1), Point(1, 1), Point(1, 1)]) == [0, 1, 2]  # falls back to drawing order


def test_seats_drawn_right_to_left_get_left_to_right_neighbours() -> None:
    drawn = row("A", 3)
    drawn["seats"].reverse()
    layout = parse_chart(chart({"rows": [drawn]}))
    assert list(layout.objects) == ["A-3", "A-2", "A-1"]  # drawing order kept
    assert layout.objects["A-1"].index_in_row == 0 and layout.objects["A-1"].right_neighbour == "A-2"
    assert layout.objects["A-3"].left_neighbour == "A-2" and layout.objects["A-3"].right_neighbour is None


def test_two_rows_with_one_label_get_distinct_row_keys() -> None:
    right = row("A", 2)
    for seat in right["seats"]:
        seat["label"] = str(int(seat["label"]) + 10)
    layout = parse_chart(chart({"rows": [row("A", 2), right]}))
    assert layout.objects["A-1"].row_key == "A" and layout.objects["A-11"].row_key == "A#2"
    assert layout.objects["A-2"].right_neighbour is None and layout.objects["A-11"].left_neighbour is None


# -- inheritance -------------------------------------------------------------------------------


def section(label: str, sub_chart: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"label": label, "topLeft": {"x": 100, "y": 50}, "subChart": sub_chart, **extra}


def test_category_entrance_and_zone_inheritance() -> None:
    own = row("A", 2, category=None)
    own["seats"][0]["categoryKey"] = 1
    own["seats"][0]["entrance"] = "Door 9"
    own["seats"][0]["zone"] = "z2"
    sub = {
        "rows": [own, row("B", 1, category=None, categoryKey=1)],
        "tables": [
            {
                "label": "T1",
                "categoryKey": 1,
                "center": {"x": 0, "y": 0},
                "seats": [
                    {"label": "1", "x": 1, "y": 1},
                    {"label": "2", "x": 2, "y": 2, "categoryKey": "two"},
                ],
            }
        ],
        "booths": [{"label": "B1", "x": 5, "y": 5}],
        "generalAdmissionAreas": [{"label": "GA", "capacity": 10, "center": {"x": 1, "y": 2}}],
    }
    drawing = chart(
        {"sections": [section("S", sub, categoryKey="two", entrance="Door 1", zone="z1")]},
        zones={
            "list": [
                {"key": "z1", "label": "Z1"},
                {"key": "z2", "label": "Z2", "focalPoint": {"x": 1, "y": 2}},
            ]
        },
    )
    layout = parse_chart(drawing)
    objects = layout.objects
    assert (objects["S-A-1"].category_key, objects["S-A-1"].entrance, objects["S-A-1"].zone) == (
        "1",
        "Door 9",
        "z2",
    )
    assert (objects["S-A-2"].category_key, objects["S-A-2"].entrance, objects["S-A-2"].zone) == (
        "two",
        "Door 1",
        "z1",
    )
    assert objects["S-B-1"].category_key == "1"  # from the row
    assert objects["S-T1"].category_key == "1" and objects["S-T1-1"].category_key == "1"  # from the table
    assert objects["S-T1-2"].category_key == "two" and objects["S-T1-2"].table_label == "S-T1"
    assert objects["S-B1"].object_type is ObjectType.BOOTH and objects["S-B1"].category_label == "Two"
    assert (objects["S-B1"].x, objects["S-B1"].y) == (105, 55)
    assert (objects["S-GA"].capacity, objects["S-GA"].x, objects["S-GA"].y) == (10, 101, 52)
    assert layout.zone("z2").focal_point == Point(1, 2)  # type: ignore[union-attr]


def test_floor_focal_point_is_used_when_present() -> None:
    floors = [
        {"floorName": "1", "floorDisplayName": "Ground", "focalPoint": None, "rows": [row("A", 1)]},
        {"floorName": "2", "focalPoint": {"x": 3, "y": 4}, "rows": [row("B", 1)]},
    ]
    drawing = chart()
    del drawing["subChart"]
    drawing["subChartFloors"] = floors
    layout = parse_chart(drawing)
    assert layout.focal_point == Point(3, 4)
    assert layout.floors == (("1", "Ground"), ("2", "2"))
    assert layout.objects["B-1"].floor_display_name == "2"


# -- validation ----------------------------------------------------------------------------------


def test_unknown_category_is_a_problem_and_missing_category_a_finding() -> None:
    assert problems_of(chart({"rows": [row("A", 1, category=7), row("B", 1, category=None)]})) == {
        ("UNKNOWN_CATEGORY", "A-1")
    }
    drawing = chart({"rows": [row("A", 1), row("B", 1, category=None)]}, focalPoint=None)
    assert ("VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "B-1") in findings_of(drawing)
    assert parse_chart(drawing).objects["B-1"].category_key is None


def test_duplicates_across_object_types_and_unlabeled_objects() -> None:
    sub = {
        "rows": [row("A", 1)],
        "booths": [
            {"label": "A-1", "categoryKey": 1},
            {"label": "", "categoryKey": 1},
            {"label": "?", "categoryKey": 1},
        ],
    }
    layout = parse_chart(chart(sub))
    found = {(f.code, f.label) for f in layout.findings}
    assert ("VALIDATE_DUPLICATE_LABELS", "A-1") in found
    assert {label for code, label in found if code == "VALIDATE_UNLABELED_OBJECTS"} == {None, "?"}
    assert layout.objects["A-1"].object_type is ObjectType.SEAT  # the first drawn
    assert "" not in layout.objects and "?" in layout.objects  # no label: not bookable; "?" is a label


def test_object_types_per_category_counts_what_is_booked() -> None:
    by_seat = {"label": "T1", "categoryKey": 1, "seats": [{"label": "1", "x": 0, "y": 0}]}
    whole = {"label": "T2", "categoryKey": "two", "bookAsAWhole": True, "seats": [{"label": "1", "x": 0, "y": 0}]}
    assert findings_of(chart({"rows": [row("A", 1)], "tables": [by_seat, whole]})) == {("VALIDATE_FOCAL_POINT", None)}
    mixed = chart({"rows": [row("A", 1)], "booths": [{"label": "B1", "categoryKey": 1}]})
    assert ("VALIDATE_OBJECT_TYPES_PER_CATEGORY", None) in findings_of(mixed)


def test_focal_point_and_empty_floors() -> None:
    floors = {
        "name": "t",
        "categories": {"list": [{"key": 1, "label": "One"}]},
        "subChartFloors": [
            {"floorName": "1", "focalPoint": {"x": 0, "y": 0}, "rows": [row("A", 1)]},
            {"floorName": "2", "floorDisplayName": "Balcony", "rows": []},
        ],
    }
    layout = parse_chart(floors)
    assert [(f.code, f.message) for f in layout.findings] == [
        ("VALIDATE_EMPTY_FLOOR", "floor 'Balcony' has no bookable object")
    ]
    assert ("VALIDATE_FOCAL_POINT", None) in findings_of(chart())
    assert ("VALIDATE_FOCAL_POINT", None) not in findings_of(
        chart({"rows": [row("A", 1)], "focalPoint": {"x": 1, "y": 1}})
    )


def test_all_problems_are_reported_at_once() -> None:
    sub = {
        "rows": [row("A", 2, category=7), row("A", 1)],
        "generalAdmissionAreas": [{"label": "GA", "categoryKey": 1, "capacity": 0}],
    }
    assert codes_of(chart(sub)) == {"UNKNOWN_CATEGORY", "INVALID_CAPACITY"}


def _with(path: list[str | int], value: Any) -> dict[str, Any]:
    drawing = chart(
        {
            "rows": [row("A", 2)],
            "tables": [{"label": "T1", "categoryKey": 1, "seats": [{"label": "1", "x": 0, "y": 0}]}],
            "generalAdmissionAreas": [{"label": "GA", "categoryKey": 1, "capacity": 5}],
            "sections": [section("S", {"rows": [row("A", 1)]}, categoryKey=1)],
        }
    )
    target: Any = drawing
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return drawing


_DELETE = object()
SEAT: list[str | int] = ["subChart", "rows", 0, "seats", 0]
GA: list[str | int] = ["subChart", "generalAdmissionAreas", 0]


@pytest.mark.parametrize(
    ("drawing", "code"),
    [
        (None, "MALFORMED"),
        ("a chart", "MALFORMED"),
        ([], "MALFORMED"),
        (42, "MALFORMED"),
        ({}, "MALFORMED"),
        ({"subChart": None}, "MALFORMED"),
        (_with(["subChart"], "rows"), "MALFORMED"),
        (_with(["subChart", "rows"], "A"), "MALFORMED"),
        (_with(["subChart", "rows", 0], None), "MALFORMED"),
        (_with(["subChart", "rows", 0, "seats"], {"label": "1"}), "MALFORMED"),
        (_with([*SEAT, "label"], _DELETE), "MALFORMED"),
        (_with([*SEAT, "label"], ["1"]), "MALFORMED"),
        (_with([*SEAT, "x"], "12"), "MALFORMED"),
        (_with([*SEAT, "y"], _DELETE), "MALFORMED"),
        (_with([*SEAT, "x"], float("nan")), "MALFORMED"),
        (_with([*SEAT, "accessible"], "yes"), "MALFORMED"),
        (_with([*SEAT, "categoryKey"], 1.5), "MALFORMED"),
        (_with([*SEAT, "categoryKey"], True), "MALFORMED"),
        (_with([*GA, "capacity"], -5), "INVALID_CAPACITY"),
        (_with([*GA, "capacity"], 0), "INVALID_CAPACITY"),
        (_with([*GA, "capacity"], "100"), "INVALID_CAPACITY"),
        (_with([*GA, "capacity"], 2.5), "INVALID_CAPACITY"),
        (_with([*GA, "capacity"], True), "INVALID_CAPACITY"),
        (_with([*GA, "capacity"], _DELETE), "INVALID_CAPACITY"),
        (_with(["subChart", "tables", 0, "seats"], 6), "MALFORMED"),
        (_with(["subChart", "tables", 0, "center"], [1, 2]), "MALFORMED"),
        (_with(["subChart", "sections"], {"label": "S"}), "MALFORMED"),
        (_with(["subChart", "sections", 0, "subChart"], _DELETE), "MALFORMED"),
        (_with(["subChart", "sections", 0, "topLeft"], {"x": "0"}), "MALFORMED"),
        (_with(["subChart", "sections", 0, "subChart", "sections"], [section("T", {})]), "MALFORMED"),
        (_with(["categories"], "Cat1"), "MALFORMED"),
        (_with(["categories", "list"], {"key": 1}), "MALFORMED"),
        (_with(["categories", "list", 0, "key"], _DELETE), "MALFORMED"),
        (_with(["categories", "list", 1, "key"], 1), "MALFORMED"),
        (_with(["zones"], ["front"]), "MALFORMED"),
        (_with(["zones"], {"list": [{"label": "no key"}]}), "MALFORMED"),
        (_with(["name"], {"a": 1}), "MALFORMED"),
        (_with(["subChart", "focalPoint"], "stage"), "MALFORMED"),
        ({"subChartFloors": "floor 1"}, "MALFORMED"),
        ({"subChartFloors": []}, "MALFORMED"),
        ({"subChartFloors": [None]}, "MALFORMED"),
        ({"subChartFloors": [{"rows": []}]}, "MALFORMED"),
    ],
)
def test_garbage_raises_chart_invalid(drawing: Any, code: str) -> None:
    assert code in codes_of(drawing)


def test_the_fixture_for_garbage_is_itself_valid() -> None:
    layout = parse_chart(_with(["name"], "fine"))
    assert {"A-1", "A-2", "T1", "T1-1", "GA", "S-A-1"} <= set(layout.objects)


GARBAGE: list[Any] = [None, "", "?", -1, 0, 1.5, float("inf"), True, [], {}, [None], {"x": None}, "x" * 3]


def _mutate(value: Any, rng: random.Random) -> Any:
    """Replace one randomly chosen nested value (or key) with garbage."""
    containers: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict | list):
            containers.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(value)
    target = rng.choice(containers)
    if not target:
        return value
    if isinstance(target, dict):
        key = rng.choice(list(target))
        if rng.random() < 0.2:
            del target[key]
        else:
            target[key] = rng.choice(GARBAGE)
    else:
        target[rng.randrange(len(target))] = rng.choice(GARBAGE)
    return value


@pytest.mark.parametrize("name", ["sampleChart.json", "sampleChartWithTables.json", "sampleChartWithFloors.json"])
def test_random_corruption_never_escapes_as_another_exception(name: str) -> None:
    original = load(name)
    rng = random.Random(20240611)
    for _ in range(300):
        drawing = copy.deepcopy(original)
        for _ in range(rng.randint(1, 3)):
            drawing = _mutate(drawing, rng)
        try:
            parse_chart(drawing)
        except ChartInvalid as exc:
            assert exc.problems
            assert {p.code for p in exc.problems} <= set(PROBLEM_CODES)


@pytest.mark.parametrize(
    ("drawn", "read"),
    [
        ({"variableOccupancy": True, "minOccupancy": 1, "maxOccupancy": 8}, (True, 1, 8)),
        ({"variableOccupancy": True, "minOccupancy": 1}, (True, 1, 5)),  # no maximum drawn: the capacity
        ({"variableOccupancy": False}, (False, None, None)),
        ({"variableOccupancy": False, "minOccupancy": 1}, (False, 1, None)),
        ({}, (None, None, None)),
        # shown only, never a rule: a value of the wrong type is left out, and the chart still parses
        ({"variableOccupancy": "yes", "minOccupancy": -1, "maxOccupancy": True}, (None, None, None)),
    ],
)
def test_variable_occupancy_of_a_ga_area_is_read_as_drawn(drawn: dict[str, Any], read: tuple[Any, ...]) -> None:
    drawing = _with([*GA, "capacity"], 5)
    drawing["subChart"]["generalAdmissionAreas"][0].update(drawn)
    area = parse_chart(drawing).objects["GA"]
    assert (area.variable_occupancy, area.min_occupancy, area.max_occupancy) == read
    assert parse_chart(drawing).objects["A-1"].variable_occupancy is None  # a seat has none
