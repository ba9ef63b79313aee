"""Chart reports through the official SDK, on the small hall (tests.factories.small_drawing, 2 rows of 4):
row A category 2 "Front", row B category 1 "Stalls", T1 booked per seat, T2 as a whole, GA of 10 places."""

from __future__ import annotations

import math

import httpx
import pytest
from seatsio.domain import ChartObjectInfo
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing

KEY = "hall"


@pytest.fixture
def hall(company: SeatsioCompany) -> SeatsioCompany:
    company.post_chart(KEY, small_drawing(rows=2, seats_per_row=4))
    return company


def test_report_items_are_the_chart_objects(hall: SeatsioCompany) -> None:
    report = hall.client.charts.reports.by_label(KEY)
    assert len(report.items) == 8 + 2 + 8 + 1  # no bookWholeTables: tables and the seats at them
    seat: ChartObjectInfo = report.get("A-1")[0]
    assert (seat.label, seat.object_type, seat.category_key, seat.category_label) == ("A-1", "seat", "2", "Front")
    assert seat.labels == {"own": {"label": "1", "type": "seat"}, "parent": {"label": "A", "type": "row"}}
    assert seat.ids == {"own": "1", "parent": "A"}
    assert (seat.left_neighbour, seat.right_neighbour, seat.is_accessible) == (None, "A-2", False)
    assert seat.distance_to_focal_point == pytest.approx(math.hypot(45, 20))  # (0, 20) to (45, 0)
    ga = report.get("GA")[0]
    assert (ga.object_type, ga.capacity, ga.book_as_a_whole) == ("generalAdmission", 10, False)
    table = report.get("T2")[0]
    assert (table.object_type, table.num_seats, table.book_as_a_whole) == ("table", 4, True)
    assert not hasattr(seat, "status")  # no event, no status


def test_book_whole_tables_modes(hall: SeatsioCompany) -> None:
    reports = hall.client.charts.reports
    assert len(reports.by_label(KEY, "true").items) == 8 + 2 + 1
    assert len(reports.by_label(KEY, "false").items) == 8 + 8 + 1
    chart = reports.by_label(KEY, "chart")
    assert "T2" in chart.items and "T1" not in chart.items and "T1-1" in chart.items and "T2-1" not in chart.items


def test_groupings(hall: SeatsioCompany) -> None:
    reports = hall.client.charts.reports
    by_type = reports.by_object_type(KEY, "chart")
    assert {group: len(items) for group, items in by_type.items.items()} == {
        "seat": 12,
        "table": 1,
        "booth": 0,
        "generalAdmission": 1,
    }
    assert {g: len(i) for g, i in reports.by_category_key(KEY, "chart").items.items()} == {
        "1": 10,
        "2": 4,
        "NO_CATEGORY": 0,
    }
    assert sorted(reports.by_category_label(KEY).items) == ["Front", "NO_CATEGORY", "Stalls"]
    assert len(reports.by_section(KEY).get("NO_SECTION")) == 19
    assert len(reports.by_zone(KEY).get("NO_ZONE")) == 19


def test_summaries_count_places(hall: SeatsioCompany) -> None:
    reports = hall.client.charts.reports
    by_type = reports.summary_by_object_type(KEY)
    assert {group: bucket["count"] for group, bucket in by_type.items()} == {
        "seat": 16,
        "table": 2,
        "booth": 0,
        "generalAdmission": 10,
    }
    assert by_type["seat"]["byCategoryLabel"] == {"Front": 4, "Stalls": 12}
    by_key = reports.summary_by_category_key(KEY, "chart")
    assert by_key["1"] == {
        "count": 19,
        "bySection": {"NO_SECTION": 19},
        "byObjectType": {"seat": 8, "table": 1, "generalAdmission": 10},
        "byZone": {"NO_ZONE": 19},
    }
    assert reports.summary_by_section(KEY, "true")["NO_SECTION"]["count"] == 8 + 2 + 10
    assert reports.summary_by_category_label(KEY, "false")["Stalls"]["count"] == 4 + 8 + 10
    assert reports.summary_by_zone(KEY)["NO_ZONE"]["byObjectType"]["table"] == 2


def test_summaries_break_down_by_zone_and_list_empty_groups(company: SeatsioCompany) -> None:
    """As seats.io's SDK tests expect: a byZone breakdown everywhere; the chart's categories, zones and every
    object type listed even when empty (count 0, every breakdown {}); a category's key and label are one
    dimension, so neither summary breaks down by the other."""
    drawing = small_drawing(rows=2, seats_per_row=4)
    drawing["zones"] = {"list": [{"key": "front", "label": "Front"}, {"key": "balcony", "label": "Balcony"}]}
    for drawn in drawing["subChart"]["rows"][0]["seats"]:  # row A, category 2
        drawn["zone"] = "front"
    drawing["categories"]["list"].append({"key": 3, "label": "Boxes", "color": "#0000ff", "accessible": False})
    company.post_chart("zoned", drawing)
    reports = company.client.charts.reports
    empty: dict[str, dict[str, int]] = {"bySection": {}, "byObjectType": {}, "byZone": {}}

    assert reports.summary_by_category_key("zoned") == {
        "1": {
            "count": 24,  # row B, both tables and the seats at them, the GA area's 10 places
            "bySection": {"NO_SECTION": 24},
            "byObjectType": {"seat": 12, "table": 2, "generalAdmission": 10},
            "byZone": {"NO_ZONE": 24},
        },
        "2": {"count": 4, "bySection": {"NO_SECTION": 4}, "byObjectType": {"seat": 4}, "byZone": {"front": 4}},
        "3": {"count": 0, **empty},
        "NO_CATEGORY": {"count": 0, **empty},
    }
    by_label = reports.summary_by_category_label("zoned")
    assert set(by_label) == {"Stalls", "Front", "Boxes", "NO_CATEGORY"}
    assert by_label["Front"] == {
        "count": 4,
        "bySection": {"NO_SECTION": 4},
        "byObjectType": {"seat": 4},
        "byZone": {"front": 4},
    }
    by_zone = reports.summary_by_zone("zoned")
    assert by_zone["front"] == {
        "count": 4,
        "byCategoryKey": {"2": 4},
        "byCategoryLabel": {"Front": 4},
        "bySection": {"NO_SECTION": 4},
        "byObjectType": {"seat": 4},
    }
    assert by_zone["balcony"] == {
        "count": 0,
        "byCategoryKey": {},
        "byCategoryLabel": {},
        "bySection": {},
        "byObjectType": {},
    }
    assert by_zone["NO_ZONE"]["count"] == 24
    by_type = reports.summary_by_object_type("zoned", "true")
    assert by_type["seat"]["byZone"] == {"front": 4, "NO_ZONE": 4}
    assert by_type["booth"] == {
        "count": 0,
        "byCategoryKey": {},
        "byCategoryLabel": {},
        "bySection": {},
        "byZone": {},
    }
    assert reports.summary_by_section("zoned")["NO_SECTION"]["byZone"] == {"front": 4, "NO_ZONE": 24}


def test_refusals(hall: SeatsioCompany) -> None:
    reports = hall.client.charts.reports
    with pytest.raises(SeatsioException) as unknown:
        reports.by_label("no-such-chart")
    assert unknown.value.errors[0]["code"] == "CHART_NOT_FOUND"
    with pytest.raises(SeatsioException) as mode:
        reports.by_label(KEY, "sometimes")
    assert mode.value.message and "bookWholeTables" in mode.value.message
    with pytest.raises(SeatsioException) as version:
        reports.summary_by_section(KEY, version="yesterday")
    assert "version" in (version.value.message or "")
    with pytest.raises(SeatsioException) as no_draft:
        reports.by_label(KEY, version="draft")
    assert "no draft" in (no_draft.value.message or "")


def test_draft_version(hall: SeatsioCompany) -> None:
    hall.client.events.create(KEY)
    hall.client.charts.update(KEY, categories=[{"key": 1, "label": "Pit"}, {"key": 2, "label": "Front"}])
    reports = hall.client.charts.reports

    assert sorted(reports.by_category_label(KEY, version="draft").items) == ["Front", "NO_CATEGORY", "Pit"]
    assert sorted(reports.by_category_label(KEY, version="published").items) == ["Front", "NO_CATEGORY", "Stalls"]
    pit = reports.summary_by_category_label(KEY, "chart", "draft")["Pit"]
    assert pit["count"] == 4 + 4 + 1 + 10 and pit["byZone"] == {"NO_ZONE": 19} and "byCategoryKey" not in pit
    assert reports.by_label(KEY, "true", "draft").get("T1")[0].num_seats == 4


def test_report_types_are_listed_in_the_openapi_document_and_others_are_400(hall: SeatsioCompany) -> None:
    document = httpx.get(f"{hall.base_url}/openapi.json").json()
    for path, types in (
        ("/reports/charts/{key}/{report_type}", 6),
        ("/reports/charts/{key}/{report_type}/summary", 5),
    ):
        (param,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "report_type"]
        assert len(param["schema"]["enum"]) == types, param
    response = httpx.get(f"{hall.base_url}/reports/charts/{KEY}/byNothing", auth=(hall.secret_key, ""))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_INPUT"
